"""What happened, in order: the dossier's timeline and summary, and the facts the K-medi draft tells.

Pure functions of ``Facts``; only recorded events appear (no expected milestones), because a
timeline in an evidence dossier must be what happened, not what should have.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from revisio.dossier.facts import CheckInFact, CommunicationFact, Facts
from revisio.dossier.labels import Bi, join, label


@dataclass(frozen=True)
class Event:
    date: dt.date
    kind: str  # procedure, leaving, checkin, photos, document, sent, received, application, step
    title: Bi
    detail: Bi | None = None
    words: str = ""  # the patient's or the clinic's own words, shown untranslated
    level: str = ""
    level_label: Bi | None = None


_ORDER = ("procedure", "leaving", "checkin", "photos", "document", "sent", "received", "application", "step")


def timeline(facts: Facts) -> list[Event]:
    lang = facts.language
    events = [
        Event(p.surgery_date, "procedure", label("ev_procedure", lang, name=p.name), p.anaesthesia, p.notes)
        for p in facts.procedures
    ]
    if facts.leaving_on:
        events.append(Event(facts.leaving_on, "leaving", label("ev_leaving", lang)))
    for checkin in facts.checkins:
        reported = [*checkin.symptoms, *checkin.concerns]
        events.append(
            Event(
                checkin.date,
                "checkin",
                label("ev_checkin", lang),
                join(reported, lang) if reported else None,
                checkin.notes,
                checkin.level,
                checkin.level_label,
            )
        )
    by_date: defaultdict[dt.date, list[Bi]] = defaultdict(list)
    for photo in facts.photos:
        by_date[photo.taken_on].append(photo.view_label)
    for date, views in by_date.items():
        unique = list(dict.fromkeys(views))
        events.append(Event(date, "photos", label("ev_photos", lang, n=len(views), views=join(unique, lang))))
    for document in facts.documents:
        events.append(
            Event(
                document.document_date or document.uploaded_on,
                "document",
                label("ev_document", lang, title=document.title),
                document.type_label,
            )
        )
    for message in facts.communications:
        who = message.counterpart_label
        if message.counterpart_name:
            who = Bi(f"{who.primary} ({message.counterpart_name})", f"{who.korean} ({message.counterpart_name})", lang)
        kind = "sent" if message.sent else "received"
        events.append(
            Event(message.occurred_on, kind, label(f"ev_{kind}", lang, who=who), message.channel, message.summary)
        )
    for application in facts.applications:
        events.append(
            Event(
                application.filed_on or application.created_on,
                "application",
                label("ev_application", lang, body=application.body),
                application.status,
                application.reference,
            )
        )
    for step in facts.steps:
        if step.done_on:
            events.append(Event(step.done_on, "step", label("ev_step", lang, step=step.title), None, step.note))
    return sorted(events, key=lambda e: (e.date, _ORDER.index(e.kind)))


def unanswered(facts: Facts) -> list[CommunicationFact]:
    """Messages sent to the clinic or surgeon with no reply from either recorded after them."""
    waiting: list[CommunicationFact] = []
    for message in facts.communications:  # oldest first
        if not message.with_clinic:
            continue
        if message.sent:
            waiting.append(message)
        else:  # a reply answers everything sent before it
            waiting.clear()
    return waiting


def first_concern(facts: Facts) -> CheckInFact | None:
    """The first check-in where the patient reported a concern or the level was above "expected"."""
    return next((c for c in facts.checkins if c.concerns or c.level != "expected"), None)


@dataclass(frozen=True)
class Summary:
    first_concern: CheckInFact | None
    latest: CheckInFact | None
    unanswered: Bi | None  # None: no message to the clinic recorded at all
    counts: Bi


def summary(facts: Facts) -> Summary:
    lang = facts.language
    waiting = unanswered(facts)
    to_clinic = [m for m in facts.communications if m.with_clinic and m.sent]
    if waiting:
        oldest = waiting[0].occurred_on
        text: Bi | None = label(
            "unanswered_text", lang, n=len(waiting), date=oldest.isoformat(), days=(facts.today - oldest).days
        )
    elif to_clinic:
        text = label("all_answered", lang)
    else:
        text = None
    counts = label(
        "counts",
        lang,
        checkins=len(facts.checkins),
        photos=len(facts.photos),
        documents=len(facts.documents),
        messages=len(facts.communications),
        devices=len(facts.devices),
    )
    return Summary(first_concern(facts), facts.checkins[-1] if facts.checkins else None, text, counts)


def day_label(day: int | None, language: str) -> Bi | None:
    return label("day_n", language, n=day) if day is not None else None
