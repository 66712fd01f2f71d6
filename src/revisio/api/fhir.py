"""FHIR endpoints: a case as a FHIR R4B Bundle, and a new case from one (``docs/fhir.md``).

Anyone who may read a case (its owner, a coordinator or clinician it is shared with) may export it; an
import always creates a case owned by the caller, never in anybody else's account.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from revisio.api.schemas import ERROR_RESPONSES, ErrorItem, Errors
from revisio.audit import services as audit
from revisio.audit.models import Action
from revisio.cases import selectors
from revisio.fhir import ImportRejected, case_bundle, case_from_bundle

router = Router(tags=["fhir"])
FHIR_JSON = "application/fhir+json"


class FhirSkippedOut(Schema):
    location: str
    reason: str


class FhirImportOut(Schema):
    case_id: uuid.UUID
    created: dict[str, int]
    skipped: list[FhirSkippedOut]
    notes: list[str]


@router.get(
    "/cases/{case_id}/fhir",
    response={200: None, **ERROR_RESPONSES},
    summary="The case as a FHIR R4B collection Bundle",
    description=f"Answered as `{FHIR_JSON}`: Patient, Practitioner, Organization, CarePlan, Procedure, Device, "
    "Observation, Condition, Media, DocumentReference, Communication and Task resources.",
)
def case_fhir(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    audit.access_detail(action=Action.EXPORT)
    response = HttpResponse(case_bundle(case=case).model_dump_json(), content_type=FHIR_JSON)
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/fhir/import",
    response={201: FhirImportOut, **ERROR_RESPONSES},
    summary="Create a case of yours from a FHIR R4B Bundle",
    description="All or nothing. Photos and documents are not in a Bundle and are listed as skipped; check-ins "
    "are assessed again. A rejected Bundle is answered 422 with one error per problem, `field` naming "
    "where it is (e.g. `entry[3].resource.status`); a body that is not JSON is answered 400.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {media: {"schema": {"type": "object"}} for media in (FHIR_JSON, "application/json")},
        }
    },
)
def fhir_import(request: HttpRequest) -> Status[Any]:
    try:
        result = case_from_bundle(bundle_json=request.body, owner=request.user)  # type: ignore[arg-type]
    except ImportRejected as rejected:
        items = [ErrorItem(code=rejected.code, message=p.message, field=p.path) for p in rejected.problems]
        return Status(rejected.status, Errors(errors=items))
    return Status(
        201,
        FhirImportOut(
            case_id=result.case.pk,
            created=result.created,
            skipped=[FhirSkippedOut(location=s.location, reason=s.reason) for s in result.skipped],
            notes=result.notes,
        ),
    )
