"""Media on an S3-compatible server (moto's, on localhost): uploads go there and never to the disk, come
back through the access-checking views, stay private, and go when the case is deleted."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from storages.backends.s3 import S3Storage

from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.cases.services import document_add
from revisio.diary.services import PhotoInput, checkin_add
from revisio.dossier.services import dossier_build, dossier_create
from tests.cast import client_for, jpeg
from tests.deploy.conftest import S3
from tests.uploads.synthetic import MINIMAL_PDF

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


def test_files_live_in_the_bucket_and_go_with_their_case(
    case: Case,
    alice: User,
    bob: User,
    s3: S3,
    media_in_tmp: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert isinstance(default_storage, S3Storage)
    checkin = checkin_add(
        case=case, user=alice, date=timezone.localdate(), photos=[PhotoInput(jpeg(320, 240), "back", "hips")]
    )
    photo = checkin.photos.get()
    document = document_add(
        case=case,
        user=alice,
        data=MINIMAL_PDF,
        original_name="consent.pdf",
        document_type="consent",
        title="Consent",
    )
    dossier = dossier_build(dossier_id=dossier_create(case=case, user=alice).pk)
    assert dossier is not None and dossier.status == "done", dossier and dossier.error

    stored = {photo.image.name, photo.thumbnail.name, document.file.name}
    stored |= {dossier.pdf.name, dossier.zip_file.name, dossier.draft_pdf.name}
    assert s3.keys() == stored, "every file of the case is in the bucket under the name its row holds"
    assert not media_in_tmp.exists() or not any(media_in_tmp.rglob("*.*")), "nothing was written to the disk"
    for key in stored:
        grants = s3.client.get_object_acl(Bucket=s3.bucket, Key=key)["Grants"]
        assert all(grant["Grantee"].get("URI") != ALL_USERS for grant in grants), f"{key} is public"
    photo_bytes = s3.client.get_object(Bucket=s3.bucket, Key=photo.image.name)["Body"].read()
    assert hashlib.sha256(photo_bytes).hexdigest() == photo.sha256_stored

    owner = client_for(alice)
    image = owner.get(reverse("diary:photo", args=[case.pk, photo.pk]))
    assert image.status_code == 200 and body(image) == photo_bytes
    download = owner.get(reverse("cases:document_download", args=[case.pk, document.pk]))
    assert download.status_code == 200 and body(download) == MINIMAL_PDF
    pdf = owner.get(reverse("dossier:download", args=[case.pk, dossier.pk, "pdf"]))
    assert pdf.status_code == 200 and hashlib.sha256(body(pdf)).hexdigest() == dossier.pdf_sha256
    assert client_for(bob).get(reverse("diary:photo", args=[case.pk, photo.pk])).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        deleted = owner.post(reverse("cases:delete", args=[case.pk]))
    assert deleted.status_code == 302
    assert s3.keys() == set(), "deleting the case deletes every one of its objects"


def test_a_failed_upload_leaves_no_object_behind(case: Case, alice: User, s3: S3, monkeypatch: Any) -> None:
    """The row is refused after its file was saved (``web.files.cleanup_on_failure``): the object goes too."""
    from revisio.cases import models as case_models

    def refuse(self: Any, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(case_models.Document, "save", refuse)
    try:
        document_add(case=case, user=alice, data=MINIMAL_PDF, original_name="a.pdf", document_type="consent", title="A")
    except RuntimeError:
        pass
    else:
        raise AssertionError("the refused save must fail the upload")
    assert s3.keys() == set()
