"""Benchmark: face measurement throughput, end to end against bare model inference, and on 2
worker processes against 1.

    .venv/bin/python benchmarks/measure.py [--images 30] [--rounds 3] [--seed 7]

Makes ``--images`` seeded copies of matplotlib's ``grace_hopper.jpg`` (mirrored or not, scaled
0.8-1.25, shifted up to 60 px, JPEG quality 80-95) in a temporary folder, then on the same files:

1. one core (the process is pinned): ``revisio.landmarks.measure_photo(path, "face")``, which reads
   and decodes the file, finds the landmarks and measures, against ``bare_inference("face", rgb)``
   on the already-decoded images, i.e. only the four Face Mesh passes the detector makes (the
   photo, its mirror and two stand-ins for the chimeras). Target: at least 0.9x. The time of a
   single Face Mesh pass is printed for scale;
2. ``revisio measure DIR --csv`` batch throughput on 2 worker processes against 1, on a warm
   pool (workers started and models loaded before timing; the start-up is printed apart). Target:
   at least 1.7x. Needs 2 free cores.

Rates are medians over ``--rounds`` rounds, with the two sides of each comparison interleaved.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import matplotlib
import numpy as np
from PIL import Image

from revisio.landmarks import load_rgb, measure_photo
from revisio.landmarks.batch import Options, WorkerPool, load_models, measure_file
from revisio.landmarks.models import Model, bare_inference, infer
from revisio.measure import Kind

GRACE_HOPPER = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"


def make_copies(folder: Path, count: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    with Image.open(GRACE_HOPPER) as image:
        original = np.array(image.convert("RGB"))
    paths = []
    for index in range(count):
        rgb = original[:, ::-1] if rng.random() < 0.5 else original
        factor = rng.uniform(0.8, 1.25)
        rgb = cv2.resize(rgb, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        rgb = cv2.copyMakeBorder(rgb, rng.randint(0, 60), 0, rng.randint(0, 60), 0, cv2.BORDER_REPLICATE)
        path = folder / f"copy-{index:02}.jpg"
        Image.fromarray(rgb).save(path, quality=rng.randint(80, 95))
        paths.append(path)
    return paths


def rate(items: int, work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return items / (time.perf_counter() - start)


def single_core(paths: list[Path], rounds: int) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cv2.setNumThreads(1)
    decoded = [load_rgb(path) for path in paths]
    measure_photo(paths[0], "face")  # build the model before timing
    one_pass, end_to_end, bare = [], [], []
    for _ in range(rounds):
        end_to_end.append(rate(len(paths), lambda: [measure_photo(path, "face") for path in paths]))
        bare.append(rate(len(paths), lambda: [bare_inference("face", rgb) for rgb in decoded]))
        one_pass.append(rate(len(paths), lambda: [infer(Model.FACE_MESH, rgb) for rgb in decoded]))
    e2e, base = statistics.median(end_to_end), statistics.median(bare)
    print("one core (pinned):")
    print(f"  one Face Mesh pass          {statistics.median(one_pass):7.1f} images/s")
    print(f"  bare inference (4 passes)   {base:7.1f} images/s")
    print(f"  measure_photo end to end    {e2e:7.1f} images/s   {e2e / base:.2f}x bare inference (target >= 0.9x)")


def batch(paths: list[Path], rounds: int) -> None:
    options = Options(kind=Kind.FACE)
    cv2.setNumThreads(1)  # as in the workers
    load_models(Kind.FACE)
    measure_file(paths[0], options)  # warm the in-process model
    start = time.perf_counter()
    with WorkerPool(options, workers=2) as pool:
        pool.measure(paths[:2])  # both workers have started and loaded the model
        startup = time.perf_counter() - start
        one, two = [], []
        for _ in range(rounds):
            one.append(rate(len(paths), lambda: [measure_file(path, options) for path in paths]))
            two.append(rate(len(paths), lambda: pool.measure(paths)))
    single, double = statistics.median(one), statistics.median(two)
    print(f"batch ({os.cpu_count()} cores visible):")
    print(f"  1 worker (in process)       {single:7.1f} images/s")
    print(f"  2 worker processes          {double:7.1f} images/s   {double / single:.2f}x (target >= 1.7x)")
    print(f"  pool start-up, 2 workers    {startup:7.2f} s (process start, mediapipe import, model build)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = make_copies(Path(folder), args.images, args.seed)
        print(f"{args.images} seeded copies of grace_hopper.jpg (seed {args.seed}), {args.rounds} rounds")
        batch(paths, args.rounds)  # first: the single-core part pins this process to one core
        single_core(paths, args.rounds)


if __name__ == "__main__":
    main()
