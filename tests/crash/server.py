"""A real ``revisio serve`` (gunicorn master and worker) in a data folder of its own, for crash tests.

The server is started in a new session, so its process group holds the gunicorn master and every
worker: ``kill()`` sends SIGKILL to all of them at once, as a power cut or the out-of-memory killer
would, and nothing of the server gets to clean up.

``REVISIO_DEBUG=1`` only because of start-up time: ``revisio serve`` runs ``collectstatic`` at every
start, and the production storage (WhiteNoise's compressed manifest) re-compresses every static file
each time (about 30 s on a loaded 2-core machine); the plain storage copies what changed (about 3 s).
Nothing a crash test looks at (rows, stored files, the temporary folder) depends on it.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
from PIL import Image

REVISIO = [sys.executable, "-m", "revisio"]
START_TIMEOUT = 180.0  # seconds; migrate + collectstatic + gunicorn boot, on a machine others load too
SERVING = "Revisio is serving at"

#: Run in the data folder before the first start: the schema, the demo patient and her case (two
#: check-ins with photos, messages), and an API token. Prints the case id and the token's secret.
SETUP = """
import json
import django

django.setup()
from django.core.management import call_command

call_command("migrate", "--no-input", verbosity=0)
from revisio.accounts.services import api_token_create
from revisio.demo.seed import demo_seed

account = demo_seed()
_token, secret = api_token_create(user=account.case.owner, name="crash test")
print(json.dumps({"case_id": str(account.case.pk), "token": secret}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def noise_jpeg(*, width: int = 3000, height: int = 2000, seed: int = 6) -> bytes:
    """A synthetic photo of seeded colour noise: noise barely compresses, so this is about 6-8 MB, over
    Django's 5 MB in-memory limit, and the upload is spooled to a temporary file while it arrives."""
    pixels = np.random.default_rng(seed).integers(0, 256, size=(height, width, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def multipart(fields: dict[str, str], *, file_field: str, file_name: str, data: bytes) -> tuple[str, bytes]:
    """(content type, body) of a multipart/form-data request with ``fields`` and one JPEG file."""
    boundary = f"crash{uuid.uuid4().hex}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{file_name}"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


@dataclass
class Response:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Server:
    """One data folder and the ``revisio serve`` processes that use it (at most one at a time)."""

    root: Path  # holds the data folder, the log and a HOME of its own
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    case_id: str = ""
    token: str = ""
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def media(self) -> Path:
        return self.data_dir / "media"

    @property
    def temp(self) -> Path:
        """The server's own TMPDIR (``revisio.backup.recovery.temp_dir``), where uploads spool."""
        return self.data_dir / "tmp"

    def setup(self) -> None:
        result = subprocess.run(
            [sys.executable, "-c", SETUP], env=self.env, capture_output=True, text=True, timeout=300, check=False
        )
        assert result.returncode == 0, f"setting up the data folder failed:\n{result.stderr[-3000:]}"
        made = json.loads(result.stdout.strip().splitlines()[-1])
        self.case_id, self.token = made["case_id"], made["token"]

    def start(self) -> str:
        """Start ``revisio serve --workers 1`` and wait until it answers; returns what it printed
        before serving (the start-up recovery's report is in there)."""
        assert self.process is None, "the server is already running"
        self.starts += 1
        log = self.root / f"serve-{self.starts}.log"
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [*REVISIO, "serve", "--port", str(self.port), "--workers", "1"],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the master and all its workers
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"revisio serve exited with {self.process.returncode}:\n{log.read_text()}")
            with contextlib.suppress(OSError):
                if self.get("/").status == 200:
                    return log.read_text().split(SERVING)[0]
            time.sleep(0.2)
        self.kill()
        raise AssertionError(f"revisio serve did not answer within {START_TIMEOUT:.0f} s:\n{log.read_text()}")

    def kill(self) -> None:
        """SIGKILL the whole server (gunicorn master and workers) and reap it."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._wait_group_gone(self.process.pid)
        self.process = None

    @staticmethod
    def _wait_group_gone(group: int) -> None:
        """Workers are the master's children: once it is reaped they are re-parented and reaped by
        init. Wait until none is left, so no dead server still holds the port or the database."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        raise AssertionError(f"processes of group {group} survived SIGKILL")

    def revisio(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``revisio ARGS`` against the same data folder and database."""
        return subprocess.run([*REVISIO, *args], env=self.env, capture_output=True, text=True, timeout=300, check=False)

    # --- HTTP ------------------------------------------------------------------------------------------

    def request(self, method: str, path: str, *, body: bytes | None = None, content_type: str = "") -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
            if content_type:
                headers["Content-Type"] = content_type
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            return Response(answer.status, answer.read())
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def open_upload(self, content_type: str, body: bytes, path: str) -> socket.socket:
        """A connection with the request line and headers of a POST already sent; the caller sends the
        body (or part of it) with ``sendall``."""
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAuthorization: Bearer {self.token}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        sock.sendall(head.encode())
        return sock

    def api(self, path: str) -> str:
        return f"/api/v1/cases/{self.case_id}{path}"


def received_nothing(sock: socket.socket) -> bool:
    """Whether the server closed ``sock`` without sending one byte of a response (what a killed server
    does), as opposed to having answered before it died."""
    sock.settimeout(10)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    finally:
        sock.close()


def wait_for(condition: Any, *, timeout: float, every: float = 0.005, what: str) -> Any:
    """Poll ``condition()`` until it returns something truthy; returns that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def files_under(folder: Path) -> set[str]:
    """Every regular file under ``folder``, as POSIX paths relative to it."""
    if not folder.is_dir():
        return set()
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


@contextlib.contextmanager
def postgres_database(url: str) -> Iterator[str]:
    """A new, empty database on the PostgreSQL server of ``url`` for one test's server; dropped after."""
    import psycopg

    name = f"revisio_crash_{uuid.uuid4().hex[:12]}"
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
