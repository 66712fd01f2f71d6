"""The knowledge-base schema: one pydantic model per record kind, one YAML file per record.

Every clinical statement is a ``Claim`` or a structured fact with a non-empty ``cite`` list, so a
record with an unsourced statement cannot be loaded at all. Cross-record references (citations
to sources, vocabulary IDs in rules, complication links) are checked by ``revisio.kb.validate``.

Days are counted from the day of the procedure (day 0), inclusive at both ends of a window.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Self

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Day = Annotated[int, Field(ge=0, le=3650)]


class Level(StrEnum):
    """How soon a situation needs care, from least to most pressing."""

    EXPECTED = "expected"
    MONITOR = "monitor"
    SEE_SURGEON = "see-surgeon"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]

    @property
    def is_red_flag(self) -> bool:
        """Urgent and emergency signs are red flags: nothing else reported may lower them."""
        return self.rank >= _LEVEL_RANK[Level.URGENT]


_LEVEL_RANK = {level: rank for rank, level in enumerate(Level)}


class Quality(StrEnum):
    AUTHORITATIVE = "authoritative"  # government, regulator, statute, professional society, peer review
    CLINIC = "clinic"  # clinic, law-firm or vendor page: useful but biased
    LOW = "low"  # aggregator or forum: cited only where nothing better says it


class Category(StrEnum):
    COSMETIC = "cosmetic"
    RECONSTRUCTIVE = "reconstructive"


class Group(StrEnum):
    """The procedure groups of seed document 002 (cosmetic versus reconstructive surgery)."""

    BREAST = "breast"
    BODY_CONTOURING = "body-contouring"
    FACIAL_REJUVENATION = "facial-rejuvenation"
    SKIN = "skin"
    FACIAL_CONTOURING = "facial-contouring"
    RECONSTRUCTION = "reconstruction"


class Anaesthesia(StrEnum):
    GENERAL = "general"
    SEDATION = "sedation"
    REGIONAL = "regional"
    LOCAL = "local"
    TOPICAL = "topical"
    NONE = "none"


class MilestoneKind(StrEnum):
    """What a milestone is about; the escalation plan and reminders key on these."""

    DISCHARGE = "discharge"
    SUTURES_OUT = "sutures-out"
    DRAIN_OUT = "drain-out"
    FOLLOW_UP = "follow-up"
    NO_FLYING = "no-flying"
    NO_PRESSURE = "no-pressure"
    GARMENT = "garment"
    RETURN_TO_WORK = "return-to-work"
    NORMAL_ACTIVITY = "normal-activity"
    EXERCISE = "exercise"
    REVIEW = "review"


class Scope(StrEnum):
    ALL = "all"  # applies after every procedure in the knowledge base
    LISTED = "listed"  # applies only to procedures that link to it


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Text(_Model):
    """A user-facing string in every language Revisio speaks. English and Korean are required."""

    en: NonEmpty
    ko: NonEmpty
    zh: NonEmpty | None = None
    ja: NonEmpty | None = None

    def get(self, language: str) -> str:
        """The text in ``language``, falling back to English where no translation exists."""
        value = getattr(self, language, None) if language in _LANGUAGES else None
        return value or self.en


_LANGUAGES = frozenset(Text.model_fields)


class Citation(_Model):
    """A pointer into a source record: which source, and where in it (section, table, paragraph)."""

    source: Slug
    locator: NonEmpty


Cited = Annotated[list[Citation], Field(min_length=1)]


class Claim(_Model):
    """A clinical statement shown to a user, with the sources that support it."""

    text: Text
    cite: Cited


class Source(_Model):
    """A document the knowledge base cites. Found by URL, DOI, or (for the seed documents) by file."""

    id: Slug
    title: NonEmpty
    publisher: NonEmpty
    url: AnyHttpUrl | None = None
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    document: NonEmpty | None = None
    accessed: dt.date
    quality: Quality
    note: NonEmpty | None = None

    @model_validator(mode="after")
    def _locatable(self) -> Self:
        if not (self.url or self.doi or self.document):
            raise ValueError("a source needs a url, a doi or a document to be found by")
        return self


class Symptom(_Model):
    """A symptom a patient can report; ``description`` says in plain words what the word means."""

    id: Slug
    label: Text
    description: Text
    implied_by_temperature: TemperatureThreshold | None = None


class TemperatureThreshold(_Model):
    """A measured temperature at or above ``min_celsius`` counts as reporting the symptom."""

    min_celsius: Annotated[float, Field(ge=30, le=45)]
    cite: Cited


class Concern(_Model):
    """Something a patient worries about in how the result looks or feels.

    ``appearance`` concerns are judgements of the result itself (asymmetry, contour): they are
    "too early to judge" until the procedure's final-result window opens.
    """

    id: Slug
    label: Text
    description: Text
    appearance: bool


class SignRule(_Model):
    """When the reported items match, sources say this may be a sign of the complication.

    A rule matches when at least one of ``any_of`` and all of ``all_of`` are reported, the
    temperature (if the rule names one) is at least ``min_temperature_c``, and the day since the
    procedure lies in ``[from_day, until_day]``.
    """

    id: Slug
    any_of: list[Slug] = []
    all_of: list[Slug] = []
    min_temperature_c: Annotated[float, Field(ge=30, le=45)] | None = None
    from_day: Day | None = None
    until_day: Day | None = None
    level: Level
    message: Text
    cite: Cited

    @model_validator(mode="after")
    def _has_trigger(self) -> Self:
        if not (self.any_of or self.all_of or self.min_temperature_c is not None):
            raise ValueError("a sign rule needs any_of, all_of or min_temperature_c")
        if self.level is Level.EXPECTED:
            raise ValueError("a sign of a complication cannot be at level 'expected'")
        if self.from_day is not None and self.until_day is not None and self.from_day > self.until_day:
            raise ValueError("from_day is after until_day")
        return self


class Grade(_Model):
    code: NonEmpty
    text: Text


class Grading(_Model):
    """A published grading scale, e.g. Baker grades of capsular contracture."""

    name: NonEmpty
    grades: Annotated[list[Grade], Field(min_length=2)]
    cite: Cited


class Complication(_Model):
    """Something that can go wrong, recognised by ``signs`` (acute) or judged by appearance.

    ``appearance_concerns`` names the appearance concerns that describe this outcome (asymmetry,
    contour irregularity); they are weighed against the procedure's final-result window rather
    than raised at once, so that early swelling is not mistaken for a failed result.
    """

    id: Slug
    names: Text
    description: Claim
    scope: Scope = Scope.LISTED
    grading: Grading | None = None
    signs: list[SignRule] = []
    appearance_concerns: list[Slug] = []

    @model_validator(mode="after")
    def _recognisable(self) -> Self:
        if not (self.signs or self.appearance_concerns):
            raise ValueError("a complication needs signs or appearance_concerns to be recognised by")
        return self


class ComplicationLink(_Model):
    """The procedure can lead to this complication, as the cited sources say."""

    id: Slug
    cite: Cited


class AnaesthesiaFact(_Model):
    kinds: Annotated[list[Anaesthesia], Field(min_length=1)]
    cite: Cited


class DurationFact(_Model):
    min_minutes: Annotated[int, Field(gt=0)]
    max_minutes: Annotated[int, Field(gt=0)]
    cite: Cited

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min_minutes > self.max_minutes:
            raise ValueError("min_minutes is greater than max_minutes")
        return self


class Milestone(_Model):
    """A point in recovery: from ``day`` (to ``day_max`` where sources give a range)."""

    id: Slug
    kind: MilestoneKind
    day: Day
    day_max: Day | None = None
    label: Text
    cite: Cited

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.day_max is not None and self.day_max < self.day:
            raise ValueError("day_max is before day")
        return self


class Expected(_Model):
    """A symptom or concern that sources describe as normal from ``from_day`` to ``until_day``."""

    item: Slug
    from_day: Day = 0
    until_day: Day
    message: Text
    cite: Cited

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.from_day > self.until_day:
            raise ValueError("from_day is after until_day")
        return self


class FinalResult(_Model):
    """When the result can be judged: not before ``from_day``, settled by ``by_day``."""

    from_day: Day
    by_day: Day
    message: Text
    cite: Cited

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.from_day > self.by_day:
            raise ValueError("from_day is after by_day")
        return self


class RevisionTiming(_Model):
    """The earliest day sources say a revision may be considered."""

    not_before_day: Day
    message: Text
    cite: Cited


class Procedure(_Model):
    id: Slug
    names: Text
    aliases: list[Slug] = []
    category: Category
    group: Group
    summary: Claim
    anaesthesia: AnaesthesiaFact | None = None
    duration: DurationFact | None = None
    milestones: list[Milestone] = []
    expected: Annotated[list[Expected], Field(min_length=1)]
    complications: list[ComplicationLink] = []
    final_result: FinalResult | None = None
    revision: RevisionTiming | None = None


class EmergencyNumber(_Model):
    number: Annotated[str, StringConstraints(pattern=r"^\d{2,4}$")]
    cite: Cited


class Country(_Model):
    """A country (or, for ``eu``, a group of countries sharing an emergency number)."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
    names: Text
    members: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]] = []
    emergency: EmergencyNumber


class BodyKind(StrEnum):
    """What a complaint body does for a patient."""

    MEDIATION = "mediation"  # mediates or arbitrates medical disputes (K-medi)
    CONSUMER = "consumer"  # consumer redress (Korea Consumer Agency)
    PATIENT_SUPPORT = "patient-support"  # helps foreign patients (KHIDI Medical Korea Support Center)
    REGULATOR = "regulator"  # registers and inspects providers (CQC)
    PROFESSIONAL_REGISTER = "professional-register"  # licenses doctors, hears conduct complaints (GMC, boards)
    COMPLAINTS_SCHEME = "complaints-scheme"  # independent adjudication for private providers (ISCAS)
    CONTACT_POINT = "contact-point"  # explains patients' rights (EU National Contact Points)
    DEVICE_REPORTING = "device-reporting"  # takes reports of problems with implants and devices


class Channel(StrEnum):
    ONLINE = "online"
    EMAIL = "email"
    FAX = "fax"
    POST = "post"
    PHONE = "phone"
    IN_PERSON = "in-person"


class ContactRoute(_Model):
    """One way to reach the body: a number, an address or a web page, with what it is for."""

    channel: Channel
    value: NonEmpty
    note: Text | None = None
    cite: Cited


class FeeBand(_Model):
    """``rate`` per ``per`` currency units of the claim above ``above`` (cumulative with lower bands)."""

    above: Annotated[int, Field(ge=0)]
    per: Annotated[int, Field(gt=0)]
    rate: Annotated[int, Field(ge=0)]


class FeeSchedule(_Model):
    """A fee that depends on the amount claimed: ``base`` plus each band's rate above its threshold."""

    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    base: Annotated[int, Field(ge=0)]
    bands: list[FeeBand] = []
    note: Text | None = None
    cite: Cited

    def fee(self, claim: int) -> int:
        """The fee for a claim of ``claim`` currency units (whole units, rounded down per band)."""
        if claim < 0:
            raise ValueError("the claim cannot be negative")
        total = self.base
        ordered = sorted(self.bands, key=lambda band: band.above)
        for band, following in zip(ordered, [*ordered[1:], None], strict=True):
            top = following.above if following else claim
            portion = max(0, min(claim, top) - band.above)
            total += portion // band.per * band.rate
        return total


class ListFact(_Model):
    items: Annotated[list[Text], Field(min_length=1)]
    cite: Cited


class LanguagesFact(_Model):
    codes: Annotated[list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Za-z]+)?$")]], Field(min_length=1)]
    cite: Cited


class BindingFact(_Model):
    binding: bool
    text: Text
    cite: Cited


class ConsentFact(_Model):
    """Whether the clinic must agree to take part, and within how many days it must answer."""

    clinic_must_agree: bool
    response_days: Day | None = None
    text: Text
    cite: Cited


class TakesDays(_Model):
    """How long the body usually takes, in days."""

    typical_days: Day | None = None
    max_days: Day | None = None
    text: Text
    cite: Cited


class LimitationFact(_Model):
    """Time limits to bring a claim: from learning of the damage, and from the act itself."""

    years_from_knowledge: Annotated[int, Field(gt=0, le=50)] | None = None
    years_from_act: Annotated[int, Field(gt=0, le=50)] | None = None
    text: Text
    cite: Cited


class ComplaintBody(_Model):
    """A complaint, mediation, support or reporting body, with its rules as its own sources state them."""

    id: Slug
    country: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
    kind: BodyKind
    names: Text
    local_name: NonEmpty | None = None
    url: AnyHttpUrl | None = None
    summary: Claim
    who_may_apply: Claim | None = None
    how_to_apply: list[ContactRoute] = []
    languages: LanguagesFact | None = None
    required_documents: ListFact | None = None
    fees: Claim | None = None
    fee_schedule: FeeSchedule | None = None
    binding: BindingFact | None = None
    consent: ConsentFact | None = None
    duration: TakesDays | None = None
    limitation: LimitationFact | None = None
    for_implants: bool = False
    steps: ListFact | None = None


class StepRecord(_Model):
    """A step the escalation plan can suggest: what to do, why (sourced), what it needs, and the
    complaint bodies it involves. The planner (``revisio.engine.escalation``) decides when it applies."""

    id: Slug
    title: Text
    why: Claim
    documents: ListFact | None = None
    bodies: list[Slug] = []


Symptom.model_rebuild()

#: Record kinds by the folder that holds them, in load order.
RECORD_KINDS: dict[str, type[_Model]] = {
    "sources": Source,
    "symptoms": Symptom,
    "concerns": Concern,
    "complications": Complication,
    "procedures": Procedure,
    "countries": Country,
    "complaint-bodies": ComplaintBody,
    "steps": StepRecord,
}
