"""``revisio audit``: check the audit trail's hash chains, and print their heads to keep elsewhere.

    revisio audit verify [--chain CHAIN] [--anchors FILE]
    revisio audit anchor

``verify`` exits 0 with a count when every chain (or CHAIN) still hashes as written (and extends the heads
in FILE, a former ``anchor`` output), 1 naming the first broken entry and why, 2 for bad input.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from revisio.cli.errors import EXIT_FAILED, EXIT_OK, BadInput

SETTINGS = "revisio.web.settings"


def register(commands: Any) -> None:
    audit = commands.add_parser("audit", help="verify the audit trail's hash chains, or print their heads")
    actions = audit.add_subparsers(dest="audit_command", required=True, parser_class=type(audit))
    verify = actions.add_parser("verify", help="recompute every chain; exit 1 at the first broken entry")
    verify.add_argument("--chain", metavar="CHAIN", help="only this chain: system, case:<uuid> or user:<id>")
    verify.add_argument(
        "--anchors", type=Path, metavar="FILE", help="also check the chains still extend these heads ('anchor' output)"
    )
    verify.set_defaults(handler=run_verify)
    anchor = actions.add_parser("anchor", help="print each chain's head (sequence and hash) to keep elsewhere")
    anchor.set_defaults(handler=run_anchor)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def run_verify(args: argparse.Namespace) -> int:
    from revisio.audit.chain import is_chain_name

    if args.chain is not None and not is_chain_name(args.chain):
        raise BadInput(f"--chain {args.chain!r} is not a chain: use system, case:<uuid> or user:<id>")
    lines = None
    if args.anchors is not None:
        try:
            lines = args.anchors.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise BadInput(f"cannot read --anchors {args.anchors}: {error}") from None
    _django()
    from django.db import DatabaseError

    from revisio.audit.models import AuditChainHead, AuditEntry
    from revisio.audit.verify import BadAnchor, anchors_check, verify

    try:
        if args.chain is not None and not (
            AuditChainHead.objects.filter(pk=args.chain).exists()
            or AuditEntry.objects.filter(chain=args.chain).exists()
        ):
            raise BadInput(f"--chain {args.chain}: no such chain in this database")
        report = verify(chain=args.chain)
        problem = report.problem
        if problem is None and lines is not None:
            problem = anchors_check(lines)
    except BadAnchor as error:
        raise BadInput(f"--anchors {args.anchors}: {error}") from None
    except DatabaseError as error:
        raise BadInput(f"cannot read the database ({error}): run 'revisio manage migrate' first") from None
    if problem is not None:
        print(f"BROKEN: {problem}")
        return EXIT_FAILED
    anchored = " and the anchored heads" if lines is not None else ""
    print(
        f"OK: {report.entries} entries in {report.chains} chains verified{anchored} "
        f"({report.redacted} redacted, checked by their links only)"
    )
    return EXIT_OK


def run_anchor(args: argparse.Namespace) -> int:
    _django()
    from django.db import DatabaseError
    from django.utils import timezone

    from revisio.audit.verify import anchors

    try:
        print(f"# revisio audit anchor, {timezone.now().isoformat(timespec='seconds')}: <chain> <sequence> <sha256>")
        for line in anchors():
            print(line)
    except DatabaseError as error:
        raise BadInput(f"cannot read the database ({error}): run 'revisio manage migrate' first") from None
    return EXIT_OK
