"""Dossier endpoints: ask for a dossier (built in the background), follow its progress, download its files."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from pydantic import Field

from revisio.api.schemas import ERROR_RESPONSES, Errors
from revisio.cases.selectors import case_get_for_user
from revisio.dossier import downloads, selectors, services
from revisio.dossier.models import Dossier

router = Router(tags=["dossier"])


class DossierFileOut(Schema):
    kind: str = Field(description="pdf, zip or draft (the K-medi draft)")
    sha256: str
    url: str


class DossierOut(Schema):
    id: uuid.UUID
    status: str = Field(description="queued, building, done or failed")
    progress: int = Field(description="per cent")
    stage: str
    stalled: bool = Field(description="queued or building for so long that its worker must have died")
    language: str
    second_language: str
    kb_version: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    error: str
    files: list[DossierFileOut]


def dossier_out(dossier: Dossier) -> DossierOut:
    files = [
        DossierFileOut(
            kind=kind,
            sha256=getattr(dossier, download.hash_field),
            url=reverse(
                "api:dossier_file", kwargs={"case_id": dossier.case_id, "dossier_id": dossier.pk, "kind": kind}
            ),
        )
        for kind, download in downloads.available(dossier)
    ]
    return DossierOut(
        id=dossier.pk,
        status=dossier.status,
        progress=dossier.progress,
        stage=dossier.stage,
        stalled=dossier.is_stalled,
        language=dossier.language,
        second_language=dossier.second_language,
        kb_version=dossier.kb_version,
        created_at=dossier.created_at,
        finished_at=dossier.finished_at,
        error=dossier.error,
        files=files,
    )


@router.get("/{case_id}/dossiers", response={200: list[DossierOut], **ERROR_RESPONSES})
def dossier_list(request: HttpRequest, case_id: str) -> list[DossierOut]:
    """The case's dossiers, newest first, with their build status and, once done, their files."""
    case = case_get_for_user(user=request.user, case_id=case_id)
    return [dossier_out(dossier) for dossier in selectors.dossier_list(case=case)]


@router.post("/{case_id}/dossiers", response={202: DossierOut, **ERROR_RESPONSES, 409: Errors})
def dossier_create(request: HttpRequest, case_id: str) -> Status[DossierOut]:
    """Ask for a dossier of the case as it is now. It is built in the background: follow it with
    ``GET …/dossiers`` until ``status`` is ``done``. 409 while another is being built."""
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    dossier = services.dossier_request(case=case, user=request.user)  # type: ignore[arg-type]
    dossier.refresh_from_db()  # an inline build (the default) has finished by now
    return Status(202, dossier_out(dossier))


@router.get("/{case_id}/dossiers/{dossier_id}/{kind}", response={200: None, **ERROR_RESPONSES})
def dossier_file(request: HttpRequest, case_id: str, dossier_id: str, kind: str) -> FileResponse:
    """A finished dossier's PDF (``pdf``), ZIP with the original files and manifest (``zip``) or
    K-medi draft (``draft``), as an attachment."""
    case = case_get_for_user(user=request.user, case_id=case_id)
    return downloads.file_response(selectors.dossier_get(case=case, dossier_id=dossier_id), kind)
