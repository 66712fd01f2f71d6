"""The deployment is switched by environment variables only: with none set Revisio runs as it always has
(files on disk, jobs inline); each variable switches its part on; a wrong value stops start-up with a
message naming it. Settings are read once per process, so each case runs in a fresh one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REVISIO = str(Path(sys.executable).with_name("revisio"))

SHOW = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage
options = settings.STORAGES["default"].get("OPTIONS", {})
print(json.dumps({
    "storage": default_storage.__class__.__name__,  # the lazy object answers with the real class
    "backend": settings.STORAGES["default"]["BACKEND"],
    "options": {k: v for k, v in options.items() if k != "client_config"},
    "addressing": options["client_config"].s3 if "client_config" in options else None,
    "broker": settings.CELERY_BROKER_URL,
    "networks": [str(n) for n in settings.REVISIO_METRICS_ALLOWED_NETWORKS],
    "middleware": settings.MIDDLEWARE[0],
}))
"""


def _run(tmp_path: Path, command: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REVISIO_", "DATABASE_URL", "AWS_"))}
    env |= {"DJANGO_SETTINGS_MODULE": "revisio.web.settings", "REVISIO_DATA_DIR": str(tmp_path)} | extra
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def _settings(tmp_path: Path, **extra: str) -> dict[str, object]:
    done = _run(tmp_path, [sys.executable, "-c", SHOW], **extra)
    assert done.returncode == 0, done.stderr
    shown: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return shown


def test_with_nothing_set_files_stay_on_disk_and_jobs_inline(tmp_path: Path) -> None:
    shown = _settings(tmp_path)
    assert shown["storage"] == "FileSystemStorage" and shown["broker"] == ""
    assert shown["networks"] == ["127.0.0.1/32", "::1/128"]
    assert shown["middleware"] == "revisio.web.metrics.MetricsMiddleware"


def test_each_variable_switches_its_part_on(tmp_path: Path) -> None:
    secret = tmp_path / "s3-secret"
    secret.write_text("from-a-file\n")
    shown = _settings(
        tmp_path,
        REVISIO_CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        REVISIO_S3_BUCKET="media",
        REVISIO_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        REVISIO_S3_REGION="ap-northeast-2",
        REVISIO_S3_ACCESS_KEY_ID="key",
        REVISIO_S3_SECRET_ACCESS_KEY_FILE=str(secret),
        REVISIO_METRICS_ALLOWED_IPS="10.0.0.0/8, 192.0.2.5",
    )
    assert shown["storage"] == "S3Storage" and shown["broker"] == "redis://127.0.0.1:6379/0"
    options = shown["options"]
    assert isinstance(options, dict)
    assert options["bucket_name"] == "media" and options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["secret_key"] == "from-a-file" and options["access_key"] == "key"
    assert options["default_acl"] == "private" and options["file_overwrite"] is False
    assert shown["addressing"] == {"addressing_style": "path"}  # a self-hosted endpoint
    assert shown["networks"] == ["10.0.0.0/8", "192.0.2.5/32"]


def test_wrong_values_stop_start_up_naming_the_variable(tmp_path: Path) -> None:
    for name, wrong in (
        ("REVISIO_CELERY_BROKER_URL", "amqp://guest@127.0.0.1//"),
        ("REVISIO_METRICS_ALLOWED_IPS", "127.0.0.1,localhost"),
        ("REVISIO_S3_ADDRESSING_STYLE", "sideways"),
        ("REVISIO_JOB_TIME_LIMIT_SECONDS", "10"),
    ):
        extra = {name: wrong} | ({"REVISIO_S3_BUCKET": "media"} if name.startswith("REVISIO_S3") else {})
        done = _run(tmp_path, [REVISIO, "manage", "check"], **extra)
        assert done.returncode == 2, f"{name}={wrong}: {done.stdout}{done.stderr}"
        assert name in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_the_worker_command_refuses_to_start_without_a_broker(tmp_path: Path) -> None:
    done = _run(tmp_path, [REVISIO, "worker"])
    assert done.returncode == 2 and "REVISIO_CELERY_BROKER_URL" in done.stderr, done.stderr
