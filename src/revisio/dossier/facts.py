"""What a dossier says, as plain frozen data: read once from the case, then printed by the PDF, the
K-medi draft and the manifest alike, so the three can never disagree.

Labels are ``Bi`` (the patient's language and Korean). Free text the patient or the clinic wrote is
kept as written (``str``): it is evidence and is never translated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from revisio.dossier.labels import Bi


@dataclass(frozen=True)
class ProcedureFact:
    name: Bi
    surgery_date: dt.date
    anaesthesia: Bi
    notes: str


@dataclass(frozen=True)
class FindingFact:
    level: str
    level_label: Bi
    kind: Bi
    message: Bi
    sources: tuple[int, ...]  # numbers in ``Facts.sources``


@dataclass(frozen=True)
class CheckInFact:
    id: str
    date: dt.date
    day: int | None
    level: str
    level_label: Bi
    symptoms: tuple[Bi, ...]
    concerns: tuple[Bi, ...]
    pain: int | None
    temperature_c: Decimal | None
    notes: str
    kb_version: str
    findings: tuple[FindingFact, ...]
    next_steps: tuple[Bi, ...]


@dataclass(frozen=True)
class MetricFact:
    name: str  # the stored metric name, e.g. hip_width_left
    label: Bi
    value: str  # three significant figures
    unit: str  # as the measurement stored it ("mm", "px", "fraction of hip width"); empty for an index


@dataclass(frozen=True)
class MeasurementFact:
    kind: Bi
    done: bool
    validated: bool
    points: Bi | None  # placed by hand or found automatically
    method: str
    metrics: tuple[MetricFact, ...]
    warnings: tuple[str, ...]
    error: str


@dataclass(frozen=True)
class PhotoFact:
    id: str
    view: str
    view_label: Bi
    body_area: Bi
    taken_on: dt.date
    day: int | None
    width: int
    height: int
    size: int
    sha256_stored: str
    sha256_original: str
    storage_name: str  # the stored file's name in media storage
    zip_path: str
    measurement: MeasurementFact | None


@dataclass(frozen=True)
class DocumentFact:
    id: str
    title: str
    type_label: Bi
    document_date: dt.date | None
    uploaded_on: dt.date
    size: int
    sha256: str
    sha256_original: str
    original_name: str
    storage_name: str
    zip_path: str


@dataclass(frozen=True)
class DeviceFact:
    type_label: Bi
    manufacturer: str
    model: str
    lot_number: str
    serial_number: str
    size: str
    placement: Bi
    fill: Bi
    side: Bi
    procedure: Bi | None


@dataclass(frozen=True)
class CommunicationFact:
    id: str
    occurred_on: dt.date
    sent: bool
    direction: Bi
    channel: Bi
    counterpart: str  # the Counterpart code: clinic, surgeon, ...
    counterpart_label: Bi
    counterpart_name: str
    summary: str
    body: str
    language: str
    attachments: tuple[str, ...]  # paths in the ZIP

    @property
    def with_clinic(self) -> bool:
        return self.counterpart in ("clinic", "surgeon")


@dataclass(frozen=True)
class StepFact:
    title: Bi
    first_suggested_on: dt.date
    due_on: dt.date | None
    done_on: dt.date | None
    note: str


@dataclass(frozen=True)
class ApplicationFact:
    body: Bi
    status: Bi
    filed_on: dt.date | None
    created_on: dt.date
    reference: str
    claim: str
    note: str


@dataclass(frozen=True)
class SourceFact:
    number: int
    id: str
    known: bool
    title: str
    publisher: str
    address: str
    quality: Bi | None
    accessed: dt.date | None


@dataclass(frozen=True)
class ChartFact:
    title: Bi
    svg: str  # inline SVG from ``recovery.charts`` (escaped there, safe to embed)


@dataclass(frozen=True)
class TrendFact:
    """One measured kind over time: a chart per metric, as on the case page."""

    label: Bi
    validated: bool
    charts: tuple[ChartFact, ...]

    @property
    def chart_rows(self) -> list[tuple[ChartFact, ...]]:
        """The charts two by two, as the PDF lays them out."""
        return [self.charts[i : i + 2] for i in range(0, len(self.charts), 2)]


@dataclass(frozen=True)
class PartyFacts:
    """The patient and the clinic, as the case record holds them (blank where not given)."""

    patient_name: str
    patient_email: str
    residence: Bi | None
    clinic_name: str
    clinic_city: str
    clinic_country: Bi | None
    clinic_phone: str
    clinic_email: str
    clinic_website: str
    surgeon_name: str


@dataclass(frozen=True)
class Facts:
    dossier_id: str
    case_id: str
    case_title: str
    language: str
    made_at: dt.datetime  # aware UTC
    made_at_local: dt.datetime  # in the patient's time zone
    time_zone: str
    kb_version: str
    party: PartyFacts
    leaving_on: dt.date | None
    procedures: tuple[ProcedureFact, ...]
    checkins: tuple[CheckInFact, ...]  # oldest first
    photos: tuple[PhotoFact, ...]  # oldest first
    documents: tuple[DocumentFact, ...]
    devices: tuple[DeviceFact, ...]
    communications: tuple[CommunicationFact, ...]  # oldest first
    steps: tuple[StepFact, ...]
    applications: tuple[ApplicationFact, ...]
    sources: tuple[SourceFact, ...]
    kb_versions: tuple[tuple[str, int], ...]  # (version, check-ins assessed with it)
    trends: tuple[TrendFact, ...] = field(default=())

    @property
    def today(self) -> dt.date:
        return self.made_at_local.date()

    @property
    def made_label(self) -> str:
        """When the dossier was made, in the patient's time zone and in UTC."""
        local, utc = self.made_at_local, self.made_at
        return f"{local:%Y-%m-%d %H:%M} ({self.time_zone}) = {utc:%Y-%m-%d %H:%M} UTC"
