"""A finished dossier's files as downloads, for the web page and the API alike."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import FileResponse, Http404

from revisio.audit import services as audit
from revisio.audit.models import Action
from revisio.dossier.models import Dossier, DossierStatus


@dataclass(frozen=True)
class Download:
    field: str  # the file field on ``Dossier``
    hash_field: str
    filename: str  # with {date} and {id}
    content_type: str


DOWNLOADS = {
    "pdf": Download("pdf", "pdf_sha256", "dossier-{date}-{id}.pdf", "application/pdf"),
    "zip": Download("zip_file", "zip_sha256", "dossier-{date}-{id}.zip", "application/zip"),
    "draft": Download("draft_pdf", "draft_sha256", "kmedi-draft-{date}-{id}.pdf", "application/pdf"),
}


def available(dossier: Dossier) -> list[tuple[str, Download]]:
    """The kinds of file a dossier can be downloaded as: none until it is done."""
    if dossier.status != DossierStatus.DONE:
        return []
    return [(kind, download) for kind, download in DOWNLOADS.items() if getattr(dossier, download.field).name]


def file_response(dossier: Dossier, kind: str) -> FileResponse:
    """Always an attachment, never shown inline, and never cached by a shared proxy; 404 for a kind
    that does not exist or a dossier that is not finished."""
    download = dict(available(dossier)).get(kind)
    if download is None:
        raise Http404
    audit.access_detail(action=Action.DOWNLOAD, object_type="dossier", object_id=dossier.pk, kind=kind)
    date = (dossier.finished_at or dossier.created_at).date().isoformat()
    response = FileResponse(
        getattr(dossier, download.field).open("rb"),
        as_attachment=True,
        filename=download.filename.format(date=date, id=dossier.pk.hex[:8]),
        content_type=download.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
