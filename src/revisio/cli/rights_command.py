"""``revisio export-user``: everything one person stored, as the ZIP the "Your data" page gives them.

    revisio export-user --email EMAIL --out FILE.zip
    revisio export-user --prune

The export is built like one asked for on the web, copied to ``--out`` (a temporary file beside it,
renamed once complete, readable only by you), and then deleted from the data folder: the copy you
hand over is the only one. ``--prune`` deletes the exports people asked for on the web whose
retention time (7 days) has passed; asking for a new export prunes them too.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from revisio.cli.errors import EXIT_FAILED, EXIT_OK, BadInput

SETTINGS = "revisio.web.settings"


def register(commands: Any) -> None:
    export = commands.add_parser(
        "export-user", help="write everything one person stored to a ZIP, or delete expired exports"
    )
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--email", metavar="EMAIL", help="the account's e-mail address")
    which.add_argument("--prune", action="store_true", help="delete exports whose retention time has passed")
    export.add_argument("--out", type=Path, metavar="FILE.zip", help="where to write the ZIP (with --email)")
    export.set_defaults(handler=run_export_user)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def run_export_user(args: argparse.Namespace) -> int:
    if args.prune:
        if args.out is not None:
            raise BadInput("--out goes with --email, not with --prune")
        _django()
        from revisio.rights.services import exports_prune

        print(f"{exports_prune()} expired export(s) deleted")
        return EXIT_OK
    if args.out is None:
        raise BadInput("--email needs --out FILE.zip: where to write the export")
    out = args.out.expanduser().resolve()
    if out.is_dir():
        raise BadInput(f"--out {out} is a folder: give a file name such as data.zip")
    if not out.parent.is_dir():
        raise BadInput(f"--out {out}: the folder {out.parent} does not exist")
    _django()
    from django.db.utils import DatabaseError

    from revisio.accounts.models import User

    try:
        user = User.objects.filter(email=args.email.strip().lower()).first()
    except DatabaseError:
        raise BadInput("the database is not set up: run 'revisio manage migrate' first") from None
    if user is None:
        raise BadInput(f"there is no account with the e-mail address {args.email!r}")
    return _export(user, out)


def _export(user: Any, out: Path) -> int:
    from revisio.backup.atomic import atomic_output
    from revisio.rights.models import ExportStatus
    from revisio.rights.services import export_build, export_create, export_delete
    from revisio.web.errors import DomainError

    try:
        created = export_create(user=user)
    except DomainError as error:
        raise BadInput(error.message) from None
    export = export_build(export_id=created.pk)
    if export is None or export.status != ExportStatus.DONE:
        print(f"revisio: the export failed: {export.error if export else 'it was deleted'}", file=sys.stderr)
        return EXIT_FAILED
    try:
        with atomic_output(out) as target, export.file.open("rb") as source:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                target.write(chunk)
    finally:
        export_delete(export=export)
    print(f"{out}  {export.size} bytes  sha256 {export.sha256}")
    return EXIT_OK
