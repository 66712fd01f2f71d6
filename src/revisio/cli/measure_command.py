"""``revisio measure``: symmetry metrics from one photo, or from every photo in a folder into a CSV.

Left and right in every report are the patient's own. Bad input (a missing or unreadable file, not
a photo, no face or several, a malformed landmarks file, an option that does not fit) exits with
code 2 and one line saying what to fix.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import math
import os
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from revisio.cli.errors import EXIT_OK, BadInput
from revisio.landmarks import DetectionError, measure_photo
from revisio.landmarks.batch import FileResult, Options, default_workers, measure_files
from revisio.measure import BodyView, Kind, Measurement, NoseDirection

EXIT_INTERRUPTED = 130  # the shell's convention for a command stopped by Ctrl-C (128 + SIGINT)
CSV_FIELDS = ("file", "status", "error_code", "error", "warnings")


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"'{text}' must be a positive number of millimetres per pixel")
    return value


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' must be at least 1")
    return value


def register(commands: Any) -> None:
    measure = commands.add_parser(
        "measure",
        help="symmetry metrics from a photo (face, breast, head from above, body)",
        description="Measure symmetry from a photo, with landmarks found automatically or given in a JSON file. "
        "Left and right are always the patient's own. Give a folder and --csv to measure every photo in it.",
    )
    measure.add_argument("image", type=Path, metavar="IMAGE", help="a JPEG, PNG, WebP or HEIC photo, or a folder")
    measure.add_argument("--kind", required=True, choices=[kind.value for kind in Kind])
    measure.add_argument(
        "--landmarks", type=Path, metavar="FILE.json", help="landmarks placed by hand (image pixels), see docs"
    )
    measure.add_argument(
        "--scale-mm-per-px", type=positive_float, metavar="X", help="millimetres per pixel, e.g. from a ruler"
    )
    measure.add_argument("--view", choices=[v.value for v in BodyView], default=BodyView.FRONT.value, help="body")
    measure.add_argument(
        "--nose", choices=[n.value for n in NoseDirection], default=NoseDirection.UP.value, help="head-top"
    )
    measure.add_argument("--json", action="store_true", help="print the measurement as JSON")
    measure.add_argument("--csv", type=Path, metavar="OUT.csv", help="with a folder: one row per file")
    measure.add_argument(
        "--workers", type=positive_int, metavar="N", help="processes for a folder (default: all cores)"
    )
    measure.set_defaults(handler=run_measure)


def run_measure(args: argparse.Namespace) -> int:
    source: Path = args.image
    if source.is_dir():
        if args.landmarks:
            raise BadInput("--landmarks is for one photo: a folder is measured with automatic landmarks")
        if args.csv is None:
            raise BadInput(f"{source} is a folder: add --csv OUT.csv to measure every photo in it")
        if args.json:
            raise BadInput("--json is for one photo: a folder's results go to the --csv file")
        return run_batch(args)
    if args.csv is not None:
        raise BadInput(f"--csv needs a folder of photos, and {source} is not a folder")
    if args.workers is not None:
        raise BadInput("--workers is for a folder of photos")
    if not source.exists():
        raise BadInput(f"{source} does not exist: check the file name")
    landmarks = read_landmarks(args.landmarks) if args.landmarks else None
    try:
        measurement = measure_photo(
            source,
            args.kind,
            landmarks=landmarks,
            scale_mm_per_px=args.scale_mm_per_px,
            view=args.view,
            nose=args.nose,
        )
    except DetectionError as error:
        raise BadInput(f"{source}: {error.message}") from None
    if args.json:
        print(json.dumps(measurement.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(text_report(measurement, source, view=BodyView(args.view)))
    return EXIT_OK


def read_landmarks(path: Path) -> Any:
    """The JSON in ``path``; its shape is checked by ``revisio.landmarks.parse_landmarks``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"landmarks file {path} does not exist") from None
    except IsADirectoryError:
        raise BadInput(f"landmarks file {path} is a folder") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(f"cannot read landmarks file {path}: {error}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(
            f"landmarks file {path} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None


def convention(kind: Kind, view: BodyView) -> str:
    """Where the patient's left is in the photo, in words, for the report."""
    if kind is Kind.HEAD_TOP:
        return (
            "Left and right are the patient's own: seen from above with the nose up, the patient's left is on "
            "the image's left (--nose says where the nose points)."
        )
    if kind is Kind.BODY:
        side = "right" if view is BodyView.FRONT else "left"
        return (
            f"Left and right are the patient's own: in a {view.value} view the patient's left is on the image's {side}."
        )
    return (
        "Left and right are the patient's own: in a frontal, non-mirrored photo the patient's right is on the "
        "image's left."
    )


def text_report(measurement: Measurement, source: Path, *, view: BodyView) -> str:
    wrap = textwrap.TextWrapper(width=100, subsequent_indent="    ")
    lines = [
        f"Revisio measurement: {measurement.kind.value} ({source.name})",
        convention(measurement.kind, view),
    ]
    lines.append("")
    width = max(len(name) for name in measurement.metrics)
    for name, value in measurement.metrics.items():
        unit = measurement.units.get(name, "")
        unit_text = "" if unit in ("ratio", "") else f" {unit}"
        lines.append(f"  {name:<{width}}  {value:10.3f}{unit_text}")
    lines.append("")
    landmarks = "automatic (check them on the photo)" if measurement.landmarks_source.value == "auto" else "manual"
    lines.append(wrap.fill(f"Landmarks: {landmarks}"))
    lines.append(wrap.fill(f"Method: {measurement.method}"))
    lines.append(wrap.fill(f"Validated: {'yes' if measurement.validated else 'NO'} - {measurement.validation}"))
    if measurement.warnings:
        lines.append("Warnings:")
        lines.extend(wrap.fill(f"  - {warning}") for warning in measurement.warnings)
    return "\n".join(lines)


def run_batch(args: argparse.Namespace) -> int:
    folder: Path = args.image
    out: Path = args.csv
    if out.is_dir():
        raise BadInput(f"--csv {out} is a folder: give a file name such as results.csv")
    if not out.parent.is_dir():
        raise BadInput(f"the folder for --csv {out} does not exist")
    files = sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and not path.name.startswith(".") and path.resolve() != out.resolve()
    )
    if not files:
        raise BadInput(f"{folder} holds no files to measure")
    options = Options(
        kind=Kind(args.kind),
        scale_mm_per_px=args.scale_mm_per_px,
        view=BodyView(args.view),
        nose=NoseDirection(args.nose),
    )
    try:
        results = measure_files(files, options, workers=args.workers or default_workers(), progress=_show_progress)
    except KeyboardInterrupt:
        print(f"\nrevisio: interrupted: no CSV written to {out}", file=sys.stderr)
        return EXIT_INTERRUPTED
    sys.stderr.write("\n")
    try:
        write_csv(out, results, folder)
    except OSError as error:
        raise BadInput(f"cannot write {out}: {error.strerror or error}") from None
    failed = sum(result.error is not None for result in results)
    print(f"wrote {out}: {len(results) - failed} measured, {failed} could not be measured", file=sys.stderr)
    return EXIT_OK


def _show_progress(done: int, total: int, errors: int) -> None:
    sys.stderr.write(f"\rmeasured {done}/{total} ({errors} could not be measured)")
    sys.stderr.flush()


def write_csv(out: Path, results: list[FileResult], folder: Path) -> None:
    """One row per file; written to a temporary file beside ``out`` and renamed over it, so ``out``
    is either complete or untouched, never half-written."""
    metric_names: dict[str, None] = {}  # first-seen order, no duplicates
    for result in results:
        if result.measurement:
            metric_names.update(dict.fromkeys(result.measurement.metrics))
    descriptor, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    partial = Path(name)
    try:
        with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=[*CSV_FIELDS, *metric_names])
            writer.writeheader()
            for result in results:
                writer.writerow(_row(result, folder))
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(out)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise


def _row(result: FileResult, folder: Path) -> dict[str, str]:
    row = {"file": result.path.relative_to(folder).as_posix()}
    if result.error is not None:
        return {**row, "status": "error", "error_code": result.error.code.value, "error": result.error.message}
    measurement = result.measurement
    if measurement is None:
        raise ValueError("a result holds a measurement or an error")
    metrics = {name: f"{value:.4f}" for name, value in measurement.metrics.items()}
    return {**row, "status": "ok", "warnings": "; ".join(measurement.warnings), **metrics}
