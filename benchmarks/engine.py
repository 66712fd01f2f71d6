"""Benchmark: knowledge-base load time and assessments per second on one core.

    .venv/bin/python benchmarks/engine.py [--seconds 3] [--seed 7]

Prints the median load time of the shipped knowledge base (YAML parse, schema and reference
checks), the time to build the engine's index, and the assessment rate for a seeded mix of
realistic inputs, next to the rate for "nothing reported" (the engine's fixed cost) measured in
the same run. Targets from the foundation issue: load under 200 ms, at least 20,000 assessments/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import time

from revisio.engine import CaseProcedure, assess
from revisio.engine.compiled import compile_knowledge
from revisio.kb import DEFAULT_ROOT, load


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        return "pinned to one core"
    return "not pinned (no sched_setaffinity)"


def measure_load(runs: int) -> tuple[float, float]:
    load_ms, compile_ms = [], []
    for _ in range(runs):
        start = time.perf_counter()
        kb = load(DEFAULT_ROOT)  # an explicit root bypasses the per-process cache
        loaded = time.perf_counter()
        compile_knowledge(kb)
        done = time.perf_counter()
        load_ms.append((loaded - start) * 1000)
        compile_ms.append((done - loaded) * 1000)
    return statistics.median(load_ms), statistics.median(compile_ms)


def make_inputs(seed: int, count: int) -> list[dict]:
    kb = load()
    rng = random.Random(seed)
    procedures, symptoms, concerns = sorted(kb.procedures), sorted(kb.symptoms), sorted(kb.concerns)
    surgery = dt.date(2026, 1, 1)
    inputs = []
    for _ in range(count):
        inputs.append(
            {
                "procedures": [CaseProcedure(rng.choice(procedures), surgery)],
                "on": surgery + dt.timedelta(days=rng.randint(0, 400)),
                "symptoms": rng.sample(symptoms, rng.randint(0, 4)),
                "concerns": rng.sample(concerns, rng.randint(0, 2)),
                "temperature_c": round(rng.uniform(36.0, 39.5), 1) if rng.random() < 0.4 else None,
            }
        )
    return inputs


def rate(inputs: list[dict], seconds: float) -> float:
    done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for kwargs in inputs:
            assess(**kwargs)
        done += len(inputs)
    return done / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per rate measurement")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--load-runs", type=int, default=15)
    args = parser.parse_args()

    print(f"revisio engine benchmark ({pin_to_one_core()}, seed {args.seed})")
    load_ms, compile_ms = measure_load(args.load_runs)
    kb = load()
    print(
        f"knowledge base {kb.version}: {len(kb.procedures)} procedures, {len(kb.complications)} complications, "
        f"{len(kb.sources)} sources"
    )
    print(f"load (parse + validate), median of {args.load_runs}: {load_ms:8.1f} ms   (target < 200 ms)")
    print(f"engine index build, median of {args.load_runs}:    {compile_ms:8.1f} ms")

    inputs = make_inputs(args.seed, 2000)
    assess(**inputs[0])  # warm the caches outside the timed loops
    quiet = [{**kwargs, "symptoms": [], "concerns": [], "temperature_c": None} for kwargs in inputs]
    baseline = rate(quiet, args.seconds)
    typical = rate(inputs, args.seconds)
    print(f"assessments/s, nothing reported (fixed cost):  {baseline:10,.0f}")
    print(
        f"assessments/s, realistic mix (0-4 symptoms, 0-2 concerns, 40% with temperature): {typical:10,.0f}"
        f"   (target >= 20,000; {typical / baseline:.2f}x the fixed-cost rate)"
    )


if __name__ == "__main__":
    main()
