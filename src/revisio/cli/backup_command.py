"""``revisio backup``, ``revisio restore`` and ``revisio files``: keeping the data safe.

    revisio backup OUT.tar                 the database and the media folder, with SHA-256 checksums
    revisio restore IN.tar [--force]       put a backup back (stop the server first)
    revisio files check                    stored files no row names, and rows whose file is missing
    revisio files sweep [--older-than M]   delete stored files no row names, older than M minutes

Exit codes: 0 done (``files check``: nothing wrong), 1 failed (``files check``: something to look at),
2 refused (a damaged backup, a database that already holds data without ``--force``, a missing tool).
See docs/operations.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from revisio.cli.errors import EXIT_FAILED, EXIT_OK, BadInput

SETTINGS = "revisio.web.settings"


def register(commands: Any) -> None:
    backup = commands.add_parser("backup", help="back up the database and the media folder to a tar file")
    backup.add_argument("out", type=Path, metavar="OUT.tar", help="the backup file to write")
    backup.set_defaults(handler=run_backup)

    restore = commands.add_parser("restore", help="restore a backup made by 'revisio backup' (stop the server first)")
    restore.add_argument("source", type=Path, metavar="IN.tar", help="the backup file")
    restore.add_argument(
        "--force", action="store_true", help="replace a database that already holds data (all of it is replaced)"
    )
    restore.set_defaults(handler=run_restore)

    files = commands.add_parser("files", help="check stored files against the database, or sweep left-overs")
    actions = files.add_subparsers(dest="files_command", required=True, parser_class=type(files))
    check = actions.add_parser("check", help="list stored files no row names, and rows whose file is missing")
    check.set_defaults(handler=run_files_check)
    sweep = actions.add_parser("sweep", help="delete stored files no row names (left by a crash)")
    sweep.add_argument(
        "--older-than",
        type=int,
        default=10,
        metavar="MINUTES",
        help="only files last changed at least this long ago (default 10: younger ones may be mid-write)",
    )
    sweep.add_argument("--force", action="store_true", help="sweep even if the database names no file at all")
    sweep.set_defaults(handler=run_files_sweep)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def _size(count: int) -> str:
    return f"{count / 1048576:.1f} MB"


def run_backup(args: argparse.Namespace) -> int:
    target = args.out.expanduser().resolve()
    if target.is_dir():
        raise BadInput(f"{target} is a folder: give a file name such as revisio-backup.tar")
    if not target.parent.is_dir():
        raise BadInput(f"the folder {target.parent} does not exist")
    _django()
    from revisio.backup.archive import backup_create
    from revisio.backup.database import BackupFailed, BackupRefused

    try:
        summary = backup_create(target=target)
    except BackupRefused as refused:
        raise BadInput(str(refused)) from None
    except BackupFailed as failed:
        print(f"revisio: the backup failed: {failed}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{target}: {summary.database} database and {summary.files} media file(s), {_size(summary.bytes)}")
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    source = args.source.expanduser().resolve()
    if not source.is_file():
        raise BadInput(f"{source} is not a file")
    _django()
    from revisio.backup.archive import backup_restore
    from revisio.backup.database import BackupFailed, BackupRefused

    try:
        summary = backup_restore(source=source, force=args.force)
    except BackupRefused as refused:
        raise BadInput(str(refused)) from None
    except BackupFailed as failed:
        print(f"revisio: the restore failed, and the database was left as it was: {failed}", file=sys.stderr)
        return EXIT_FAILED
    print(
        f"Restored the {summary.database} database and {summary.files} media file(s) from {source}. "
        "'revisio serve' applies any newer migrations when it starts."
    )
    return EXIT_OK


def run_files_check(args: argparse.Namespace) -> int:
    _django()
    from revisio.backup.files import SweepRefused, files_check

    try:
        report = files_check()
    except SweepRefused as refused:
        raise BadInput(str(refused)) from None
    for name in report.unreferenced:
        print(f"unreferenced  {name}")
    for name in report.missing:
        print(f"missing       {name}")
    print(
        f"{report.referenced} file(s) named by the database; {len(report.unreferenced)} unreferenced, "
        f"{len(report.missing)} missing"
    )
    return EXIT_OK if report.ok else EXIT_FAILED


def run_files_sweep(args: argparse.Namespace) -> int:
    if args.older_than < 0:
        raise BadInput("--older-than must be 0 or more minutes")
    _django()
    from revisio.backup.files import SweepRefused, files_sweep

    try:
        report = files_sweep(older_than=dt.timedelta(minutes=args.older_than), force=args.force)
    except SweepRefused as refused:
        raise BadInput(str(refused)) from None
    for name in report.deleted:
        print(f"deleted  {name}")
    print(
        f"{len(report.deleted)} unreferenced file(s) deleted; {len(report.kept_young)} younger than "
        f"{args.older_than} minute(s) kept"
    )
    return EXIT_OK
