"""Measurements over time for the case page: a chart per metric, and first-versus-latest photos.

Reads only prefetched rows (``cases.selectors.case_page``): one query set however many photos.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from revisio.diary.models import MeasurementKind, MeasurementStatus, Photo, PhotoMeasurement, View
from revisio.recovery.charts import Series, line_chart

# (metric shown, its series: (label, stored metric name)); left and right are the patient's own.
PANELS: dict[str, list[tuple[object, list[tuple[object, str]]]]] = {
    MeasurementKind.FACE: [
        (
            gettext_lazy("Brow height (mm)"),
            [(gettext_lazy("left"), "brow_height_left_mm"), (gettext_lazy("right"), "brow_height_right_mm")],
        ),
        (
            gettext_lazy("Eyelid opening (mm)"),
            [
                (gettext_lazy("left"), "palpebral_fissure_height_left_mm"),
                (gettext_lazy("right"), "palpebral_fissure_height_right_mm"),
            ],
        ),
        (
            gettext_lazy("Mouth corner below the eyes (mm)"),
            [
                (gettext_lazy("left"), "commissure_height_left_mm"),
                (gettext_lazy("right"), "commissure_height_right_mm"),
            ],
        ),
        (
            gettext_lazy("Nose tip off the midline (mm)"),
            [(gettext_lazy("nose tip"), "nasal_tip_deviation_mm"), (gettext_lazy("chin"), "chin_deviation_mm")],
        ),
        (gettext_lazy("Asymmetry index"), [(gettext_lazy("index"), "asymmetry_index")]),
    ],
    MeasurementKind.BREAST: [
        (gettext_lazy("BCCT indices"), [("BRA", "bra"), ("UNR", "unr"), ("LBC", "lbc")]),
    ],
    MeasurementKind.HEAD_TOP: [
        (gettext_lazy("Cephalic index (%)"), [(gettext_lazy("index"), "cephalic_index")]),
        (gettext_lazy("Cranial vault asymmetry index (%)"), [("CVAI", "cvai")]),
    ],
    MeasurementKind.BODY: [
        (
            gettext_lazy("Hip width (share of total)"),
            [(gettext_lazy("left"), "hip_width_left"), (gettext_lazy("right"), "hip_width_right")],
        ),
        (
            gettext_lazy("Waist width (share of hip width)"),
            [(gettext_lazy("left"), "waist_width_left"), (gettext_lazy("right"), "waist_width_right")],
        ),
        (gettext_lazy("Hip asymmetry index"), [(gettext_lazy("index"), "hip_asymmetry_index")]),
    ],
}


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str


@dataclass(frozen=True)
class KindTrend:
    kind: str
    label: str
    validated: bool
    charts: list[Chart]
    count: int


def latest_measurement(photo: Photo) -> PhotoMeasurement | None:
    """The newest measurement of a photo, from its prefetched rows."""
    rows = list(photo.measurements.all())
    return max(rows, key=lambda m: m.created_at) if rows else None


def case_trends(photos: list[Photo], surgery_dates: list[dt.date]) -> list[KindTrend]:
    by_kind: defaultdict[str, list[tuple[dt.date, PhotoMeasurement]]] = defaultdict(list)
    for photo in photos:
        latest = latest_measurement(photo)
        if latest is not None and latest.status == MeasurementStatus.DONE:
            by_kind[latest.kind].append((photo.taken_on, latest))
    marks = [(date, _("procedure")) for date in surgery_dates]
    trends = []
    for kind in MeasurementKind.values:
        rows = sorted(by_kind.get(kind, []), key=lambda pair: pair[0])
        if not rows:
            continue
        charts = []
        for title, series_spec in PANELS[kind]:
            series = [
                Series(str(label), [(date, float(m.metrics[name])) for date, m in rows if name in m.metrics])
                for label, name in series_spec
            ]
            series = [s for s in series if s.points]
            if series:
                charts.append(Chart(str(title), line_chart(str(title), series, marks=marks)))
        trends.append(KindTrend(kind, str(MeasurementKind(kind).label), rows[-1][1].validated, charts, len(rows)))
    return trends


def first_and_latest(photos: list[Photo]) -> list[tuple[str, Photo, Photo]]:
    """For each view photographed at least twice: its first and latest photo, to compare side by side."""
    by_view: defaultdict[str, list[Photo]] = defaultdict(list)
    for photo in sorted(photos, key=lambda p: (p.taken_on, p.created_at)):
        by_view[photo.view].append(photo)
    return [(str(View(view).label), group[0], group[-1]) for view, group in by_view.items() if len(group) > 1]
