"""The demo dossier, built by ``revisio dossier --demo`` in its own process, checked with poppler's tools
the way a reader would: Korean text that extracts as Korean, an embedded CJK font, every photo, and a
manifest whose every hash matches its file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.dossier.support import manifest_of, pdf_fonts, pdf_image_count, pdf_text, sha256, zip_members

pytestmark = pytest.mark.slow

HEADINGS_KO = (
    "증거 자료집",
    "요약",
    "경과",
    "증상 및 체온 기록",
    "촬영 방향 및 날짜별 사진",
    "평가 및 소견",
    "연락 기록",
)
HEADINGS_KO += ("서류 목록", "보형물 및 의료기기", "출처 및 지식 베이스 버전", "첨부 파일 목록(매니페스트)")


def revisio(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "revisio", *args], capture_output=True, text=True, cwd=cwd, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("demo-dossier")
    result = revisio(
        "dossier", "--demo", "--out", "dossier.pdf", "--zip", "dossier.zip", "--draft", "draft.pdf", cwd=folder
    )
    assert result.returncode == 0, result.stderr
    return {name: (folder / f"dossier.{name}").read_bytes() for name in ("pdf", "zip")} | {
        "draft": (folder / "draft.pdf").read_bytes()
    }


def test_korean_headings_extract_as_korean_text(demo: dict[str, bytes]) -> None:
    text = pdf_text(demo["pdf"])
    for heading in HEADINGS_KO:
        assert heading in text, heading
    assert "Timeline / 경과" in text
    assert "not a diagnosis" in text and "진단이 아닙니다" in text


def test_a_korean_cjk_font_is_embedded(demo: dict[str, bytes]) -> None:
    fonts = pdf_fonts(demo["pdf"])
    cjk = [f for f in fonts if "Noto-Sans-CJK-KR" in f["name"]]
    assert cjk, fonts
    assert all(f["embedded"] == "yes" for f in fonts), fonts


def test_every_photo_is_embedded_and_captioned_with_its_hash(demo: dict[str, bytes]) -> None:
    manifest = manifest_of(demo["zip"])
    photos = [f for f in manifest["files"] if f["kind"] == "photo"]
    assert len(photos) == 2  # the demo's two check-ins have a photo each
    assert pdf_image_count(demo["pdf"]) == len(photos)
    flat = "".join(pdf_text(demo["pdf"]).split())  # hashes wrap across lines in narrow cells
    for photo in photos:
        assert photo["sha256"] in flat


def test_every_hash_in_the_manifest_matches_its_file(demo: dict[str, bytes]) -> None:
    members = zip_members(demo["zip"])
    manifest = manifest_of(demo["zip"])
    listed = {entry["path"] for entry in manifest["files"]}
    assert listed == set(members) - {"manifest.json"}
    for entry in manifest["files"]:
        assert sha256(members[entry["path"]]) == entry["sha256"], entry["path"]
        assert len(members[entry["path"]]) == entry["size"]
    assert manifest["dossier_pdf"]["sha256"] == sha256(demo["pdf"])
    assert sha256(members["kmedi-draft.pdf"]) == sha256(demo["draft"])
    assert manifest["kb_version"].startswith("kb-") and manifest["case_id"] and manifest["made_at"].endswith("Z")


def test_the_kmedi_draft_is_marked_draft_in_korean_and_english(demo: dict[str, bytes]) -> None:
    text = pdf_text(demo["draft"])
    assert "초안 — 서명하기 전에 모든 줄을 확인하세요" in text
    assert "DRAFT — check every line before you sign" in text
    assert "의료사고 피해경위서" in text
    assert "Example Plastic Surgery Clinic" in text  # the facts Revisio holds are filled in


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--case", "not-a-uuid", "--out", "x.pdf"], "is not a case ID"),
        (["--demo", "--out", "missing-folder/x.pdf"], "does not exist"),
        (["--demo", "--case", "2f1c6a54-1d5c-4a8e-9c59-1a2b3c4d5e6f", "--out", "x.pdf"], "not allowed with"),
        (["--demo"], "required"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    result = revisio("dossier", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
