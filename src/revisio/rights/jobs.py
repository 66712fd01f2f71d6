"""Background jobs of data exports (``revisio.jobs.enqueue("revisio.rights.jobs.export_build", id)``)."""

from __future__ import annotations

from revisio.rights import services


def export_build(export_id: str) -> None:
    """Build the export; safe to run again (it rebuilds). Progress and failure are on the row."""
    services.export_build(export_id=export_id)
