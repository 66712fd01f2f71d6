"""Small builders for FHIR data types as JSON dicts (validated when the Bundle is constructed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

JSON = dict[str, Any]


def coding(system: str, code: str, display: str | None = None) -> JSON:
    return {"system": system, "code": code, **({"display": display} if display else {})}


def concept(*codings: JSON, text: str | None = None) -> JSON:
    return {**({"coding": list(codings)} if codings else {}), **({"text": text} if text else {})}


def reference(full_url: str, display: str | None = None) -> JSON:
    return {"reference": full_url, **({"display": display} if display else {})}


def annotations(*texts: str) -> list[JSON]:
    return [{"text": text} for text in texts if text]


def instant(value: dt.datetime) -> str:
    """An aware datetime as a FHIR instant in UTC."""
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def day(value: dt.date) -> str:
    return value.isoformat()


def compact(resource: JSON) -> JSON:
    """The resource without empty elements (FHIR forbids empty strings, lists and objects)."""
    return {key: value for key, value in resource.items() if value not in (None, "", [], {})}


def codes_of(value: Any, system: str) -> list[str]:
    """The codes of ``system`` in a CodeableConcept (or a list of them)."""
    concepts = value if isinstance(value, list) else [value]
    return [
        c["code"]
        for item in concepts
        if isinstance(item, dict)
        for c in item.get("coding", [])
        if isinstance(c, dict) and c.get("system") == system and isinstance(c.get("code"), str)
    ]
