"""A worker process killed in the middle of a job (SIGKILL: the out-of-memory killer, a power cut) loses
nothing: the job stays in Redis unacknowledged and runs again to the end.

Real processes: ``revisio worker`` (Celery's prefork pool) in a data folder of its own, the job asked for from
a separate process, as a web request would. With ``DATABASE_URL`` set, a fresh PostgreSQL database of its
own (the worker must not share the suite's test database)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.crash.server import postgres_database
from tests.deploy.conftest import REDIS_URL

REVISIO = [sys.executable, "-m", "revisio"]
SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", "--no-input", verbosity=0)
from revisio.demo.seed import demo_seed
print(demo_seed().case.pk)
"""
ASK = """
import django
django.setup()
from revisio.cases.models import Case
from revisio.dossier.services import dossier_request
case = Case.objects.get(pk={case_id!r})
print(dossier_request(case=case, user=case.owner).pk)
"""
SHOW = """
import django, json
django.setup()
from revisio.dossier.models import Dossier
dossier = Dossier.objects.get(pk={dossier_id!r})
print(json.dumps({{"status": dossier.status, "progress": dossier.progress, "error": dossier.error}}))
"""


def python(env: dict[str, str], script: str) -> str:
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the pool's job processes)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry.name))
    return found


def wait_for(log: Path, pattern: str, *, times: int = 1, timeout: float = 180.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        if len(re.findall(pattern, text)) >= times:
            return text
        time.sleep(0.1)
    raise AssertionError(f"{pattern!r} did not appear {times} time(s) in {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def environment(tmp_path: Path, redis_client: redis.Redis) -> Iterator[dict[str, str]]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("REVISIO_", "DATABASE_URL"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "revisio.web.settings",
        "REVISIO_DATA_DIR": str(tmp_path / "data"),
        "REVISIO_CELERY_BROKER_URL": REDIS_URL,
    }
    with contextlib.ExitStack() as stack:
        if os.environ.get("DATABASE_URL"):
            env["DATABASE_URL"] = stack.enter_context(postgres_database(os.environ["DATABASE_URL"]))
        yield env


def test_a_job_whose_worker_was_killed_runs_again(tmp_path: Path, environment: dict[str, str]) -> None:
    case_id = python(environment, SETUP)
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [*REVISIO, "worker", "--concurrency", "1"],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed whole at the end, whatever happens
        )
    try:
        wait_for(log, r"ready\.")
        dossier_id = python(environment, ASK.format(case_id=case_id))
        received = wait_for(log, r"Task revisio\.run_job\[[0-9a-f-]+\] received")
        task = re.findall(r"Task revisio\.run_job\[([0-9a-f-]+)\] received", received)[0]
        time.sleep(0.5)  # into the build, which takes seconds (reading the case, drawing, rendering)
        assert f"{task}] succeeded" not in log.read_text(), "the job ended before it could be interrupted"
        busy = children(worker.pid)
        assert busy, "the worker has no pool process to kill"
        for pid in busy:
            os.kill(pid, signal.SIGKILL)

        text = wait_for(log, rf"Task revisio\.run_job\[{task}\] succeeded")
        assert "WorkerLostError" in text and "signal 9" in text, text[-3000:]
        assert text.count(f"Task revisio.run_job[{task}] received") == 2, "the same job was delivered again"
        assert json.loads(python(environment, SHOW.format(dossier_id=dossier_id))) == {
            "status": "done",
            "progress": 100,
            "error": "",
        }
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
