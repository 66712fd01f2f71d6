"""Building a dossier of a case in the database: what it says, what it does with files it cannot
read, and what a failed build leaves behind (nothing)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.demo.images import silhouette_back_view
from revisio.diary.services import PhotoInput, checkin_add
from revisio.dossier import services
from revisio.dossier.collect import collect
from revisio.dossier.models import Dossier, DossierStatus
from revisio.dossier.selectors import dossier_case
from revisio.dossier.services import dossier_build, dossier_create
from revisio.web.errors import Conflict
from tests.dossier.conftest import KOREAN_MESSAGE
from tests.dossier.support import manifest_of, pdf_image_count, pdf_text, sha256, zip_members


def build(case: Case, user: User) -> Dossier:
    dossier = dossier_build(dossier_id=dossier_create(case=case, user=user).pk)
    assert dossier is not None
    return dossier


def dossier_files(media: Path, case: Case) -> list[Path]:
    folder = media / "cases" / str(case.pk) / "dossiers"
    return sorted(folder.iterdir()) if folder.exists() else []


def line_with(text: str, needle: str) -> str:
    """The first line with ``needle``: in layout mode a table's row heading and its value share it."""
    return next(line for line in text.splitlines() if needle in line)


def test_a_full_case_is_all_in_the_pdf(rich_case: Case, alice: User) -> None:
    dossier = build(rich_case, alice)
    assert dossier.status == DossierStatus.DONE, dossier.error
    assert (dossier.progress, dossier.language, dossier.second_language) == (100, "en", "ko")
    pdf = dossier.pdf.read()
    assert sha256(pdf) == dossier.pdf_sha256
    text = pdf_text(pdf)
    flat = "".join(text.split())
    assert "Communications log / 연락 기록" in text
    assert "".join(KOREAN_MESSAGE.split()) in flat  # the message text itself, in Korean
    assert "LOT-42" in text and "Example Medical" in text  # the implant
    document = rich_case.documents.get()
    assert document.sha256 in flat and "Signed consent form" in text
    assert "1 message(s) to the clinic or surgeon without a recorded reply" in " ".join(text.split())
    assert "Korea Medical Dispute Mediation" in text or "k-medi" in text  # the application
    assert pdf_image_count(pdf) == rich_case.photos.count() == 3
    assert "Measurements over time / 시간에 따른 측정값" in text  # the trend charts
    assert "method not validated / 검증되지 않은 방법" in text  # the body index is labelled as such


def test_missing_data_is_written_as_not_provided(rich_case: Case, alice: User) -> None:
    text = pdf_text(build(rich_case, alice).pdf.read())
    # The case has no clinic phone, the implant no serial number, the reply no message text.
    assert "not provided / 제공되지 않음" in line_with(text, "Serial number / 일련번호")
    assert "not provided / 제공되지 않음" in line_with(text, "Phone / 전화")
    assert any(
        "not provided / 제공되지 않음" in line for line in text.splitlines() if "Message text / 메시지 원문" in line
    )


def test_the_manifest_lists_every_file_with_the_hash_of_its_bytes(rich_case: Case, alice: User) -> None:
    dossier = build(rich_case, alice)
    data = dossier.zip_file.read()
    assert sha256(data) == dossier.zip_sha256
    members, manifest = zip_members(data), manifest_of(data)
    assert {e["path"] for e in manifest["files"]} == set(members) - {"manifest.json"}
    for entry in manifest["files"]:
        assert sha256(members[entry["path"]]) == entry["sha256"]
    assert manifest["dossier_pdf"]["sha256"] == dossier.pdf_sha256
    assert manifest["case_id"] == str(rich_case.pk) and manifest["unreadable"] == []
    photo = rich_case.photos.first()
    assert members[f"photos/{photo.taken_on.isoformat()}_back_{photo.pk.hex[:8]}.jpg"] == photo.image.read()


def test_unreadable_attachments_are_listed_not_dropped(rich_case: Case, alice: User) -> None:
    missing = rich_case.photos.order_by("taken_on").first()
    Path(missing.image.path).unlink()
    altered = rich_case.documents.get()
    Path(altered.file.path).write_bytes(b"%PDF-1.4 not the file that was uploaded %%EOF")

    dossier = build(rich_case, alice)
    assert dossier.status == DossierStatus.DONE, dossier.error
    pdf, data = dossier.pdf.read(), dossier.zip_file.read()
    text = "".join(pdf_text(pdf, layout=False).split())  # Korean wraps inside words
    assert "UNREADABLE:thefileismissing/읽을수없음:파일이없음" in text
    assert "UNREADABLE:thefiledoesnotmatchtheSHA-256recordedwhenitwasstored" in text
    assert pdf_image_count(pdf) == 2  # the two photos that can still be read
    manifest = manifest_of(data)
    reasons = {entry["id"]: entry["reason"] for entry in manifest["unreadable"]}
    assert reasons == {str(missing.pk): "missing", str(altered.pk): "mismatch"}
    paths = set(zip_members(data))
    assert not any(str(missing.pk.hex[:8]) in p or str(altered.pk.hex[:8]) in p for p in paths)


def test_a_failed_build_leaves_no_files_and_says_why(
    rich_case: Case, alice: User, media_in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save = Dossier.save

    def fail_when_done(self: Dossier, *args: Any, **kwargs: Any) -> None:
        if self.status == DossierStatus.DONE:  # after the three files were written
            raise OSError("disk full")
        save(self, *args, **kwargs)

    monkeypatch.setattr(Dossier, "save", fail_when_done)
    dossier = build(rich_case, alice)
    assert dossier.status == DossierStatus.FAILED
    assert dossier.error == "OSError: disk full"
    assert not (dossier.pdf or dossier.zip_file or dossier.draft_pdf)
    assert dossier_files(media_in_tmp, rich_case) == []


def test_a_failure_while_rendering_leaves_no_files(
    case: Case, alice: User, media_in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("revisio.dossier.builder.kmedi_pdf", broken)
    dossier = build(case, alice)
    assert (dossier.status, dossier.error) == (DossierStatus.FAILED, "RuntimeError: renderer crashed")
    assert dossier_files(media_in_tmp, case) == []


def test_rebuilding_replaces_the_files(
    case: Case, alice: User, media_in_tmp: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        dossier = build(case, alice)
        first = {dossier.pdf.name, dossier.zip_file.name, dossier.draft_pdf.name}
        again = dossier_build(dossier_id=dossier.pk)
    assert again is not None and again.status == DossierStatus.DONE
    now = {again.pdf.name, again.zip_file.name, again.draft_pdf.name}
    assert first.isdisjoint(now)
    assert {p.name for p in dossier_files(media_in_tmp, case)} == {Path(n).name for n in now}


def test_the_build_reports_progress_as_it_goes(checkin: Any, alice: User, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, str, str]] = []
    report = services._report

    def spy(dossier_id: Any, progress: int, stage: str, **fields: Any) -> None:
        report(dossier_id, progress, stage, **fields)
        stored = Dossier.objects.get(pk=dossier_id)  # what the dossier page would show now
        seen.append((stored.progress, stored.stage, stored.status))

    monkeypatch.setattr(services, "_report", spy)
    dossier = build(checkin.case, alice)
    assert dossier.status == DossierStatus.DONE
    progress = [p for p, _, _ in seen]
    assert progress == sorted(progress) and progress[0] == 0 and progress[-1] >= 90
    assert {status for _, _, status in seen} == {DossierStatus.BUILDING}
    stages = [stage for _, stage, _ in seen]
    for stage in ("Reading the case", "Checking photos and documents", "Laying out the PDF", "Packing the ZIP"):
        assert stage in stages
    assert (dossier.progress, dossier.stage) == (100, "Done")


def test_a_second_dossier_cannot_be_asked_for_while_one_is_building(case: Case, alice: User) -> None:
    dossier_create(case=case, user=alice)
    with pytest.raises(Conflict):
        dossier_create(case=case, user=alice)


def test_reading_a_case_costs_the_same_queries_however_long_the_diary(rich_case: Case, alice: User) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            collect(case=dossier_case(case=rich_case), dossier_id="x", language="en", made_at=timezone.now())
        return len(captured)

    before = queries()
    for days in (1, 2):
        photos = [PhotoInput(silhouette_back_view(), "back", "hips")]
        checkin_add(case=rich_case, user=alice, date=timezone.localdate() - dt.timedelta(days=days), photos=photos)
    assert queries() == before


def test_a_korean_reader_gets_a_korean_dossier_and_a_bilingual_draft(case: Case, alice: User) -> None:
    alice.languages = ["ko"]
    alice.save(update_fields=["languages"])
    dossier = build(case, alice)
    assert (dossier.status, dossier.language) == (DossierStatus.DONE, "ko")
    text = pdf_text(dossier.pdf.read())
    assert "경과" in text and "Timeline" not in text
    draft = pdf_text(dossier.draft_pdf.read())
    assert "DRAFT — check every line before you sign" in draft and "초안" in draft
