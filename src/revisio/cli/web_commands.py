"""``revisio serve`` (the web app) and ``revisio manage`` (Django's management commands).

Django is imported only when these run, so the rest of the command line starts fast and works
without a database.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from revisio.cli.errors import EXIT_OK, BadInput

SETTINGS = "revisio.web.settings"


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="set up the database and serve the web app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    serve.add_argument("--demo", action="store_true", help="create or reset the demo patient first")
    serve.set_defaults(handler=run_serve)

    worker = commands.add_parser("worker", help="run background jobs from Redis (REVISIO_CELERY_BROKER_URL)")
    worker.add_argument("--concurrency", type=int, default=2, help="job processes")
    worker.add_argument("--metrics-port", type=int, default=0, help="serve this worker's /metrics on 127.0.0.1")
    worker.set_defaults(handler=run_worker)

    manage = commands.add_parser(
        "manage", help="run a Django management command (e.g. createsuperuser)", add_help=False
    )
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=run_manage)


def _django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["revisio manage", *argv])


def run_manage(args: argparse.Namespace) -> int:
    _django(args.args or ["help"])
    return EXIT_OK


def _recover_after_crash() -> None:
    """Fail the jobs a killed server left half-done, sweep the files it left, and give this server a
    temporary folder of its own (``TMPDIR``, where uploads spool), emptied at each start
    (``revisio.backup.recovery``). Django is set up by the ``migrate`` before this."""
    from revisio.backup.recovery import recover_at_start

    recovery = recover_at_start()
    os.environ["TMPDIR"] = str(recovery.temp_dir)
    for line in recovery.lines():
        print(line, flush=True)


STATIC_SOURCES = ".revisio-static-sources"  # in STATIC_ROOT: what the collected files were collected from


def _static_sources() -> str:
    """A fingerprint of every static file the finders see (name, size, modification time): it changes when
    a file is edited or a package upgraded, whatever the files' own dates."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for name, storage in sorted(finder.list(["CVS", ".*", "*~"]), key=lambda found: found[0]):
            stat = Path(storage.path(name)).stat()
            digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _static_files_current() -> bool:
    """True if the collected static files were collected from the files there are now. collectstatic
    compresses every file again even when nothing changed (half a minute, mostly the API docs' source
    maps), which would make every start of the server, and every restart after a crash, that much slower."""
    from django.conf import settings

    remembered = Path(settings.STATIC_ROOT) / STATIC_SOURCES
    return remembered.is_file() and remembered.read_text() == _static_sources()


def _static_sources_remember() -> None:
    from django.conf import settings

    (Path(settings.STATIC_ROOT) / STATIC_SOURCES).write_text(_static_sources())


def _metrics_folder(kind: str) -> None:
    """Give prometheus-client's multiprocess mode a folder of this server's own, emptied at start: the
    counts of a previous run's processes would otherwise be added to this one's. Set before the processes
    that count import prometheus-client (it reads the variable then), and inherited by all of them."""
    from revisio.web.settings import DATA_DIR  # the module alone: Django is not set up by this

    folder = DATA_DIR / "prometheus" / kind
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


def run_serve(args: argparse.Namespace) -> int:
    if not 1 <= args.port <= 65535:
        raise BadInput(f"--port {args.port} is not a port number (1-65535)")
    _django(["migrate", "--no-input", "-v", "0"])
    _metrics_folder("web")
    _recover_after_crash()
    if not _static_files_current():
        _django(["collectstatic", "--no-input", "-v", "0"])
        _static_sources_remember()
    if args.demo:
        _django(["seed_demo"])
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
    if gunicorn is None:
        raise BadInput("gunicorn is not installed: run 'make run' to set up the environment")
    print(f"Revisio is serving at http://{args.host}:{args.port}/ (Ctrl-C stops it)", flush=True)
    os.execv(
        gunicorn,
        [
            gunicorn,
            "revisio.web.wsgi:application",
            "--bind",
            f"{args.host}:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
            # gunicorn's control socket defaults to one path per user (~/.gunicorn), which a second server of
            # the same user would take over; Revisio does not use it.
            "--no-control-socket",
        ],
    )
    return EXIT_OK  # not reached: the process is now gunicorn


def run_worker(args: argparse.Namespace) -> int:
    """``celery worker`` for Revisio's jobs, with the settings ``revisio.web.settings`` reads."""
    if args.concurrency < 1:
        raise BadInput(f"--concurrency {args.concurrency} must be at least 1")
    if not 0 <= args.metrics_port <= 65535:
        raise BadInput(f"--metrics-port {args.metrics_port} is not a port number (1-65535, or 0 for none)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    _metrics_folder("worker")  # before Django is set up: its apps import prometheus-client
    import django

    django.setup()
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        raise BadInput("REVISIO_CELERY_BROKER_URL is not set: without it jobs run inline in 'revisio serve'")
    if args.metrics_port:
        from prometheus_client import CollectorRegistry, start_http_server
        from prometheus_client.multiprocess import MultiProcessCollector

        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        start_http_server(args.metrics_port, addr="127.0.0.1", registry=registry)
    from revisio.celery import app

    app.worker_main(["worker", "--loglevel", "INFO", "--concurrency", str(args.concurrency)])
    return EXIT_OK
