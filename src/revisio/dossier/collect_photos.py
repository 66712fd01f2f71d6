"""Photos for a dossier: each with its latest measurement, the trend charts, and where it goes in the ZIP.

Reads only prefetched rows (``selectors.dossier_case``); no file is opened here.
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from revisio.cases.models import Document
from revisio.diary.models import MeasurementKind, MeasurementStatus, Photo, PhotoMeasurement
from revisio.dossier.facts import ChartFact, MeasurementFact, MetricFact, PhotoFact, TrendFact
from revisio.dossier.labels import KOREAN, Bi, both, label, same
from revisio.recovery.trends import case_trends
from revisio.web.templatetags.revisio import METRIC_LABELS


def photo_zip_path(photo: Photo) -> str:
    """``photos/2026-11-07_back_<id8>.jpg``: sorted by date in the ZIP, and traceable to the photo."""
    return f"photos/{photo.taken_on.isoformat()}_{photo.view}_{photo.pk.hex[:8]}{_extension(photo.image.name)}"


def document_zip_path(document: Document) -> str:
    """``documents/<type>_<id8>.pdf``."""
    return f"documents/{document.document_type}_{document.pk.hex[:8]}{_extension(document.file.name)}"


def day_of(date: dt.date, surgery_dates: list[dt.date]) -> int | None:
    """Days from the latest procedure on or before ``date`` (negative before the first one)."""
    if not surgery_dates:
        return None
    done = [d for d in surgery_dates if d <= date]
    return (date - (max(done) if done else min(surgery_dates))).days


def _extension(name: str) -> str:
    return name[name.rfind(".") :].lower() if "." in name.rsplit("/", 1)[-1] else ""


def photo_fact(photo: Photo, surgery_dates: list[dt.date], language: str) -> PhotoFact:
    rows = list(photo.measurements.all())  # prefetched, newest first
    latest = max(rows, key=lambda m: m.created_at) if rows else None
    return PhotoFact(
        id=str(photo.pk),
        view=photo.view,
        view_label=both(language, photo.get_view_display),
        body_area=both(language, photo.get_body_area_display),
        taken_on=photo.taken_on,
        day=day_of(photo.taken_on, surgery_dates),
        width=photo.width,
        height=photo.height,
        size=photo.size,
        sha256_stored=photo.sha256_stored,
        sha256_original=photo.sha256_original,
        storage_name=photo.image.name,
        zip_path=photo_zip_path(photo),
        measurement=_measurement(latest, language) if latest else None,
    )


def _measurement(row: PhotoMeasurement, language: str) -> MeasurementFact:
    done = row.status == MeasurementStatus.DONE
    metrics = []
    for name, value in row.metrics.items():
        unit = row.units.get(name, "")
        shown = f"{value:.3g}" if isinstance(value, float) else str(value)
        metrics.append(
            MetricFact(
                name,
                both(language, lambda name=name: METRIC_LABELS.get(name, name.replace("_", " "))),
                shown,
                "" if unit == "ratio" else unit,
            )
        )
    points = None
    if row.landmarks_source:
        points = label("points_manual" if row.landmarks_source == "manual" else "points_auto", language)
    kind = row.kind
    return MeasurementFact(
        kind=both(language, lambda: MeasurementKind(kind).label)
        if kind in MeasurementKind.values
        else same(kind, language),
        done=done,
        validated=row.validated,
        points=points,
        method=row.method,
        metrics=tuple(metrics) if done else (),
        warnings=tuple(str(w) for w in row.warnings),
        error=row.error,
    )


def trends(photos: list[Photo], surgery_dates: list[dt.date], language: str) -> tuple[TrendFact, ...]:
    """The case page's charts; drawn in the patient's language, titled in it and in Korean."""
    with translation.override(language):  # chart titles and series names are lazily translated
        drawn = case_trends(photos, surgery_dates)
    with translation.override(KOREAN):
        korean = case_trends(photos, surgery_dates)
    return tuple(
        TrendFact(
            Bi(trend.label, other.label, language),
            trend.validated,
            tuple(
                ChartFact(Bi(c.title, k.title, language), c.svg)
                for c, k in zip(trend.charts, other.charts, strict=True)
            ),
        )
        for trend, other in zip(drawn, korean, strict=True)
    )
