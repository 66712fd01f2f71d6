"""``revisio manage agency_alerts``: make (and e-mail) the alerts for check-ins missed at a milestone.

Safe to run as often as a scheduler likes: an alert is made once per agency, case and milestone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from revisio.agency.services import MISSED_CHECKIN_DAYS, alerts_email_pending, missed_checkin_alerts


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today {value!r} is not a date: give it as YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Alert agencies to shared cases whose patient has not checked in since a recovery milestone fell due "
        "in the last few days, and e-mail alerts that could not be e-mailed before."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=str, help="the day to check as of (YYYY-MM-DD; default: today)")
        parser.add_argument(
            "--days",
            type=int,
            default=MISSED_CHECKIN_DAYS,
            help=f"how far back a milestone may have fallen due (default {MISSED_CHECKIN_DAYS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["today"]) if options["today"] else timezone.localdate()
        if options["days"] < 1:
            raise CommandError("--days must be 1 or more")
        made = missed_checkin_alerts(today, days=options["days"])
        resent = alerts_email_pending()
        self.stdout.write(f"{len(made)} new missed check-in alert(s); {resent} earlier alert(s) e-mailed now.")
