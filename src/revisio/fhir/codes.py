"""Code systems, value sets and extensions of the FHIR mapping (``docs/fhir.md``).

One system URI per vocabulary. Revisio's own vocabularies (knowledge-base IDs and the models' choices)
live under ``https://revisio.example/fhir/CodeSystem/<name>``; the FHIR value sets that
``fhir.resources`` does not enforce are listed here so ``check_bundle`` and the import can check them.
SNOMED CT and DICOM codes are only those the research notes give (section 3.4 of
``clinical-and-agency-facts.md``); the two LOINC codes are the ones the FHIR vital-signs profile and
LOINC define for a body temperature and a 0-10 pain score.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from revisio import kb
from revisio.cases.models import Anaesthesia, DeviceType, DocumentType, Fill, Placement, Side
from revisio.diary.models import BodyArea, Level, MeasurementKind, View
from revisio.engine.model import FindingKind
from revisio.escalation.models import ApplicationStatus, Channel, Counterpart

BASE = "https://revisio.example/fhir"


def system(name: str) -> str:
    return f"{BASE}/CodeSystem/{name}"


def extension(name: str) -> str:
    return f"{BASE}/StructureDefinition/{name}"


def identifier_system(name: str) -> str:
    return f"{BASE}/sid/{name}"


# --- Revisio's vocabularies --------------------------------------------------------------------
PROCEDURE = system("procedure")  # knowledge-base procedure IDs
SYMPTOM = system("symptom")
CONCERN = system("concern")
COMPLICATION = system("complication")
FINDING = system("finding")  # the engine's finding IDs, e.g. "sign/seroma/fluid"
FINDING_KIND = system("finding-kind")
LEVEL = system("level")
SOURCE = system("source")  # knowledge-base source records
MILESTONE = system("milestone")  # "<procedure>/<milestone>" or "<procedure>/final-result"
ESCALATION_STEP = system("escalation-step")
ANAESTHESIA = system("anaesthesia")
DEVICE_TYPE = system("device-type")
DEVICE_PROPERTY = system("device-property")
PLACEMENT = system("placement")
FILL = system("fill")
SIDE = system("side")  # always the patient's own left and right
PHOTO_VIEW = system("photo-view")
BODY_AREA = system("body-area")
MEASUREMENT = system("measurement")
METRIC = system("metric")
DOCUMENT_TYPE = system("document-type")
#: The document type of an evidence dossier (``revisio.dossier``), beside the case's own document types.
EVIDENCE_DOSSIER = "evidence-dossier"
CHANNEL = system("channel")
COUNTERPART = system("counterpart")
APPLICATION_STATUS = system("application-status")
OBSERVATION = system("observation")  # Revisio's own observation codes
TASK = system("task")
TASK_INPUT = system("task-input")

# --- extensions and identifier systems -----------------------------------------------------------
EXT_ANAESTHESIA = extension("anaesthesia")  # Procedure: valueCoding (ANAESTHESIA)
EXT_LEAVING_ON = extension("leaving-on")  # CarePlan: valueDate the patient leaves the country
EXT_SHA256 = extension("sha256")  # Attachment: valueString, lowercase hex SHA-256 of the bytes at url
EXT_KB_VERSION = extension("kb-version")  # Observation (assessment): valueString
EXT_FINDING_KIND = extension("finding-kind")  # Observation.component: valueCode
EXT_FINDING_SOURCE = extension("finding-source")  # Observation.component: valueCoding (SOURCE)
EXT_LANDMARKS_SOURCE = extension("landmarks-source")  # Observation: valueCode auto | manual
EXT_VALIDATED = extension("method-validated")  # Observation: valueBoolean
EXT_COUNTERPART = extension("counterpart")  # Communication: valueCoding (COUNTERPART)
ID_SHA256_ORIGINAL = identifier_system("sha256-original")  # SHA-256 of the file as uploaded
ID_CASE = identifier_system("case")
ID_COMPLAINT_BODY = identifier_system("complaint-body")  # Task.owner: a knowledge-base complaint body
ID_COMPLAINT_REFERENCE = identifier_system("complaint-reference")  # the body's own reference number

# --- external systems ------------------------------------------------------------------------------
SNOMED = "http://snomed.info/sct"
DICOM = "http://dicom.nema.org/resources/ontology/DCM"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
BCP47 = "urn:ietf:bcp:47"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
MEDIA_TYPE = "http://terminology.hl7.org/CodeSystem/media-type"

#: Procedure.code: only the codes the research notes give (DICOM CID 6084 mappings).
PROCEDURE_SNOMED = {
    "breast-augmentation": ("302343007", "Breast prosthesis insertion"),
    "breast-reduction": ("59214008", "Reduction mammoplasty"),
}
SNOMED_PROCEDURE = {code: procedure for procedure, (code, _) in PROCEDURE_SNOMED.items()}
#: Device.type of a breast implant by its fill (SNOMED CT and DICOM, from the same notes).
IMPLANT_FILL_CODES = {
    Fill.SILICONE_GEL: (SNOMED, "465380004", "Silicone gel implant"),
    Fill.SALINE: (DICOM, "111481", "Saline implant"),
}
#: Device placement of a breast implant (DICOM).
PLACEMENT_DICOM = {
    Placement.SUBGLANDULAR: ("111485", "Pre-pectoral implant"),
    Placement.SUBMUSCULAR: ("111486", "Retro-pectoral implant"),
}
LOINC_BODY_TEMPERATURE = ("8310-5", "Body temperature")
LOINC_PAIN = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
OBSERVATION_CODES = {
    "recovery-assessment": "Recovery check assessment",
    "body-temperature": "Body temperature",
    "pain-score": "Pain score (0-10)",
}
DEVICE_PROPERTIES = {"size": "Size", "placement": "Placement", "fill": "Fill", "side": "Side of the body"}

# --- FHIR R4B value sets fhir.resources does not enforce -------------------------------------------
EVENT_STATUS = (
    "preparation",
    "in-progress",
    "not-done",
    "on-hold",
    "stopped",
    "completed",
    "entered-in-error",
    "unknown",
)
OBSERVATION_STATUS = (
    "registered",
    "preliminary",
    "final",
    "amended",
    "corrected",
    "cancelled",
    "entered-in-error",
    "unknown",
)
CONDITION_CLINICAL_STATUS = ("active", "recurrence", "relapse", "inactive", "remission", "resolved")
CONDITION_VERIFICATION_STATUS = (
    "unconfirmed",
    "provisional",
    "differential",
    "confirmed",
    "refuted",
    "entered-in-error",
)
DOCUMENT_REFERENCE_STATUS = ("current", "superseded", "entered-in-error")
COMPOSITION_STATUS = ("preliminary", "final", "amended", "entered-in-error")
CARE_PLAN_STATUS = ("draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown")
CARE_PLAN_INTENT = ("proposal", "plan", "order", "option")
CARE_PLAN_ACTIVITY_STATUS = (
    "not-started",
    "scheduled",
    "in-progress",
    "on-hold",
    "completed",
    "cancelled",
    "stopped",
    "unknown",
    "entered-in-error",
)
TASK_STATUS = (
    "draft",
    "requested",
    "received",
    "accepted",
    "rejected",
    "ready",
    "cancelled",
    "in-progress",
    "on-hold",
    "failed",
    "completed",
    "entered-in-error",
)
TASK_INTENT = (
    "unknown",
    "proposal",
    "plan",
    "order",
    "original-order",
    "reflex-order",
    "filler-order",
    "instance-order",
    "option",
)
DEVICE_STATUS = ("active", "inactive", "entered-in-error", "unknown")
BUNDLE_TYPE = (
    "document",
    "message",
    "transaction",
    "transaction-response",
    "batch",
    "batch-response",
    "history",
    "searchset",
    "collection",
)
#: (resource type, element path with "[]" for "each item") -> the codes allowed in that ``code`` element.
STATUS_VALUE_SETS: dict[tuple[str, str], tuple[str, ...]] = {
    ("Bundle", "type"): BUNDLE_TYPE,
    ("Procedure", "status"): EVENT_STATUS,
    ("Observation", "status"): OBSERVATION_STATUS,
    ("Communication", "status"): EVENT_STATUS,
    ("Media", "status"): EVENT_STATUS,
    ("DocumentReference", "status"): DOCUMENT_REFERENCE_STATUS,
    ("DocumentReference", "docStatus"): COMPOSITION_STATUS,
    ("CarePlan", "status"): CARE_PLAN_STATUS,
    ("CarePlan", "intent"): CARE_PLAN_INTENT,
    ("CarePlan", "activity[].detail.status"): CARE_PLAN_ACTIVITY_STATUS,
    ("Task", "status"): TASK_STATUS,
    ("Task", "intent"): TASK_INTENT,
    ("Device", "status"): DEVICE_STATUS,
}
#: (resource type, CodeableConcept element) -> (system, codes): a coding of that system must be present.
REQUIRED_CODINGS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("Condition", "clinicalStatus"): (CONDITION_CLINICAL, CONDITION_CLINICAL_STATUS),
    ("Condition", "verificationStatus"): (CONDITION_VERIFICATION, CONDITION_VERIFICATION_STATUS),
}

# Application status <-> Task.status, both ways (the exact status also travels in Task.businessStatus).
APPLICATION_TASK_STATUS = {
    ApplicationStatus.PREPARING: "draft",
    ApplicationStatus.FILED: "requested",
    ApplicationStatus.ACCEPTED: "accepted",
    ApplicationStatus.DISMISSED: "rejected",
    ApplicationStatus.SETTLED: "completed",
    ApplicationStatus.WITHDRAWN: "cancelled",
}
TASK_APPLICATION_STATUS = {task: str(application) for application, task in APPLICATION_TASK_STATUS.items()}

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def is_slug(code: str) -> bool:
    return bool(_SLUG.match(code)) and len(code) <= 64


def is_language(code: str) -> bool:
    return bool(_LANGUAGE.match(code))


def _milestone_known(code: str) -> bool:
    procedure_id, _, milestone = code.partition("/")
    record = kb.load().procedures.get(procedure_id)
    if record is None:
        return False
    return milestone == "final-result" or milestone in {m.id for m in record.milestones}


def _finding_known(code: str) -> bool:
    return all(is_slug(part) for part in code.split("/")) and len(code) <= 200


def _choices(values: list[str]) -> Callable[[str], bool]:
    allowed = frozenset(values)
    return lambda code: code in allowed


def _kb(kind: str) -> Callable[[str], bool]:
    return lambda code: code in getattr(kb.load(), kind)


#: Every system whose codes are checked, with the test a code must pass.
VOCABULARIES: dict[str, Callable[[str], bool]] = {
    PROCEDURE: _kb("procedures"),
    SYMPTOM: _kb("symptoms"),
    CONCERN: _kb("concerns"),
    COMPLICATION: _kb("complications"),
    SOURCE: _kb("sources"),
    FINDING: _finding_known,
    FINDING_KIND: _choices([k.value for k in FindingKind]),
    LEVEL: _choices(Level.values),
    MILESTONE: _milestone_known,
    ESCALATION_STEP: _kb("steps"),
    ANAESTHESIA: _choices(Anaesthesia.values),
    DEVICE_TYPE: _choices(DeviceType.values),
    DEVICE_PROPERTY: _choices(list(DEVICE_PROPERTIES)),
    PLACEMENT: _choices(Placement.values),
    FILL: _choices(Fill.values),
    SIDE: _choices(Side.values),
    PHOTO_VIEW: _choices(View.values),
    BODY_AREA: _choices(BodyArea.values),
    MEASUREMENT: _choices(MeasurementKind.values),
    METRIC: lambda code: bool(re.match(r"^[a-z0-9_]{1,64}$", code)),
    DOCUMENT_TYPE: _choices([*DocumentType.values, EVIDENCE_DOSSIER]),
    CHANNEL: _choices(Channel.values),
    COUNTERPART: _choices(Counterpart.values),
    APPLICATION_STATUS: _choices(ApplicationStatus.values),
    OBSERVATION: _choices(list(OBSERVATION_CODES)),
    TASK: _choices(["complaint-application"]),
    TASK_INPUT: _choices(["claim-amount"]),
    CONDITION_CLINICAL: _choices(list(CONDITION_CLINICAL_STATUS)),
    CONDITION_VERIFICATION: _choices(list(CONDITION_VERIFICATION_STATUS)),
    OBSERVATION_CATEGORY: _choices(
        ["social-history", "vital-signs", "imaging", "laboratory", "procedure", "survey", "exam", "therapy", "activity"]
    ),
    MEDIA_TYPE: _choices(["image", "video", "audio"]),
    DATA_ABSENT_REASON: _choices(
        [
            "unknown",
            "asked-unknown",
            "temp-unknown",
            "not-asked",
            "asked-declined",
            "masked",
            "not-applicable",
            "unsupported",
            "as-text",
            "error",
            "not-a-number",
            "negative-infinity",
            "positive-infinity",
            "not-performed",
            "not-permitted",
        ]
    ),
    BCP47: is_language,
}
#: Identifier systems whose values are codes of a vocabulary.
IDENTIFIER_VOCABULARIES: dict[str, Callable[[str], bool]] = {
    ID_COMPLAINT_BODY: _kb("complaint_bodies"),
    ID_SHA256_ORIGINAL: lambda value: bool(re.match(r"^[0-9a-f]{64}$", value)),
}


# --- stable resource IDs ----------------------------------------------------------------------------
_NAMESPACE = uuid.UUID("6f1b8f0e-3c53-5d8e-9a57-7b0d2b8a4f10")  # Revisio's; never change it


def derived_uuid(owner: uuid.UUID, *parts: object) -> uuid.UUID:
    """A UUID stable for the same row (or computed item) of the same case: for rows without their own."""
    return uuid.uuid5(_NAMESPACE, "/".join([str(owner), *map(str, parts)]))


def urn(value: uuid.UUID) -> str:
    return f"urn:uuid:{value}"
