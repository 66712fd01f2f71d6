"""``revisio fhir export`` and ``revisio fhir import``: the demo export in a throwaway database, a case
out and back in, and one line with exit code 2 for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.fhir import case_bundle, check_bundle
from tests.cli.support import run
from tests.fhir.support import kinds


def test_demo_export_writes_a_valid_bundle_and_touches_no_data(tmp_path: Path) -> None:
    """In a fresh process, as a person runs it; the configured database and data folder stay untouched."""
    out = tmp_path / "demo.json"
    users_data = tmp_path / "my-data"
    env = {
        **os.environ,
        "REVISIO_DATA_DIR": str(users_data),
        "DATABASE_URL": f"sqlite:///{users_data / 'mine.sqlite3'}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "revisio", "fhir", "export", "--demo", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("Wrote ") and str(out) in done.stdout
    assert not users_data.exists()
    data = json.loads(out.read_text(encoding="utf-8"))
    assert check_bundle(Bundle.model_validate(data)) == []
    assert kinds(data)["Procedure"] == 1 and kinds(data)["Media"] == 2
    procedure = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Procedure")
    assert procedure["code"]["coding"][0]["code"] == "fat-transfer-hips"
    patient = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Patient")
    assert patient["name"] == [{"text": "Demo Patient"}]


def test_demo_export_refuses_to_run_inside_a_set_up_django(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "fhir", "export", "--demo", "--out", str(tmp_path / "x.json"))
    assert code == 2 and err.count("\n") == 1 and "fresh process" in err
    assert not (tmp_path / "x.json").exists()


def test_export_a_case_and_import_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, rich_case: Case, bob: User
) -> None:
    out = tmp_path / "case.json"
    code, stdout, _ = run(capsys, "fhir", "export", "--case", str(rich_case.pk), "--out", str(out))
    assert code == 0 and f"case {rich_case.pk}" in stdout
    assert out.read_text(encoding="utf-8") == case_bundle(case=rich_case).model_dump_json(indent=2) + "\n"
    code, stdout, _ = run(capsys, "fhir", "import", str(out), "--owner", "BOB@example.org")
    assert code == 0, stdout
    (case,) = Case.objects.filter(owner=bob)
    assert stdout.startswith(f"Created case {case.pk} for bob@example.org: 2 procedures, 3 devices, 3 checkins")
    assert "skipped entry[" in stdout and "(Media)" in stdout


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "--case", "not-a-uuid", "--out", "{tmp}/x.json"], "is not a case ID"),
        (["export", "--case", "00000000-0000-4000-8000-000000000000", "--out", "{tmp}/x.json"], "no case"),
        (["export", "--case", "00000000-0000-4000-8000-000000000000", "--out", "{tmp}/no/x.json"], "does not exist"),
        (["import", "{tmp}/missing.json", "--owner", "alice@example.org"], "cannot read"),
        (["import", "{tmp}/bad.json", "--owner", "nobody@example.org"], "no account"),
        (["import", "{tmp}/bad.json", "--owner", "alice@example.org"], "bad.json: entry[0]: missing required"),
        (["import", "{tmp}/bad.json"], "--owner"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, alice: User, argv: list[str], message: str
) -> None:
    (tmp_path / "bad.json").write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [{}]}))
    before = Case.objects.count()
    code, out, err = run(capsys, "fhir", *(arg.replace("{tmp}", str(tmp_path)) for arg in argv))
    assert code == 2
    assert err.count("\n") == 1 and message in err, err
    assert out == "" and Case.objects.count() == before
