"""Background jobs of dossiers (``revisio.jobs.enqueue("revisio.dossier.jobs.dossier_build", id)``)."""

from __future__ import annotations

from revisio.dossier import services


def dossier_build(dossier_id: str) -> None:
    """Build the dossier; safe to run again (it rebuilds). Progress and failure are on the row."""
    services.dossier_build(dossier_id=dossier_id)
