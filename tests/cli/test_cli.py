"""The ``revisio`` command: contract of ``check --json``, readable reports, and exit code 2 on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.cli.support import run

HIP = ["check", "--procedure", "hourglass-hip", "--surgery-date", "2026-10-31"]


def test_check_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *HIP, "--on", "2026-11-21", "--symptom", "swelling", "--concern", "asymmetry", "--json")
    assert code == 0
    data = json.loads(out)
    for key in (
        "procedure",
        "day",
        "level",
        "final_result_from",
        "final_result_by",
        "revision_not_before",
        "findings",
        "next_steps",
        "kb_version",
    ):
        assert key in data
    assert data["procedure"] == "fat-transfer-hips"  # the alias resolved
    assert data["day"] == 21
    assert data["level"] == "monitor"
    assert data["final_result_from"] == "2026-12-26"
    for finding in data["findings"]:
        assert set(finding) >= {"id", "kind", "level", "message", "sources"}
        assert finding["sources"]
    assert {f["kind"] for f in data["findings"]} == {"too-early", "expected"}
    assert all(isinstance(step, str) for step in data["next_steps"])


def test_red_flag_report_names_the_emergency_number(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *HIP, "--on", "2026-11-02", "--symptom", "shortness-of-breath", "--country", "KR")
    assert code == 0
    assert "LEVEL: EMERGENCY" in out
    assert "Call 119 now" in out
    assert "does not diagnose" in out


def test_korean_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *HIP, "--on", "2026-11-21", "--concern", "asymmetry", "--lang", "ko")
    assert code == 0
    assert "수준: MONITOR" in out and "골반 지방이식" in out


def test_comma_separated_and_repeated_ids(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, *HIP, "--on", "2026-11-21", "--symptom", "swelling,numbness", "--symptom", "fever", "--json"
    )
    assert code == 0
    assert json.loads(out)["symptoms"] == ["fever", "numbness", "swelling"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["check", "--procedure", "hourglas", "--surgery-date", "2026-10-31"],
            "unknown procedure 'hourglas'; did you mean hourglass-hip",
        ),
        ([*HIP, "--symptom", "feverr"], "unknown symptom 'feverr'; did you mean fever"),
        ([*HIP, "--concern", "asymetry"], "unknown concern 'asymetry'; did you mean asymmetry"),
        ([*HIP, "--concern", "swelling"], "'swelling' is a symptom, not a concern"),
        ([*HIP, "--on", "2026-10-01"], "is after the assessment date 2026-10-01"),
        (
            ["check", "--procedure", "bbl", "--surgery-date", "31/10/2026"],
            "'31/10/2026' is not a date: use YYYY-MM-DD",
        ),
        ([*HIP, "--on", "2026-02-30"], "'2026-02-30' is not a date"),
        ([*HIP, "--temperature", "50"], "temperature 50 °C is outside 30-45 °C"),
        ([*HIP, "--temperature", "hot"], "invalid float value: 'hot'"),
        ([*HIP, "--country", "zz"], "unknown country 'zz'"),
        (["check", "--surgery-date", "2026-10-31"], "the following arguments are required: --procedure"),
        (["kb", "show", "rhinoplastyy"], "no knowledge-base record 'rhinoplastyy'"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys: pytest.CaptureFixture[str], argv: list, message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_procedures_listing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "procedures", "--json")
    assert code == 0
    listing = {p["id"]: p for p in json.loads(out)["procedures"]}
    assert "hourglass-hip" in listing["fat-transfer-hips"]["aliases"]
    code, out, _ = run(capsys, "procedures", "--lang", "ko")
    assert "골반 지방이식" in out


def test_kb_show_accepts_aliases(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "kb", "show", "hourglass-hip")
    assert code == 0
    assert out.startswith("id: fat-transfer-hips\n")


def test_installed_console_script_runs() -> None:
    script = [
        sys.executable,
        "-m",
        "revisio",
        "check",
        "--procedure",
        "bbl",
        "--surgery-date",
        "2026-01-01",
        "--on",
        "2026-01-03",
        "--symptom",
        "chest-pain",
        "--json",
    ]
    completed = subprocess.run(script, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["level"] == "emergency"


def test_demo_shows_each_level_it_promises(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "demo")
    assert code == 0
    levels = [line.split(":")[1].split(" - ")[0].strip() for line in out.splitlines() if line.startswith("LEVEL:")]
    assert levels == ["MONITOR", "SEE-SURGEON", "EMERGENCY", "EXPECTED", "URGENT", "URGENT"]
    assert "Call 119 now" in out and "999" in out
