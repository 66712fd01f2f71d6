"""The case record's services: validation, procedures, devices, documents, sharing, deletion."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from revisio.cases.models import Case, CaseProcedure
from revisio.cases.services import (
    ProcedureInput,
    case_create,
    case_delete,
    case_share_create,
    case_update,
    device_add,
    document_add,
)
from revisio.web.errors import InvalidInput
from tests.cast import jpeg

TODAY = dt.date(2026, 11, 1)


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_create_resolves_aliases_and_keeps_several_procedures(alice) -> None:
    case = case_create(
        owner=alice,
        title="  Mommy makeover  ",
        clinic_country="kr",
        procedures=[ProcedureInput("tummy-tuck", TODAY), ProcedureInput("boob-job", TODAY, "general")],
    )
    assert case.title == "Mommy makeover"
    assert case.clinic_country == "KR"
    assert sorted(p.procedure for p in case.procedures.all()) == ["abdominoplasty", "breast-augmentation"]


@pytest.mark.parametrize("leaving_on", [None, "", TODAY])
def test_an_empty_date_is_stored_as_no_date(alice, leaving_on) -> None:
    # Forms give None for an empty date field and the API may give "": neither is a date to store.
    case = case_create(
        owner=alice, title="Nose", leaving_on=leaving_on, procedures=[ProcedureInput("rhinoplasty", TODAY)]
    )
    case.refresh_from_db()
    assert case.leaving_on == (leaving_on or None)
    assert case.clinic_name == ""


@pytest.mark.parametrize(
    ("procedures", "fields", "message"),
    [
        ([], {}, "Add at least one procedure"),
        ([ProcedureInput("nose-jobb", TODAY)], {}, "did you mean nose-job"),
        ([ProcedureInput("rhinoplasty", TODAY, "laughing-gas")], {}, "Unknown anaesthesia"),
        ([ProcedureInput("rhinoplasty", TODAY + dt.timedelta(days=5000))], {}, "more than a year ahead"),
        ([ProcedureInput("rhinoplasty", TODAY)], {"title": ""}, "title"),
        ([ProcedureInput("rhinoplasty", TODAY)], {"clinic_country": "XX"}, "not a two-letter country code"),
        ([ProcedureInput("rhinoplasty", TODAY)], {"clinic_email": "not-an-email"}, "clinic_email"),
        ([ProcedureInput("rhinoplasty", TODAY)], {"clinic_owner": "bob"}, "Unknown field"),
    ],
)
def test_create_rejects_bad_input_and_writes_nothing(alice, procedures, fields, message) -> None:
    values = {"title": "Nose", **fields}
    with pytest.raises(InvalidInput, match=message):
        case_create(owner=alice, procedures=procedures, **values)
    assert Case.objects.count() == 0
    assert CaseProcedure.objects.count() == 0


def test_update_keeps_unchanged_procedure_rows_so_devices_stay_linked(case: Case, surgery_date) -> None:
    original = case.procedures.get()
    device = device_add(case=case, procedure_id=original.pk, device_type="buttock-implant", size="300 cc")
    case_update(
        case=case,
        procedures=[ProcedureInput("fat-transfer-hips", surgery_date), ProcedureInput("liposuction", surgery_date)],
    )
    device.refresh_from_db()
    assert device.procedure_id == original.pk
    assert case.procedures.count() == 2


def test_device_cannot_point_at_another_cases_procedure(case: Case, bob, surgery_date) -> None:
    other = case_create(owner=bob, title="x", procedures=[ProcedureInput("rhinoplasty", surgery_date)])
    with pytest.raises(InvalidInput, match="not part of this case"):
        device_add(case=case, procedure_id=other.procedures.get().pk, device_type="nasal-implant")


def test_device_rejects_unknown_choices(case: Case) -> None:
    with pytest.raises(InvalidInput, match="placement"):
        device_add(case=case, device_type="breast-implant", placement="under-the-bed")


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (37.0, 30.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_document_photos_are_stripped_pdfs_kept(case: Case, alice) -> None:
    photo = document_add(
        case=case,
        user=alice,
        data=_jpeg_with_gps(),
        original_name="../../receipt.jpg",
        document_type="receipt",
        title="",
    )
    stored = photo.file.read()
    assert b"PhoneMaker" not in stored and not Image.open(io.BytesIO(stored)).getexif()
    assert photo.sha256 != photo.sha256_original
    assert ".." not in photo.file.name and "receipt" not in photo.file.name
    pdf_bytes = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    pdf = document_add(
        case=case,
        user=alice,
        data=pdf_bytes,
        original_name="op.pdf",
        document_type="operative-note",
        title="Operative note",
        document_date=TODAY,
    )
    assert pdf.file.read() == pdf_bytes and pdf.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<html><script>alert(1)</script></html>", "upload-unsupported-type"),
        (b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>", "upload-unsupported-type"),
        (b"MZ\x90\x00" + b"\x00" * 100, "upload-unsupported-type"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\n", "upload-corrupt"),
        (b"", "upload-empty"),
    ],
)
def test_bad_documents_leave_no_row_and_no_file(case: Case, alice, media_in_tmp: Path, data, code) -> None:
    with pytest.raises(InvalidInput) as raised:
        document_add(case=case, user=alice, data=data, original_name="x.pdf", document_type="other", title="x")
    assert raised.value.code == code
    assert case.documents.count() == 0
    assert stored_files(media_in_tmp) == []


def test_deleting_a_case_removes_its_files(
    checkin, alice, media_in_tmp: Path, django_capture_on_commit_callbacks
) -> None:
    case = checkin.case
    document_add(case=case, user=alice, data=jpeg(), original_name="x.jpg", document_type="other", title="x")
    assert len(stored_files(media_in_tmp)) == 3  # photo, thumbnail, document
    with django_capture_on_commit_callbacks(execute=True):
        case_delete(case=case)
    assert stored_files(media_in_tmp) == []


def test_sharing_rules(case: Case, agency, dave, bob, alice) -> None:
    with pytest.raises(InvalidInput, match="either an agency or a clinician"):
        case_share_create(case=case)
    with pytest.raises(InvalidInput, match="either an agency or a clinician"):
        case_share_create(case=case, agency=agency, clinician=dave)
    with pytest.raises(InvalidInput, match="not a clinician"):
        case_share_create(case=case, clinician=bob)
    with pytest.raises(InvalidInput, match="already passed"):
        case_share_create(case=case, clinician=dave, expires_at=timezone.now() - dt.timedelta(days=1))
    assert case_share_create(case=case, clinician=dave).is_active
