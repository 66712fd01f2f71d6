"""Documents of a case: upload (checked by content), list, download byte for byte, delete."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pytest_django.fixtures import Settings

from revisio.accounts.models import User
from revisio.cases.models import Document
from tests.api.support import (
    PDF,
    World,
    assert_no_metadata,
    assert_not_found,
    content_of,
    error_of,
    exif_jpeg,
    media_files,
    pdf_upload,
    snapshot,
)
from tests.cast import client_for, jpeg


def _upload(world: World, user: User, **data: Any) -> Any:
    return client_for(user).post(f"/api/v1/cases/{world.case.pk}/documents", data)


def test_document_list(world: World, alice: User) -> None:
    response = client_for(alice).get(f"/api/v1/cases/{world.case.pk}/documents")
    assert response.status_code == 200
    [document] = response.json()
    assert document["id"] == str(world.document.pk)
    assert (document["document_type"], document["title"], document["document_date"]) == ("consent", "Consent", None)
    assert (document["content_type"], document["size"]) == ("application/pdf", len(PDF))
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest()


def test_upload_pdf_is_stored_as_sent_under_a_random_name(world: World, alice: User) -> None:
    files_before = media_files()
    signed = PDF.replace(b"%%EOF", b"% signed by the clinic\n%%EOF")
    response = _upload(
        world,
        alice,
        file=pdf_upload("../../../etc/op note.pdf", signed),
        document_type="operative-note",
        title="Operative note",
        document_date="2026-01-05",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["document_type"], body["title"], body["document_date"]) == (
        "operative-note",
        "Operative note",
        "2026-01-05",
    )
    assert (body["content_type"], body["size"], body["sha256"]) == (
        "application/pdf",
        len(signed),
        hashlib.sha256(signed).hexdigest(),
    )
    [new_file] = set(media_files()) - set(files_before)
    folder, name = new_file.rsplit("/", 1)
    assert folder == f"cases/{world.case.pk}/documents"
    assert name.endswith(".pdf") and "op note" not in name and ".." not in name
    assert media_files()[new_file] == hashlib.sha256(signed).hexdigest()
    document = Document.objects.get(pk=body["id"])
    assert (document.original_name, document.uploaded_by) == ("op note.pdf", alice)


def test_upload_without_title_uses_the_file_name(world: World, alice: User) -> None:
    response = _upload(world, alice, file=pdf_upload("receipt-may.pdf"), document_type="receipt")
    assert response.json()["title"] == "receipt-may.pdf"


def test_download_returns_the_bytes_as_an_attachment(world: World, alice: User) -> None:
    response = client_for(alice).get(f"/api/v1/cases/{world.case.pk}/documents/{world.document.pk}/file")
    assert response.status_code == 200
    assert content_of(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="document-{world.document.pk.hex[:8]}.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_a_photographed_document_loses_its_gps_and_camera_data(world: World, alice: User) -> None:
    sent = exif_jpeg(taken=dt.datetime.combine(timezone.localdate(), dt.time(9, 30)))
    response = _upload(world, alice, file=SimpleUploadedFile("scan.jpg", sent, "image/jpeg"), document_type="receipt")
    assert response.status_code == 201, response.content
    body = response.json()
    download = client_for(alice).get(f"/api/v1/cases/{world.case.pk}/documents/{body['id']}/file")
    data = content_of(download)
    assert download["Content-Type"] == body["content_type"] == "image/jpeg"
    assert_no_metadata(data)
    assert body["sha256"] == hashlib.sha256(data).hexdigest() != hashlib.sha256(sent).hexdigest()
    assert Document.objects.get(pk=body["id"]).sha256_original == hashlib.sha256(sent).hexdigest()


HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
BAD_UPLOADS: list[Any] = [
    pytest.param(
        lambda: {"file": SimpleUploadedFile("a.pdf", HTML, "application/pdf")},
        400,
        "upload-unsupported-type",
        "file",
        id="html-named-pdf",
    ),
    pytest.param(
        lambda: {"file": SimpleUploadedFile("a.svg", SVG, "image/svg+xml")},
        400,
        "upload-unsupported-type",
        "file",
        id="svg",
    ),
    pytest.param(
        lambda: {"file": SimpleUploadedFile("a.txt", b"just some notes\n", "text/plain")},
        400,
        "upload-unsupported-type",
        "file",
        id="text",
    ),
    pytest.param(
        lambda: {"file": SimpleUploadedFile("a.exe", b"MZ\x90\x00" + b"\x00" * 60, "application/pdf")},
        400,
        "upload-unsupported-type",
        "file",
        id="program",
    ),
    pytest.param(lambda: {"file": pdf_upload(data=PDF[:-8])}, 400, "upload-corrupt", "file", id="truncated-pdf"),
    pytest.param(
        lambda: {"file": SimpleUploadedFile("a.jpg", jpeg()[:150], "image/jpeg")},
        400,
        "upload-corrupt",
        "file",
        id="truncated-jpeg",
    ),
    pytest.param(lambda: {"file": pdf_upload(data=b"")}, 400, "upload-empty", "file", id="empty"),
    pytest.param(dict, 422, "invalid", "file", id="no-file"),
    pytest.param(
        lambda: {"file": pdf_upload(), "document_type": "passport"}, 422, "invalid", "document_type", id="unknown-type"
    ),
    pytest.param(lambda: {"file": pdf_upload(), "document_type": None}, 422, "invalid", "document_type", id="no-type"),
    pytest.param(
        lambda: {"file": pdf_upload(), "document_date": "5 May"}, 422, "invalid", "document_date", id="bad-date"
    ),
    pytest.param(lambda: {"file": pdf_upload(), "title": "a\x00b"}, 400, "invalid", "title", id="nul-in-title"),
]


@pytest.mark.parametrize(("data", "status", "code", "field"), BAD_UPLOADS)
def test_upload_rejects_bad_files_and_leaves_nothing(
    world: World, alice: User, data: Callable[[], dict[str, Any]], status: int, code: str, field: str
) -> None:
    before = snapshot()
    body = {"document_type": "consent", **data()}
    if body["document_type"] is None:
        del body["document_type"]
    error = error_of(_upload(world, alice, **body), status, code, field)
    assert snapshot() == before, error


def test_html_is_refused_as_html(world: World, alice: User) -> None:
    response = _upload(world, alice, file=SimpleUploadedFile("a.pdf", HTML, "application/pdf"), document_type="other")
    assert "HTML" in error_of(response, 400, "upload-unsupported-type")["message"]


@pytest.mark.parametrize(
    "make",
    [
        lambda: pdf_upload(data=PDF[:-6] + b" " * 1_100_000 + b"%%EOF\n"),
        lambda: SimpleUploadedFile("big.jpg", jpeg() + b"\x00" * 1_100_000, "image/jpeg"),
    ],
    ids=["pdf", "jpeg"],
)
def test_oversized_upload_is_refused_and_leaves_nothing(
    world: World, alice: User, settings: Settings, make: Callable[[], SimpleUploadedFile]
) -> None:
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    before = snapshot()
    response = _upload(world, alice, file=make(), document_type="consent")
    assert response.status_code in (400, 413)
    error = error_of(response, response.status_code, "upload-too-large", "file")
    assert "1 MB" in error["message"]
    assert snapshot() == before


def test_delete_document_removes_the_row_and_the_file(
    world: World, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    stored = world.document.file.name
    assert stored in media_files()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).delete(f"/api/v1/cases/{world.case.pk}/documents/{world.document.pk}")
    assert response.status_code == 204
    assert not Document.objects.filter(pk=world.document.pk).exists()
    assert stored not in media_files()
    assert_not_found(client_for(alice).get(f"/api/v1/cases/{world.case.pk}/documents/{world.document.pk}/file"))
    assert client_for(alice).get(f"/api/v1/cases/{world.case.pk}/documents").json() == []
