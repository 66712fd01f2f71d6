"""``revisio serve`` (the web app) and ``revisio manage`` (Django's management commands).

Django is imported only when these run, so the rest of the command line starts fast and works
without a database.
"""

from __future__ import annotations

import argparse
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


def run_serve(args: argparse.Namespace) -> int:
    if not 1 <= args.port <= 65535:
        raise BadInput(f"--port {args.port} is not a port number (1-65535)")
    _django(["migrate", "--no-input", "-v", "0"])
    _django(["collectstatic", "--no-input", "-v", "0"])
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
        ],
    )
    return EXIT_OK  # not reached: the process is now gunicorn
