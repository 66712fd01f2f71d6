"""``revisio dossier``: build a case's evidence dossier from the command line.

    revisio dossier --demo --out FILE.pdf [--zip FILE.zip] [--draft FILE.pdf]
    revisio dossier --case UUID --out FILE.pdf [--zip FILE.zip] [--draft FILE.pdf]

``--demo`` builds the built-in demo case in a temporary database and data folder, set up before
Django starts (so it never touches the configured one) and removed afterwards. ``--case`` builds a
case of the configured database; the dossier is also kept there, like one built on the web.
Files are written to temporary names beside their targets and renamed only once all are ready,
so a failure leaves no partial output.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from revisio.cli.errors import EXIT_FAILED, EXIT_OK, BadInput

SETTINGS = "revisio.web.settings"


def register(commands: Any) -> None:
    dossier = commands.add_parser(
        "dossier", help="build a case's evidence dossier: a bilingual PDF, a ZIP of the originals, a K-medi draft"
    )
    source = dossier.add_mutually_exclusive_group(required=True)
    source.add_argument("--demo", action="store_true", help="the built-in demo case, in a temporary database")
    source.add_argument("--case", metavar="UUID", help="the ID of a case in the configured database")
    dossier.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help="where to write the dossier PDF")
    dossier.add_argument("--zip", type=Path, metavar="FILE.zip", help="also write the ZIP of the original files")
    dossier.add_argument("--draft", type=Path, metavar="FILE.pdf", help="also write the K-medi draft PDF")
    dossier.set_defaults(handler=run_dossier)


def _targets(args: argparse.Namespace) -> dict[str, Path]:
    """Output path by kind, checked before any work starts."""
    targets = {"pdf": args.out, "zip": args.zip, "draft": args.draft}
    chosen = {kind: path.expanduser().resolve() for kind, path in targets.items() if path is not None}
    if len(set(chosen.values())) != len(chosen):
        raise BadInput("--out, --zip and --draft must be different files")
    for path in chosen.values():
        if path.is_dir():
            raise BadInput(f"{path} is a folder: give a file name")
        if not path.parent.is_dir():
            raise BadInput(f"the folder {path.parent} does not exist")
        if not os.access(path.parent, os.W_OK):
            raise BadInput(f"the folder {path.parent} is not writable")
    return chosen


def run_dossier(args: argparse.Namespace) -> int:
    targets = _targets(args)
    if args.demo:
        with _demo_environment():
            from revisio.demo.seed import demo_seed

            return _build_and_write(demo_seed().case, targets)
    try:
        case_id = uuid.UUID(args.case)
    except ValueError:
        raise BadInput(f"--case {args.case!r} is not a case ID (a UUID like 2f1c6a54-...)") from None
    _setup_django()
    from django.db.utils import DatabaseError

    from revisio.cases.models import Case

    try:
        case = Case.objects.select_related("owner").filter(pk=case_id).first()
    except DatabaseError:
        raise BadInput("the database is not set up: run 'revisio manage migrate' first") from None
    if case is None:
        raise BadInput(f"there is no case {case_id} in the configured database")
    from revisio.audit.models import Action
    from revisio.audit.services import command_line_access_record

    command_line_access_record(case_id=case.pk, action=Action.EXPORT, command="revisio dossier")
    return _build_and_write(case, targets)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


@contextlib.contextmanager
def _demo_environment() -> Iterator[None]:
    """A throwaway data folder and SQLite database, configured before Django reads its settings."""
    from django.conf import settings

    if settings.configured:
        raise BadInput("--demo needs a fresh process: Django is already set up here")
    with tempfile.TemporaryDirectory(prefix="revisio-dossier-demo-") as folder:
        os.environ["REVISIO_DATA_DIR"] = folder
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'demo.sqlite3'}"
        _setup_django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        yield


def _build_and_write(case: Any, targets: dict[str, Path]) -> int:
    from revisio.dossier.models import DossierStatus
    from revisio.dossier.services import dossier_build, dossier_create
    from revisio.web.errors import DomainError

    try:
        created = dossier_create(case=case, user=None)
    except DomainError as error:
        raise BadInput(error.message) from None
    dossier = dossier_build(dossier_id=created.pk)
    if dossier is None or dossier.status != DossierStatus.DONE:
        print(
            f"revisio: the dossier could not be built: {dossier.error if dossier else 'it was deleted'}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    fields = {"pdf": dossier.pdf, "zip": dossier.zip_file, "draft": dossier.draft_pdf}
    _write_all({targets[kind]: fields[kind] for kind in targets})
    digests = {"pdf": dossier.pdf_sha256, "zip": dossier.zip_sha256, "draft": dossier.draft_sha256}
    for kind, path in targets.items():
        print(f"{path}  sha256 {digests[kind]}")
    return EXIT_OK


def _write_all(files: dict[Path, Any]) -> None:
    """Copy each stored file to a temporary name beside its target, then rename them all."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, stored in files.items():
            handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
            staged.append((Path(name), target))
            with os.fdopen(handle, "wb") as out, stored.open("rb") as source:
                for chunk in iter(lambda source=source: source.read(1 << 20), b""):
                    out.write(chunk)
        for temporary, target in staged:
            temporary.replace(target)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
