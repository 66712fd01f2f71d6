"""What the assessment engine takes and returns: plain, immutable values (no Django, no I/O)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from revisio.kb.models import Level, MilestoneKind


class FindingKind(StrEnum):
    RED_FLAG = "red-flag"
    COMPLICATION_SIGN = "complication-sign"
    EXPECTED = "expected"
    TOO_EARLY = "too-early"
    REVISION_INDICATION = "revision-indication"
    UNEXPECTED_TIMING = "unexpected-timing"


class Bilingual(Protocol):
    """Anything with English and Korean text: a knowledge-base ``Text`` or an engine ``Message``."""

    @property
    def en(self) -> str: ...

    @property
    def ko(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Message:
    """A sentence in every language the engine writes (English and Korean)."""

    en: str
    ko: str

    def get(self, language: str) -> str:
        return self.ko if language == "ko" else self.en


@dataclass(frozen=True, slots=True)
class CaseProcedure:
    """One procedure of the case: a knowledge-base ID (or alias) and the day it was done."""

    procedure: str
    surgery_date: dt.date


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the engine noticed, with the level it warrants and the sources behind it.

    ``procedure`` is None for case-wide red flags that apply whatever was done.
    """

    id: str
    kind: FindingKind
    level: Level
    message: Message
    sources: tuple[str, ...]
    procedure: str | None
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MilestoneDate:
    id: str
    kind: MilestoneKind
    date_from: dt.date
    date_to: dt.date
    label: Message
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProcedureTiming:
    """Where one procedure stands on the assessment date."""

    procedure: str
    name: Message
    surgery_date: dt.date
    day: int
    final_result_from: dt.date | None
    final_result_by: dt.date | None
    final_result_sources: tuple[str, ...]
    revision_not_before: dt.date | None
    revision_sources: tuple[str, ...]
    milestones: tuple[MilestoneDate, ...]


@dataclass(frozen=True, slots=True)
class EmergencyContact:
    """The emergency number to name; ``country`` is None when the patient's country is unknown."""

    country: str | None
    country_name: Message | None
    number: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Assessment:
    """The answer for a case on a date: deterministic for the same inputs and knowledge base."""

    on: dt.date
    level: Level
    procedures: tuple[ProcedureTiming, ...]
    findings: tuple[Finding, ...]
    next_steps: tuple[Message, ...]
    emergency_contacts: tuple[EmergencyContact, ...]
    symptoms: tuple[str, ...]
    concerns: tuple[str, ...]
    temperature_c: float | None
    kb_version: str
    final_result_from: dt.date | None = field(default=None)
    final_result_by: dt.date | None = field(default=None)
    revision_not_before: dt.date | None = field(default=None)
