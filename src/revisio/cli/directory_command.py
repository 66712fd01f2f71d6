"""``revisio directory import``: load clinics or translators from a CSV file (staff's bulk entry).

    revisio directory import clinics FILE.csv [--skip-bad]
    revisio directory import translators FILE.csv [--skip-bad]

Every row is checked; each bad one is reported on stderr with its row number (the header is row 1), the
column and what to fix. Without ``--skip-bad`` nothing is imported while any row is bad. Exit codes:
0 every row imported; 1 some rows refused (nothing imported without ``--skip-bad``); 2 the file cannot be
read at all (missing, empty, not UTF-8, not CSV, a missing or unknown column). Columns: docs/directory.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from revisio.cli.errors import EXIT_FAILED, EXIT_OK, BadInput

SETTINGS = "revisio.web.settings"
KINDS = ("clinics", "translators")


def register(commands: Any) -> None:
    directory = commands.add_parser("directory", help="the directory of clinics and translators")
    actions = directory.add_subparsers(dest="action", required=True)
    load = actions.add_parser("import", help="import clinics or translators from a CSV file (UTF-8)")
    load.add_argument("kind", choices=KINDS, help="what the file lists")
    load.add_argument("file", type=Path, metavar="FILE.csv")
    load.add_argument("--skip-bad", action="store_true", help="import the good rows and report the bad ones")
    load.set_defaults(handler=run_import)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def run_import(args: argparse.Namespace) -> int:
    path: Path = args.file.expanduser()
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    _django()
    from django.db.utils import DatabaseError

    from revisio.directory.csvfile import MAX_BYTES, Kind
    from revisio.directory.services import directory_import
    from revisio.web.errors import DomainError

    if path.stat().st_size > MAX_BYTES:
        raise BadInput(f"{path}: larger than {MAX_BYTES >> 20} MB: split it into smaller files")
    try:
        report = directory_import(kind=Kind(args.kind), data=path.read_bytes(), skip_bad=args.skip_bad)
    except DomainError as error:
        raise BadInput(f"{path}: {error.message}") from None
    except DatabaseError:
        raise BadInput("the database is not set up: run 'revisio manage migrate' first") from None
    for error in report.errors:
        print(f"{path}: {error}", file=sys.stderr)
    print(
        f"{args.kind}: {report.created} added, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.refused_rows} row(s) refused"
    )
    if report.errors and not report.imported:
        print(
            "nothing was imported: correct the rows above, or use --skip-bad to import the good ones", file=sys.stderr
        )
    return EXIT_FAILED if report.errors else EXIT_OK
