"""The ``server`` fixture: a real ``revisio serve`` on a free port, in a fresh data folder holding the
demo patient's case and an API token, killed at the end whatever happens.

On SQLite (the default) the database is the data folder's file. With ``DATABASE_URL`` set (the
PostgreSQL run of the suite), each test's server gets a new database of its own on that server,
dropped afterwards: the server must never share the suite's test database.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crash.server import Server, postgres_database


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with contextlib.ExitStack() as stack:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("REVISIO_", "DATABASE_URL", "TMPDIR", "PYTEST_"))
        }
        env |= {
            "DJANGO_SETTINGS_MODULE": "revisio.web.settings",
            "REVISIO_DATA_DIR": str(tmp_path / "data"),
            "REVISIO_DEBUG": "1",  # start-up time only: see tests.crash.server
            "REVISIO_JOBS": "1",  # the embedded default: dossiers and photo measuring run inline
            "HOME": str(tmp_path),  # gunicorn's control socket goes under ~/.gunicorn: one per server
        }
        if os.environ.get("DATABASE_URL"):
            env["DATABASE_URL"] = stack.enter_context(postgres_database(os.environ["DATABASE_URL"]))
        running = Server(root=tmp_path, env=env)
        stack.callback(running.kill)  # runs before the database is dropped
        running.setup()
        running.start()
        yield running
