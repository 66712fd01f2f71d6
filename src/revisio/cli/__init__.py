"""The ``revisio`` command line. Exit codes: 0 success, 1 failed check, 2 bad input."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from revisio.cli import (
    audit_command,
    backup_command,
    check_command,
    demo_command,
    directory_command,
    dossier_command,
    fhir_command,
    kb_commands,
    measure_command,
    rights_command,
    seed_load_command,
    web_commands,
)
from revisio.cli.errors import EXIT_BAD_INPUT, BadInput


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line with the fix, not the whole usage text."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="revisio",
        description="Recovery check, knowledge base and evidence tools for people after cosmetic or "
        "reconstructive surgery. Revisio informs; it does not diagnose.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check_command.register(commands)
    kb_commands.register(commands)
    demo_command.register(commands)
    web_commands.register(commands)
    measure_command.register(commands)
    dossier_command.register(commands)
    fhir_command.register(commands)
    audit_command.register(commands)
    rights_command.register(commands)
    backup_command.register(commands)
    directory_command.register(commands)
    seed_load_command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.handler(args)
    except BadInput as error:
        print(f"revisio: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. `revisio procedures | head`
        return 0
    except Exception as error:
        # Django's ImproperlyConfigured (e.g. production without a secret key) is the operator's to fix:
        # its message, not a traceback. Imported only here so the pure commands never load Django.
        from django.core.exceptions import ImproperlyConfigured

        if not isinstance(error, ImproperlyConfigured):
            raise
        print(f"revisio: the configuration is incomplete: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return result
