"""What the case page shows, computed from a case fetched with ``cases.selectors.case_page``.

No queries of its own beyond that prefetch: every list below is read from prefetched rows, so the
page costs the same number of queries however long the diary grows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from revisio import kb
from revisio.cases.models import Case
from revisio.diary.models import CheckIn, Photo, View
from revisio.engine.serialise import assessment_dict, localise
from revisio.recovery.adapter import NothingToAssess, assess_case, emergency_country
from revisio.recovery.trends import KindTrend, case_trends, first_and_latest


@dataclass(frozen=True)
class TimelineEvent:
    date: dt.date
    kind: str  # surgery, milestone, checkin, photo, document, today
    title: str
    detail: str = ""
    level: str = ""
    sources: tuple[str, ...] = ()
    date_to: dt.date | None = None
    url_name: str = ""
    object_id: str = ""


@dataclass
class CaseOverview:
    case: Case
    today: dt.date
    latest: CheckIn | None
    current: dict[str, Any] | None  # the latest check-in's assessment, in the page's language
    course: dict[str, Any] | None  # today's timings and milestones, nothing reported
    emergency_numbers: list[dict[str, Any]]
    timeline: list[TimelineEvent]
    photos_by_view: list[tuple[str, list[Photo]]]
    checkins: list[CheckIn] = field(default_factory=list)
    trends: list[KindTrend] = field(default_factory=list)
    compare: list[tuple[str, Photo, Photo]] = field(default_factory=list)


def case_overview(case: Case, *, today: dt.date, language: str) -> CaseOverview:
    checkins = list(case.checkins.all())  # prefetched, newest first
    latest = checkins[0] if checkins else None
    current = localise(latest.assessment, language) if latest else None
    country = emergency_country(case.owner.current_country)
    procedures = list(case.procedures.all())
    try:
        course_result = assess_case(
            procedures=procedures, on=today, symptoms=[], concerns=[], temperature_c=None, country=country
        )
        course: dict[str, Any] | None = assessment_dict(course_result, language)
        emergency = course["emergency_numbers"]
    except NothingToAssess:
        course = None
        emergency = emergency_numbers(country)
    photos = list(case.photos.all())
    return CaseOverview(
        case=case,
        today=today,
        latest=latest,
        current=current,
        course=course,
        emergency_numbers=emergency,
        timeline=_timeline(case, checkins, course, today, language),
        photos_by_view=photos_by_view(photos),
        checkins=checkins,
        trends=case_trends(photos, [p.surgery_date for p in procedures]),
        compare=first_and_latest(photos),
    )


def emergency_numbers(country: str | None) -> list[dict[str, Any]]:
    """The emergency number where the patient is, or every number Revisio knows when that is unknown."""
    base = kb.load()
    records = [base.country(country)] if country else list(base.countries.values())
    return [
        {"country": r.id, "number": r.emergency.number, "sources": [c.source for c in r.emergency.cite]}
        for r in records
    ]


def _timeline(
    case: Case, checkins: list[CheckIn], course: dict[str, Any] | None, today: dt.date, language: str
) -> list[TimelineEvent]:
    base = kb.load()
    events: list[TimelineEvent] = [TimelineEvent(date=today, kind="today", title=_("Today"))]
    for procedure in case.procedures.all():
        record = base.procedures.get(procedure.procedure)
        name = record.names.get(language) if record else procedure.procedure
        events.append(TimelineEvent(date=procedure.surgery_date, kind="surgery", title=name))
    for milestone in (course or {}).get("milestones", []):
        events.append(
            TimelineEvent(
                date=dt.date.fromisoformat(milestone["from"]),
                date_to=dt.date.fromisoformat(milestone["to"]),
                kind="milestone",
                title=milestone["label"],
                sources=tuple(milestone["sources"]),
            )
        )
    for timing in (course or {}).get("timings", []):
        if timing["final_result_from"]:
            events.append(
                TimelineEvent(
                    date=dt.date.fromisoformat(timing["final_result_from"]),
                    date_to=dt.date.fromisoformat(timing["final_result_by"]),
                    kind="milestone",
                    title=_("The result can be judged (%(procedure)s)")
                    % {"procedure": _procedure_name(base, timing["procedure"], language)},
                )
            )
    for checkin in checkins:
        events.append(
            TimelineEvent(
                date=checkin.date,
                kind="checkin",
                title=_("Check-in"),
                level=checkin.level,
                url_name="diary:checkin",
                object_id=str(checkin.pk),
            )
        )
    for photo in case.photos.all():
        events.append(
            TimelineEvent(
                date=photo.taken_on,
                kind="photo",
                title=_("Photo: %(view)s") % {"view": photo.get_view_display()},
                object_id=str(photo.pk),
            )
        )
    for document in case.documents.all():
        events.append(
            TimelineEvent(
                date=document.document_date or document.uploaded_at.date(),
                kind="document",
                title=document.title,
                detail=document.get_document_type_display(),
                url_name="cases:document_download",
                object_id=str(document.pk),
            )
        )
    order = {"surgery": 0, "milestone": 1, "today": 2, "checkin": 3, "photo": 4, "document": 5}
    # Procedures done together often share a milestone (e.g. flying): show it once.
    unique = {(e.kind, e.date, e.date_to, e.title): e for e in reversed(events) if e.kind == "milestone"}
    events = [e for e in events if e.kind != "milestone"] + list(unique.values())
    return sorted(events, key=lambda e: (e.date, order[e.kind], e.title))


def _procedure_name(base: kb.KnowledgeBase, procedure_id: str, language: str) -> str:
    record = base.procedures.get(procedure_id)
    return record.names.get(language) if record else procedure_id


def photos_by_view(photos: list[Photo]) -> list[tuple[str, list[Photo]]]:
    """Photos grouped by standard view (in the order of ``View``), each group oldest first."""
    groups: defaultdict[str, list[Photo]] = defaultdict(list)
    for photo in sorted(photos, key=lambda p: (p.taken_on, p.created_at)):
        groups[photo.view].append(photo)
    return [(str(View(view).label), groups[view]) for view in View.values if view in groups]
