"""``revisio fhir export`` and ``revisio fhir import``: a case as a FHIR R4B Bundle, and back.

``export --demo`` builds the built-in demo case in a throwaway SQLite database under a temporary folder
(``REVISIO_DATA_DIR`` and ``DATABASE_URL`` are set before Django starts), so it never touches your data.
Bad input exits with code 2 and one line saying what to fix.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

from revisio.cli.errors import EXIT_OK, BadInput

SETTINGS = "revisio.web.settings"


def register(commands: Any) -> None:
    fhir = commands.add_parser("fhir", help="export a case as a FHIR R4B Bundle, or import one")
    actions = fhir.add_subparsers(dest="fhir_command", required=True, parser_class=type(fhir))
    export = actions.add_parser("export", help="write a case as a FHIR R4B collection Bundle (JSON)")
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", metavar="UUID", help="the ID of a case in the configured database")
    which.add_argument("--demo", action="store_true", help="the built-in demo case, in a temporary database")
    export.add_argument("--out", required=True, type=Path, metavar="FILE.json", help="where to write the Bundle")
    export.set_defaults(handler=run_export)
    load = actions.add_parser("import", help="create a case from a FHIR R4B Bundle")
    load.add_argument("file", type=Path, metavar="FILE.json", help="a Bundle, e.g. from 'revisio fhir export'")
    load.add_argument("--owner", required=True, metavar="EMAIL", help="the account that will own the new case")
    load.set_defaults(handler=run_import)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def _checked_out(path: Path) -> Path:
    if not path.parent.is_dir():
        raise BadInput(f"--out {path}: the folder {path.parent} does not exist")
    if path.is_dir():
        raise BadInput(f"--out {path}: is a folder; give a file name such as case.json")
    return path


def run_export(args: argparse.Namespace) -> int:
    out = _checked_out(args.out)
    if args.demo:
        return _export_demo(out)
    try:
        case_id = uuid.UUID(args.case)
    except ValueError:
        raise BadInput(f"--case '{args.case}' is not a case ID (a UUID such as 2f1c...-...)") from None
    _django()
    from django.db import DatabaseError

    from revisio.cases.models import Case

    try:
        case = Case.objects.filter(pk=case_id).first()
    except DatabaseError as error:
        raise BadInput(f"cannot read the database ({error}): run 'revisio manage migrate' first") from None
    if case is None:
        raise BadInput(f"no case {case_id} in this database")
    from revisio.audit.models import Action
    from revisio.audit.services import command_line_access_record

    command_line_access_record(case_id=case.pk, action=Action.EXPORT, command="revisio fhir export")
    return _write(case, out)


def _write(case: Any, out: Path) -> int:
    from revisio.fhir import case_bundle

    bundle = case_bundle(case=case)
    out.write_text(bundle.model_dump_json(indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {len(bundle.entry or [])} resources of case {case.pk} to {out}")
    return EXIT_OK


def _export_demo(out: Path) -> int:
    from django.apps import apps

    if apps.ready:
        raise BadInput("--demo needs a fresh process (Django is already set up here): run it from a shell")
    with tempfile.TemporaryDirectory(prefix="revisio-demo-") as folder:
        os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
        os.environ["REVISIO_DATA_DIR"] = folder
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'demo.sqlite3'}"
        _django()
        from django.core.management import call_command
        from django.db import connections

        from revisio.demo.seed import demo_seed

        try:
            call_command("migrate", verbosity=0, interactive=False)
            return _write(demo_seed().case, out)
        finally:
            connections.close_all()


def run_import(args: argparse.Namespace) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise BadInput(f"cannot read {args.file}: {error.strerror or error}") from None
    _django()
    from django.db import DatabaseError

    from revisio.accounts.models import User
    from revisio.fhir import ImportRejected, case_from_bundle

    try:
        owner = User.objects.filter(email=args.owner.strip().lower()).first()
    except DatabaseError as error:
        raise BadInput(f"cannot read the database ({error}): run 'revisio manage migrate' first") from None
    if owner is None:
        raise BadInput(f"--owner {args.owner}: no account with that e-mail address")
    from revisio.audit.context import command_line_begin

    command_line_begin("revisio fhir import")  # the new case's first entry is the command line's
    try:
        result = case_from_bundle(bundle_json=data, owner=owner)
    except ImportRejected as rejected:
        raise BadInput(f"{args.file}: {rejected.message}") from None
    created = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in result.created.items())
    print(f"Created case {result.case.pk} for {owner.email}: {created}.")
    for skipped in result.skipped:
        print(f"  skipped {skipped.location}: {skipped.reason}")
    for note in result.notes:
        print(f"  note: {note}")
    return EXIT_OK
