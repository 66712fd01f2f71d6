"""Background jobs for the agency dashboard: thin, they take plain IDs and call one service, and are
safe to run twice (the alerts' unique constraint makes one alert per trigger)."""

from __future__ import annotations

from django.utils import timezone

from revisio.agency import services


def checkin_alerts(checkin_id: str) -> None:
    """Queued by ``diary.services.checkin_add`` once a check-in is saved."""
    services.checkin_alerts(checkin_id=checkin_id)


def missed_checkin_alerts() -> None:
    """For a periodic scheduler (cron, Celery beat): the same as ``revisio manage agency_alerts``."""
    services.missed_checkin_alerts(timezone.localdate())
