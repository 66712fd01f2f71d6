"""``revisio directory import``: exit 0 when every row is imported, 1 when rows are refused, 2 when the
file cannot be read; every bad row on stderr with its row, column and what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from revisio.directory.models import Clinic, Translator
from tests.cli.support import run
from tests.directory.support import GOOD_CLINIC, TRANSLATOR_HEADER, csv_of

pytestmark = pytest.mark.django_db

BAD = GOOD_CLINIC.replace("Example Hip", "Second").replace("a@hip.example", "nobody@")


def write(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "clinics.csv"
    path.write_bytes(data)
    return str(path)


def test_every_row_imported_exits_0_and_again_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, csv_of(GOOD_CLINIC))
    assert run(capsys, "directory", "import", "clinics", path) == (
        0,
        "clinics: 1 added, 0 updated, 0 unchanged, 0 row(s) refused\n",
        "",
    )
    code, out, _ = run(capsys, "directory", "import", "clinics", path)
    assert (code, out) == (0, "clinics: 0 added, 0 updated, 1 unchanged, 0 row(s) refused\n")
    assert Clinic.objects.count() == 1


def test_a_bad_row_exits_1_and_imports_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, csv_of(GOOD_CLINIC, BAD))
    code, out, err = run(capsys, "directory", "import", "clinics", path)
    assert code == 1 and not Clinic.objects.exists()
    assert f"{path}: row 3, column email: nobody@ is not an e-mail address" in err
    assert "nothing was imported" in err and "0 added" in out


def test_skip_bad_imports_the_good_rows_and_still_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, csv_of(GOOD_CLINIC, BAD))
    code, out, err = run(capsys, "directory", "import", "clinics", path, "--skip-bad")
    assert (code, out) == (1, "clinics: 1 added, 0 updated, 0 unchanged, 1 row(s) refused\n")
    assert "row 3, column email" in err and "nothing was imported" not in err
    assert Clinic.objects.get().name_en == "Example Hip Clinic"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "The file is empty"),
        ("name_en,city,country\nCaf\u00e9 Example Clinic,Paris,FR\n".encode("cp1252"), "is not UTF-8"),
        (csv_of("Example Clinic,Seoul", header="name_en,city"), "Missing column(s) country"),
    ],
    ids=["empty", "not UTF-8", "missing column"],
)
def test_a_file_that_cannot_be_read_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: bytes, expected: str
) -> None:
    code, out, err = run(capsys, "directory", "import", "clinics", write(tmp_path, data))
    assert code == 2 and out == "" and expected in err


def test_a_missing_file_or_kind_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "directory", "import", "clinics", str(tmp_path / "nowhere.csv"))
    assert code == 2 and "no such file" in err
    code, _, err = run(capsys, "directory", "import", "hospitals", write(tmp_path, b"x"))
    assert code == 2 and "invalid choice: 'hospitals'" in err


def test_translators_are_imported(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, csv_of("Example Translator,en;ko,,,weekdays 9-18 KST,,", header=TRANSLATOR_HEADER))
    assert run(capsys, "directory", "import", "translators", path)[0] == 0
    assert Translator.objects.get().languages == ["en", "ko"]
