"""Benchmark: build time and peak memory of an evidence dossier of a case with 50 measured photos.

    .venv/bin/python benchmarks/dossier.py [--photos 50] [--seed 7] [--rounds 3]

Sets up a temporary data folder and SQLite database (before Django starts), then a case with
``--photos`` seeded synthetic photos of about 1000x1000 pixels (a drawn figure on a noisy gradient,
JPEG), each measured from its drawn landmarks so the trend charts appear, 25 check-ins, 3 documents
and 6 messages. It then builds the dossier ``--rounds`` times, as the background job would
(``services.dossier_build``: collect, check every file, K-medi draft, PDF, ZIP, store), and prints
the median build time and the peak resident memory of the process during the build, measured with
the kernel's high-water mark (``VmHWM``, reset before each build through ``/proc/self/clear_refs``).
Targets: under 5 s and under 500 MB on a 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import itertools
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image


def memory_kib(field: str) -> int:
    """A ``/proc/self/status`` field (VmRSS, VmHWM) in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (Linux 4.0+); False where that is not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def synthetic_photo(rng: np.random.Generator, shape: dict[str, float], size: int = 1000) -> tuple[bytes, dict]:
    """A ``size`` x ``size`` JPEG: the demo's drawn figure on a noisy gradient, and its landmarks."""
    from revisio.demo.images import back_view_figure, silhouette_back_view

    width = int(size * 0.76)
    offset = (size - width) // 2
    figure = Image.open(io.BytesIO(silhouette_back_view(width=width, height=size, **shape))).convert("RGB")
    y, x = np.mgrid[0:size, 0:size]
    base = np.stack([200 + 30 * x / size, 205 + 25 * y / size, np.full((size, size), 215.0)], axis=-1)
    canvas = np.clip(base + rng.normal(0, 6, (size, size, 3)), 0, 255).astype(np.uint8)
    drawn = np.asarray(figure, dtype=np.float64)
    noisy = np.clip(drawn + rng.normal(0, 4, drawn.shape), 0, 255).astype(np.uint8)
    canvas[:, offset : offset + width] = noisy
    buffer = io.BytesIO()
    Image.fromarray(canvas).save(buffer, format="JPEG", quality=int(rng.integers(82, 93)))
    landmarks = back_view_figure(width=width, **shape).landmarks()
    shift = [offset, 0]
    for key in ("shoulder_left", "shoulder_right", "hip_left", "hip_right"):
        landmarks[key] = [landmarks[key][0] + shift[0], landmarks[key][1]]
    landmarks["outline"] = [[px + shift[0], py] for px, py in landmarks["outline"]]
    return buffer.getvalue(), landmarks


def seed_case(photos: int, seed: int):  # type: ignore[no-untyped-def]
    from django.utils import timezone
    from tests.uploads.synthetic import MINIMAL_PDF

    from revisio import jobs
    from revisio.accounts.services import user_create
    from revisio.cases.services import ProcedureInput, case_create, document_add
    from revisio.diary.measuring import photo_measure_manual
    from revisio.diary.services import PhotoInput, checkin_add
    from revisio.escalation.models import Communication

    rng = np.random.default_rng(seed)
    pick = random.Random(seed)
    today = timezone.localdate()
    surgery = today - dt.timedelta(days=120)
    user = user_create(email="bench@example.org", password="bench password 1234", display_name="Bench Patient")
    case = case_create(
        owner=user,
        title="Benchmark case",
        clinic_name="Example Clinic",
        clinic_country="KR",
        procedures=[ProcedureInput("fat-transfer-hips", surgery)],
    )
    checkins = 25
    per_checkin = max(1, photos // checkins)
    made = 0
    with jobs.paused():
        for index in range(checkins):
            count = min(per_checkin, photos - made) if index < checkins - 1 else photos - made
            shapes = [
                {
                    "swelling": max(0.0, 1 - index / 20),
                    "hip_left": pick.uniform(0.9, 1.0),
                    "hip_right": pick.uniform(1.0, 1.1),
                }
                for _ in range(count)
            ]
            drawn = [synthetic_photo(rng, shape) for shape in shapes]
            checkin = checkin_add(
                case=case,
                user=user,
                date=surgery + dt.timedelta(days=4 * index + 1),
                symptoms=["swelling"],
                concerns=["asymmetry"] if index > 5 else [],
                pain=max(0, 6 - index // 4),
                notes=f"Check-in {index + 1}.",
                photos=[PhotoInput(data, "back", "hips") for data, _ in drawn],
            )
            for photo, (_, landmarks) in zip(checkin.photos.order_by("created_at"), drawn, strict=True):
                photo_measure_manual(photo=photo, kind="body", landmarks=landmarks, user=user)
            made += count
    for number in range(3):
        document_add(
            case=case,
            user=user,
            data=MINIMAL_PDF,
            original_name=f"record-{number}.pdf",
            document_type="medical-record",
            title=f"Medical record {number + 1}",
        )
    for number in range(6):
        Communication.objects.create(
            case=case,
            direction="sent" if number % 2 == 0 else "received",
            channel="email",
            counterpart="clinic",
            occurred_on=surgery + dt.timedelta(days=10 + 7 * number),
            summary=f"Message {number + 1}",
            body="Hello,\n\nThe right hip still looks bigger than the left. " * 3,
            language="en",
            created_by=user,
        )
    return case, user


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="revisio-bench-dossier-")
    try:
        return run(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, folder: str) -> int:
    os.environ["REVISIO_DATA_DIR"] = folder
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "revisio.web.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.uploads.synthetic
    import django

    django.setup()
    from django.core.management import call_command

    from revisio.dossier import services
    from revisio.dossier.models import Dossier
    from revisio.dossier.services import dossier_build, dossier_create

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    case, user = seed_case(args.photos, args.seed)
    print(
        f"seeded {case.photos.count()} photos ({case.photos.first().width}x{case.photos.first().height}), "
        f"{case.checkins.count()} check-ins in {time.perf_counter() - started:.1f} s"
    )

    marks: list[tuple[float, str]] = []
    report = services._report

    def timed_report(dossier_id, progress, stage, **fields):  # type: ignore[no-untyped-def]
        marks.append((time.perf_counter(), stage))
        report(dossier_id, progress, stage, **fields)

    services._report = timed_report  # to time each stage of the build
    times, peaks, deltas = [], [], []
    stage_times: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        marks.clear()
        dossier = dossier_create(case=case, user=user)
        before = memory_kib("VmRSS")
        exact = reset_peak()
        start = time.perf_counter()
        built = dossier_build(dossier_id=dossier.pk)
        times.append(time.perf_counter() - start)
        peak = memory_kib("VmHWM")
        peaks.append(peak / 1024)
        deltas.append(max(0, peak - before) / 1024)
        assert built is not None and built.status == "done", built.error if built else "deleted"
        spent: dict[str, float] = {}
        for (start_mark, stage), (end_mark, _) in itertools.pairwise(marks):
            spent[stage] = spent.get(stage, 0.0) + end_mark - start_mark
        for stage, seconds in spent.items():
            stage_times.setdefault(stage, []).append(seconds)
        Dossier.objects.filter(pk=dossier.pk).update(status="failed")  # let the next round start
    sizes = (built.pdf.size / 1e6, built.zip_file.size / 1e6, built.draft_pdf.size / 1e3)
    print("PDF {:.1f} MB, ZIP {:.1f} MB, K-medi draft {:.0f} kB".format(*sizes))
    how = "VmHWM after clear_refs" if exact else "VmHWM (could not be reset: a process-lifetime peak)"
    print(
        f"build time: median {statistics.median(times):.2f} s over {args.rounds} rounds "
        f"(min {min(times):.2f}, max {max(times):.2f}); target < 5 s"
    )
    print(
        "median time per stage: "
        + ", ".join(f"{stage} {statistics.median(ts):.2f} s" for stage, ts in stage_times.items())
    )
    print(
        f"peak RSS during the build: {max(peaks):.0f} MB ({how}), {max(deltas):.0f} MB above the RSS before it; "
        "target < 500 MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
