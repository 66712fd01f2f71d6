"""Measuring many photos at once, on several processes, each loading its model once.

MediaPipe runs an inference on one core, so throughput scales with processes, not threads. The
pool's initializer builds the models a kind needs before the first photo arrives, and OpenCV is
held to one thread per process so two workers do not fight over the same cores. Workers ignore
Ctrl-C: the parent alone decides to stop, and cancels what has not started.

Processes start with ``forkserver`` (``spawn`` where it does not exist) rather than ``fork``: the
calling process may already run MediaPipe graphs, whose threads do not survive a fork.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from revisio.landmarks.errors import DetectionError
from revisio.measure import BodyView, Kind, Measurement, NoseDirection

Progress = Callable[[int, int, int], None]  # (done, total, errors so far)


@dataclass(frozen=True)
class Options:
    """What every photo of a batch is measured with (see ``revisio.landmarks.measure_photo``)."""

    kind: Kind
    scale_mm_per_px: float | None = None
    view: BodyView = BodyView.FRONT
    nose: NoseDirection = NoseDirection.UP


@dataclass(frozen=True)
class FileResult:
    """One photo's outcome: a measurement, or the reason it could not be measured."""

    path: Path
    measurement: Measurement | None = None
    error: DetectionError | None = None


def measure_file(path: Path, options: Options) -> FileResult:
    """Measure one file; a photo that cannot be measured is a result, anything else raises."""
    from revisio.landmarks import measure_photo

    try:
        measurement = measure_photo(
            path,
            options.kind,
            scale_mm_per_px=options.scale_mm_per_px,
            view=options.view,
            nose=options.nose,
        )
    except DetectionError as error:
        return FileResult(path, error=error)
    return FileResult(path, measurement=measurement)


def default_workers() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


_options: Options | None = None  # set in each worker by _start_worker


def _start_worker(options: Options) -> None:
    import cv2

    global _options
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    cv2.setNumThreads(1)
    _options = options
    load_models(options.kind)


def load_models(kind: Kind) -> None:
    """Build, in this process, the models measuring ``kind`` needs (see ``revisio.landmarks.models``)."""
    from revisio.landmarks.models import Model, load

    needed = {Kind.FACE: (Model.FACE_MESH,), Kind.BODY: (Model.POSE, Model.SELFIE_SEGMENTATION)}
    for model in needed.get(kind, ()):
        load(model)


def _measure_in_worker(path: Path) -> FileResult:
    if _options is None:
        raise RuntimeError("the pool initializer did not run")
    return measure_file(path, _options)


def _context() -> multiprocessing.context.BaseContext:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


class WorkerPool:
    """Worker processes that have each built the models ``options.kind`` needs; reusable for
    several batches (the benchmark times batches on a warm pool). Close it, or use ``with``."""

    def __init__(self, options: Options, workers: int) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.options = options
        self.workers = workers
        self._executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=_context(), initializer=_start_worker, initargs=(options,)
        )

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        # On an error or Ctrl-C, photos not yet started are dropped; running ones finish first.
        self.close(cancel=exc_info[0] is not None)

    def close(self, *, cancel: bool = False) -> None:
        self._executor.shutdown(wait=True, cancel_futures=cancel)

    def measure(self, paths: Sequence[Path], progress: Progress | None = None) -> list[FileResult]:
        """Results in the order of ``paths``; ``progress`` is called as each photo finishes."""
        results: list[FileResult | None] = [None] * len(paths)
        futures = {self._executor.submit(_measure_in_worker, path): index for index, path in enumerate(paths)}
        errors = 0
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            results[futures[future]] = result
            errors += result.error is not None
            if progress:
                progress(done, len(paths), errors)
        return [result for result in results if result is not None]


def measure_files(
    paths: Sequence[Path], options: Options, *, workers: int, progress: Progress | None = None
) -> list[FileResult]:
    """Measure ``paths`` on ``workers`` processes (in this process when 1) and return the results
    in the order of ``paths``. ``progress`` is called after each photo. On an unexpected error or
    a KeyboardInterrupt, photos not yet started are cancelled and the exception propagates."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if workers > 1 and len(paths) > 1:
        with WorkerPool(options, min(workers, len(paths))) as pool:
            return pool.measure(paths, progress)
    load_models(options.kind)
    results, errors = [], 0
    for path in paths:
        result = measure_file(path, options)
        results.append(result)
        errors += result.error is not None
        if progress:
            progress(len(results), len(paths), errors)
    return results
