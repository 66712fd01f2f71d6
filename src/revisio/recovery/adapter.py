"""Case records in, engine assessments out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from revisio import kb
from revisio.engine import Assessment, CaseProcedure, assess
from revisio.engine.serialise import assessment_dict


def engine_procedures(procedures: Iterable[Any]) -> list[CaseProcedure]:
    """Engine inputs from ``CaseProcedure`` rows (anything with ``procedure`` and ``surgery_date``)."""
    return [CaseProcedure(p.procedure, p.surgery_date) for p in procedures]


def assess_case(
    *,
    procedures: Sequence[Any],
    on: dt.date,
    symptoms: Sequence[str],
    concerns: Sequence[str],
    temperature_c: Decimal | float | None,
    country: str | None,
) -> Assessment:
    """Assess a case on a date. Procedures done after ``on`` are left out: they had not happened yet.

    Raises the engine's ``UnknownIdError``/``InvalidInputError`` for bad input, and ``NothingToAssess``
    when no procedure of the case had been done by ``on``.
    """
    done = [p for p in procedures if p.surgery_date <= on]
    if not done:
        raise NothingToAssess(on)
    return assess(
        procedures=engine_procedures(done),
        on=on,
        symptoms=symptoms,
        concerns=concerns,
        temperature_c=float(temperature_c) if temperature_c is not None else None,
        country=country or None,
    )


def stored_assessment(result: Assessment) -> dict[str, Any]:
    """The bilingual JSON kept with a check-in."""
    return assessment_dict(result, None)


class NothingToAssess(ValueError):
    def __init__(self, on: dt.date) -> None:
        super().__init__(f"no procedure of this case had been done by {on.isoformat()}")
        self.on = on


def emergency_country(country: str | None) -> str | None:
    """The code if the knowledge base knows an emergency number there, else None (all are named)."""
    if not country:
        return None
    try:
        kb.load().country(country)
    except kb.UnknownIdError:
        return None
    return country
