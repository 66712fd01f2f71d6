"""Writes for the agency dashboard: assignments, notes, and alerts (made by jobs, read by coordinators).

Services never commit on their own behalf: the request, the job or the command owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from revisio import kb
from revisio.accounts.models import Agency, User
from revisio.agency.models import AgencyNote, Alert, AlertKind, CaseAssignment
from revisio.agency.selectors import CLINICAL_SCOPES, agency_coordinators, translators_to_assign
from revisio.cases.models import Case, CaseShare, active_share_filter
from revisio.diary.models import CheckIn
from revisio.recovery.adapter import NothingToAssess, assess_case
from revisio.web.errors import InvalidInput

logger = logging.getLogger(__name__)

NOTE_MAX_CHARS = 5000
#: A milestone that fell due longer ago than this is old news: the alert would come too late to help.
MISSED_CHECKIN_DAYS = 7
#: Levels at which a rise is worth interrupting a coordinator for (the red flags).
ALERT_LEVELS = frozenset(level.value for level in kb.Level if level.is_red_flag)


@transaction.atomic
def assignment_set(
    *, agency: Agency, case: Case, coordinator_id: int | None, translator_id: uuid.UUID | str | None
) -> CaseAssignment:
    """Put a coordinator of the agency and a translator from the directory on the case (None clears one).

    Precondition: the case is shared with the agency (``selectors.agency_case_get``). Raises InvalidInput
    for someone who is not a coordinator of this agency, or a translator the agency cannot call on (see
    ``selectors.translators_to_assign``).
    """
    coordinator = None
    if coordinator_id is not None:
        coordinator = agency_coordinators(agency=agency).filter(pk=coordinator_id).first()
        if coordinator is None:
            raise InvalidInput(
                _("Only a coordinator of %(agency)s can be assigned to its cases.") % {"agency": agency.name},
                code="not-a-coordinator",
                field="coordinator",
            )
    translator = None
    if translator_id is not None:
        translator = translators_to_assign(agency=agency).filter(pk=translator_id).first()
        if translator is None:
            raise InvalidInput(
                _("This translator is not one %(agency)s can call on: choose an active translator from the list.")
                % {"agency": agency.name},
                code="unknown-translator",
                field="translator",
            )
    assignment, _created = CaseAssignment.objects.select_for_update().get_or_create(agency=agency, case=case)
    assignment.coordinator = coordinator
    assignment.translator = translator
    assignment.save()
    return assignment


@transaction.atomic
def note_add(*, agency: Agency, case: Case, author: User, text: str) -> AgencyNote:
    """A note for the agency's coordinators. Precondition: ``author`` coordinates there and the case is
    shared with the agency (``selectors.agency_case_get``)."""
    text = text.strip()
    if not text:
        raise InvalidInput(_("Write the note first."), code="empty-note", field="text")
    if len(text) > NOTE_MAX_CHARS:
        raise InvalidInput(
            _("A note holds at most %(count)s characters: shorten it or split it.") % {"count": NOTE_MAX_CHARS},
            code="note-too-long",
            field="text",
        )
    return AgencyNote.objects.create(agency=agency, case=case, author=author, author_name=str(author), text=text)


@transaction.atomic
def alerts_mark_read(*, agency: Agency, user: User, alert_ids: Iterable[int] | None = None) -> int:
    """Mark the agency's unread alerts read (those named, or all of them); returns how many."""
    alerts = Alert.objects.filter(agency=agency, read_at__isnull=True)
    if alert_ids is not None:
        alerts = alerts.filter(pk__in=list(alert_ids))
    return alerts.update(read_at=timezone.now(), read_by=user)


def _clinical_agencies(case_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[Agency]]:
    """For each case, the agencies with an active share that shows its course of recovery: a photos-only
    share does not show levels or check-ins, so its agency is not told about them either."""
    shares = (
        CaseShare.objects.filter(active_share_filter(), agency__isnull=False, case_id__in=list(case_ids))
        .filter(scope__in=CLINICAL_SCOPES)
        .select_related("agency")
        .order_by("agency__name")
    )
    found: dict[uuid.UUID, dict[int, Agency]] = {}
    for share in shares:
        found.setdefault(share.case_id, {})[share.agency_id] = share.agency  # type: ignore[index,assignment]
    return {case_id: list(agencies.values()) for case_id, agencies in found.items()}


def _alert_create(**fields: Any) -> Alert | None:
    """The alert, or None if it exists already (a job run twice, or two at once)."""
    try:
        with transaction.atomic():  # a savepoint: a duplicate must not spoil the caller's transaction
            return Alert.objects.create(**fields)
    except IntegrityError:
        return None


def checkin_alerts(*, checkin_id: uuid.UUID | str) -> list[Alert]:
    """``level-raised`` alerts for a check-in at a red-flag level above the case's previous check-in,
    one for each agency with an active clinical share, each e-mailed; returns the alerts made now (none
    on a re-run). A check-in deleted before the job ran makes none."""
    checkin = CheckIn.objects.filter(pk=checkin_id).first()
    if checkin is None or checkin.level not in ALERT_LEVELS:
        return []
    previous = (
        CheckIn.objects.filter(case_id=checkin.case_id)
        .exclude(pk=checkin.pk)
        .filter(date__lte=checkin.date)
        .exclude(date=checkin.date, created_at__gt=checkin.created_at)
        .order_by("-date", "-created_at")
        .values_list("level", flat=True)
        .first()
    )
    if previous is not None and kb.Level(previous).rank >= kb.Level(checkin.level).rank:
        return []
    made = []
    for agency in _clinical_agencies([checkin.case_id]).get(checkin.case_id, []):
        alert = _alert_create(
            agency=agency,
            case_id=checkin.case_id,
            kind=AlertKind.LEVEL_RAISED,
            level=checkin.level,
            trigger=f"checkin:{checkin.pk}",
        )
        if alert is not None:
            made.append(alert)
    _email_each(made)
    return made


def _email_each(alerts: list[Alert]) -> None:
    for alert in alerts:
        alert_email(alert=alert)


def _missed_milestones(case: Case, *, today: dt.date, days: int) -> list[tuple[str, dt.date]]:
    """(trigger, date) of the milestones that began in the last ``days`` days (today included) with no
    check-in on or after that day. Precondition: procedures and check-ins are prefetched."""
    try:
        course = assess_case(
            procedures=list(case.procedures.all()),
            on=today,
            symptoms=[],
            concerns=[],
            temperature_c=None,
            country=None,
        )
    except NothingToAssess:
        return []
    last = max((c.date for c in case.checkins.all()), default=None)
    missed = {}
    for timing in course.procedures:
        for milestone in timing.milestones:
            due = milestone.date_from
            if today - dt.timedelta(days=days) < due <= today and (last is None or last < due):
                missed[f"milestone:{timing.procedure}:{milestone.id}:{due.isoformat()}"] = due
    return sorted(missed.items(), key=lambda item: (item[1], item[0]))


def missed_checkin_alerts(today: dt.date, *, days: int = MISSED_CHECKIN_DAYS) -> list[Alert]:
    """``check-in-missed`` alerts for shared cases where a recovery milestone fell due in the last
    ``days`` days and the patient has not checked in since; one per agency and milestone, so running
    this every hour (or twice) makes each alert once. Each new alert is e-mailed. Returns the alerts made now."""
    shared = CaseShare.objects.filter(
        active_share_filter(), agency__isnull=False, scope__in=CLINICAL_SCOPES, case=OuterRef("pk")
    )
    # A milestone can only fall due after surgery; cases operated on long ago have none left to miss
    # within the window, except the longest (the result can be judged), so no date cut-off is applied.
    cases = Case.objects.filter(Exists(shared)).prefetch_related("procedures", "checkins")
    made: list[Alert] = []
    for case in cases.iterator(chunk_size=500):
        missed = _missed_milestones(case, today=today, days=days)
        if not missed:
            continue
        for agency in _clinical_agencies([case.pk]).get(case.pk, []):
            for trigger, due in missed:
                alert = _alert_create(
                    agency=agency, case=case, kind=AlertKind.CHECKIN_MISSED, trigger=trigger, due_on=due
                )
                if alert is not None:
                    made.append(alert)
    _email_each(made)
    return made


def alert_recipients(alert: Alert) -> list[User]:
    """The coordinator assigned to the case at the agency, or else all the agency's coordinators."""
    coordinators = agency_coordinators(agency=alert.agency)
    assigned = (
        CaseAssignment.objects.filter(agency=alert.agency, case=alert.case, coordinator__in=coordinators)
        .values_list("coordinator_id", flat=True)
        .first()
    )
    if assigned is not None:
        return list(coordinators.filter(pk=assigned))
    return list(coordinators)


def alert_email(*, alert: Alert) -> bool:
    """E-mail the alert once. The message names no health detail and no patient, only that a case needs
    attention and the link to it: e-mail is not a safe place for health data. Returns whether it was sent
    now; a failed send leaves ``emailed_at`` empty, so the next run tries again."""
    if alert.emailed_at is not None:
        return False
    path = reverse("agency:case", kwargs={"case_id": alert.case_id})
    link = f"{settings.SITE_URL.rstrip('/')}{path}?agency={alert.agency_id}"
    sent = False
    for person in alert_recipients(alert):
        language = person.preferred_language if person.preferred_language in dict(settings.LANGUAGES) else "en"
        with translation.override(language):
            subject = _("Revisio: a case needs attention")
            body = _("A case that %(agency)s follows needs attention.\n\nOpen it in Revisio: %(link)s\n") % {
                "agency": alert.agency.name,
                "link": link,
            }
        try:
            send_mail(subject, body, None, [person.email])
        except Exception:  # the outbound mail server is a boundary we do not control
            logger.exception("could not e-mail alert %s to user %s", alert.pk, person.pk)
            continue
        sent = True
    if sent:
        Alert.objects.filter(pk=alert.pk).update(emailed_at=timezone.now())
        alert.emailed_at = timezone.now()
    return sent


def alerts_email_pending(*, agency: Agency | None = None) -> int:
    """E-mail every alert not yet e-mailed (after a mail server outage, say); returns how many went."""
    pending = Alert.objects.filter(emailed_at__isnull=True, read_at__isnull=True).select_related("agency", "case")
    if agency is not None:
        pending = pending.filter(agency=agency)
    return sum(alert_email(alert=alert) for alert in pending)
