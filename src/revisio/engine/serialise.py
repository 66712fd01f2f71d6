"""Assessments as JSON-ready dicts: per language for ``revisio check --json`` and the API, or
bilingual (every message as ``{"en": ..., "ko": ...}``) for storing with a check-in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from revisio.engine.model import Assessment, Message


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _text(message: Message, language: str | None) -> Any:
    return {"en": message.en, "ko": message.ko} if language is None else message.get(language)


def assessment_dict(result: Assessment, language: str | None) -> dict[str, Any]:
    """The documented JSON shape; ``language=None`` keeps both languages for every message."""
    first = result.procedures[0]
    return {
        "procedure": first.procedure,
        "procedures": [t.procedure for t in result.procedures],
        "surgery_date": first.surgery_date.isoformat(),
        "on": result.on.isoformat(),
        "day": first.day,
        "level": result.level.value,
        "final_result_from": _iso(result.final_result_from),
        "final_result_by": _iso(result.final_result_by),
        "revision_not_before": _iso(result.revision_not_before),
        "findings": [
            {
                "id": f.id,
                "kind": f.kind.value,
                "level": f.level.value,
                "message": _text(f.message, language),
                "sources": list(f.sources),
                "procedure": f.procedure,
            }
            for f in result.findings
        ],
        "next_steps": [_text(step, language) for step in result.next_steps],
        "emergency_numbers": [
            {"country": c.country, "number": c.number, "sources": list(c.sources)} for c in result.emergency_contacts
        ],
        "milestones": [
            {
                "procedure": t.procedure,
                "id": m.id,
                "kind": m.kind.value,
                "from": m.date_from.isoformat(),
                "to": m.date_to.isoformat(),
                "label": _text(m.label, language),
                "sources": list(m.sources),
            }
            for t in result.procedures
            for m in t.milestones
        ],
        "timings": [
            {
                "procedure": t.procedure,
                "surgery_date": t.surgery_date.isoformat(),
                "day": t.day,
                "final_result_from": _iso(t.final_result_from),
                "final_result_by": _iso(t.final_result_by),
                "revision_not_before": _iso(t.revision_not_before),
            }
            for t in result.procedures
        ],
        "symptoms": list(result.symptoms),
        "concerns": list(result.concerns),
        "temperature_c": result.temperature_c,
        "language": language,
        "kb_version": result.kb_version,
    }


def localise(stored: dict[str, Any], language: str) -> dict[str, Any]:
    """A stored bilingual assessment in one language (English where a translation is missing)."""

    def pick(value: Any) -> Any:
        return value.get(language) or value.get("en") if isinstance(value, dict) else value

    return {
        **stored,
        "findings": [{**f, "message": pick(f["message"])} for f in stored["findings"]],
        "next_steps": [pick(step) for step in stored["next_steps"]],
        "milestones": [{**m, "label": pick(m["label"])} for m in stored["milestones"]],
        "language": language,
    }
