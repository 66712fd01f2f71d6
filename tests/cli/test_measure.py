"""``revisio measure``: the JSON contract, the text report, one-line refusals (exit 2), and batches
that write a complete CSV or nothing at all."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from revisio.cli import main
from revisio.landmarks import batch
from tests.cli.support import run as run_revisio
from tests.landmarks import photos

GRACE = str(photos.GRACE_HOPPER)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_revisio(capsys, "measure", *argv)


def test_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, GRACE, "--kind", "face", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert {"kind", "metrics", "units", "landmarks_source", "method", "validated", "warnings", "convention"} <= set(
        data
    )
    assert data["kind"] == "face"
    assert data["landmarks_source"] == "auto"
    assert data["validated"] is True
    assert data["method"].startswith("mediapipe 0.10.21 Face Mesh (refined iris)")
    assert isinstance(data["warnings"], list)
    assert data["units"]["brow_height_left_mm"] == "mm"
    assert all(isinstance(value, float) for value in data["metrics"].values())
    assert "patient's own" in data["convention"]


def test_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, GRACE, "--kind", "face")
    assert code == 0
    assert "the patient's right is on the image's left" in out
    assert "brow_height_left_mm" in out and " mm" in out
    assert "Method: mediapipe 0.10.21 Face Mesh" in out
    assert "Validated: yes" in out


def test_body_report_says_not_validated(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    image = tmp_path / "canvas.png"
    image.write_bytes(photos.encoded(np.full((520, 400, 3), 230, dtype=np.uint8)))
    landmarks = tmp_path / "body.json"
    outline = [[130, 100], [270, 100], [245, 250], [280, 350], [240, 480], [160, 480], [140, 350], [155, 250]]
    points = {"shoulder_left": [260, 100], "shoulder_right": [140, 100], "hip_left": [235, 330]}
    landmarks.write_text(json.dumps({"outline": outline, **points, "hip_right": [165, 330]}))
    code, out, _ = run(capsys, str(image), "--kind", "body", "--landmarks", str(landmarks), "--view", "back")
    assert code == 0
    assert "Validated: NO" in out
    assert "in a back view the patient's left is on the image's left" in out


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, str]:
    """Files for the refusals, each made here from synthetic pixels or the test portrait."""
    grace = photos.grace()
    noise = np.random.default_rng(5).integers(90, 160, (300, 300, 3), dtype=np.uint8)
    files = {
        "text": ("notes.txt", b"brow height 12 mm\n"),
        "noise": ("noise.png", photos.encoded(noise)),
        "two": ("two.png", photos.encoded(np.concatenate([grace, grace], axis=1))),
        "tiny": ("tiny.png", photos.encoded(photos.padded(photos.scaled(grace, 0.35), right=300, bottom=300))),
        "bad_json": ("bad.json", b'{"sternal_notch": [1, 2],}'),
        "bad_field": ("field.json", json.dumps({"sternal_notch": [1, 2]}).encode()),
    }
    paths = {}
    for key, (name, data) in files.items():
        (tmp_path / name).write_bytes(data)
        paths[key] = str(tmp_path / name)
    paths["folder"] = str(tmp_path)
    paths["missing"] = str(tmp_path / "missing.jpg")
    return paths


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["{missing}", "--kind", "face"], "missing.jpg does not exist"),
        (["{text}", "--kind", "face"], "This looks like a text file, not a photo"),
        (["{noise}", "--kind", "face"], "no face found: take the photo from the front"),
        (["{two}", "--kind", "face"], "more than one face in the photo"),
        (["{tiny}", "--kind", "face"], "the eyes are too small in the photo"),
        ([GRACE, "--kind", "breast"], "mark the five points"),
        ([GRACE, "--kind", "breast", "--landmarks", "{bad_json}"], "bad.json is not valid JSON"),
        ([GRACE, "--kind", "breast", "--landmarks", "{bad_field}"], "landmarks: 'nipple_left' is missing"),
        ([GRACE, "--kind", "breast", "--landmarks", "{missing}"], "landmarks file"),
        ([GRACE, "--kind", "elbow"], "argument --kind: invalid choice: 'elbow'"),
        ([GRACE, "--kind", "face", "--scale-mm-per-px", "-1"], "must be a positive number"),
        (["{folder}", "--kind", "breast", "--landmarks", "{bad_field}", "--csv", "x.csv"], "--landmarks is for one"),
        (["{folder}", "--kind", "face"], "is a folder: add --csv OUT.csv"),
        ([GRACE, "--kind", "face", "--csv", "out.csv"], "--csv needs a folder of photos"),
        ([GRACE, "--kind", "face", "--workers", "2"], "--workers is for a folder"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], inputs: dict[str, str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *(arg.format(**inputs) for arg in argv))
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three copies of the portrait (one mirrored, one a PNG under a misleading name) and a text file."""
    photos_dir = tmp_path / "photos"
    photos_dir.mkdir()
    rgb = photos.grace()
    (photos_dir / "a.jpg").write_bytes(photos.GRACE_HOPPER.read_bytes())
    (photos_dir / "b-mirrored.jpg").write_bytes(photos.encoded(photos.mirrored(rgb), "JPEG", quality=95))
    (photos_dir / "c-shifted.dat").write_bytes(photos.encoded(photos.padded(rgb, left=60)))
    (photos_dir / "notes.txt").write_text("not a photo\n")
    return photos_dir


def read_rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


def test_batch_writes_one_row_per_file(capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    code, _, err = run(capsys, str(folder), "--kind", "face", "--csv", str(out), "--workers", "2")
    assert code == 0, err
    assert "measured 4/4" in err and "3 measured, 1 could not be measured" in err
    rows = read_rows(out)
    assert sorted(rows) == ["a.jpg", "b-mirrored.jpg", "c-shifted.dat", "notes.txt"]
    assert rows["notes.txt"]["status"] == "error"
    assert rows["notes.txt"]["error_code"] == "not-an-image"
    assert "not a photo" in rows["notes.txt"]["error"]
    assert rows["c-shifted.dat"]["status"] == "ok"  # a PNG, recognised by content
    original, mirrored = rows["a.jpg"], rows["b-mirrored.jpg"]
    left, right = float(original["brow_height_left_mm"]), float(original["brow_height_right_mm"])
    assert float(mirrored["brow_height_right_mm"]) == pytest.approx(left, abs=0.3)  # JPEG re-encoding
    assert float(mirrored["brow_height_left_mm"]) == pytest.approx(right, abs=0.3)
    assert not list(tmp_path.glob(".results.csv.*"))


def test_failed_batch_leaves_no_csv(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "results.csv"
    measured = []

    def fail_on_second(path: Path, options: batch.Options) -> batch.FileResult:
        if measured:
            raise RuntimeError("disk vanished")
        measured.append(path)
        return batch.FileResult(path)

    monkeypatch.setattr(batch, "measure_file", fail_on_second)
    with pytest.raises(RuntimeError):
        main(["measure", str(folder), "--kind", "face", "--csv", str(out), "--workers", "1"])
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["photos"]


def test_interrupted_batch_leaves_no_csv(folder: Path, tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the command) while two workers measure: exit 130, no CSV, no partial file."""
    rgb = photos.grace()
    for index in range(40):
        (folder / f"copy-{index:02}.png").write_bytes(photos.encoded(photos.padded(rgb, left=index)))
    out = tmp_path / "results.csv"
    command = [sys.executable, "-m", "revisio", "measure", str(folder), "--kind", "face", "--csv", str(out)]
    process = subprocess.Popen([*command, "--workers", "2"], stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    seen = ""
    deadline = time.monotonic() + 60
    while "measured 2/" not in seen and time.monotonic() < deadline:  # wait until the workers are busy
        seen += process.stderr.read(1)
    process.send_signal(signal.SIGINT)
    remaining = process.stderr.read()
    assert process.wait(timeout=60) == 130
    assert "interrupted: no CSV written" in remaining
    assert not out.exists()
    assert not list(tmp_path.glob(".results.csv.*"))
