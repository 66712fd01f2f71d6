"""Production settings (``REVISIO_PRODUCTION=1``) pass Django's deployment checks with no warning, and
send the headers and cookies a health-data site needs. Settings are read once per process, so each
check runs in a fresh one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PRODUCTION = {
    "REVISIO_PRODUCTION": "1",
    "REVISIO_SECRET_KEY": "a-test-secret-that-is-long-and-random-enough-" + "x7Qp2vLk9sZr4TmW8yNc",
    "REVISIO_ALLOWED_HOSTS": "revisio.example.org",
    "DJANGO_SETTINGS_MODULE": "revisio.web.settings",
}


REVISIO = str(Path(sys.executable).with_name("revisio"))


def _run(tmp_path: Path, code: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    # Only what a deployment sets: no REVISIO_ or DATABASE_URL of the test run, and not the browser tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly refuses.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REVISIO_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC"))}
    env |= PRODUCTION | {"REVISIO_DATA_DIR": str(tmp_path)} | extra
    command = code if code[0] == REVISIO else [sys.executable, *code]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_no_warning(tmp_path: Path) -> None:
    done = _run(tmp_path, [REVISIO, "manage", "check", "--deploy", "--fail-level", "WARNING"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)" in done.stdout


def test_opting_out_of_preload_is_reported_not_silenced(tmp_path: Path) -> None:
    done = _run(
        tmp_path,
        [REVISIO, "manage", "check", "--deploy", "--fail-level", "WARNING"],
        REVISIO_HSTS_PRELOAD="0",
    )
    assert done.returncode != 0 and "security.W021" in done.stdout + done.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    done = _run(tmp_path, [REVISIO, "manage", "check"], REVISIO_SECRET_KEY="")
    assert done.returncode != 0 and "REVISIO_SECRET_KEY" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_pages_carry_the_strict_headers_and_secure_cookies(tmp_path: Path, path: str) -> None:
    """A request as if through HTTPS (the test client's ``secure``), in a production process."""
    script = f"""
import django, json
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("collectstatic", verbosity=0, interactive=False)
from django.test import Client
response = Client().get({path!r}, secure=True, headers={{"host": "revisio.example.org"}})
cookies = {{name: dict(morsel) for name, morsel in response.cookies.items()}}
print(json.dumps({{"status": response.status_code, "headers": dict(response.headers), "cookies": cookies}}))
"""
    done = _run(tmp_path, ["-c", script])
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    headers = answer["headers"]
    assert answer["status"] == 200
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    csrf = answer["cookies"]["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"


def test_plain_http_is_sent_to_https(tmp_path: Path) -> None:
    script = """
import django
django.setup()
from django.test import Client
response = Client().get("/", headers={"host": "revisio.example.org"})
print(response.status_code, response["Location"])
"""
    done = _run(tmp_path, ["-c", script])
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["301", "https://revisio.example.org/"]
