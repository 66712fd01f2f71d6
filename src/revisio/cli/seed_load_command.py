"""``revisio seed-load``: synthetic cases, check-ins and agency shares for load tests (``revisio.demo.load``).

    revisio seed-load --cases 100000 --checkins-per-case 10 [--seed 1] [--agencies 10] [--batch 1000]

Adds to the database ``DATABASE_URL`` names (run ``revisio manage migrate`` first); never point it at a
database with real patients. Prints how long it took and an e-mail address and password to sign in with, as
the first agency's coordinator (with the secret for an authenticator app) and as a patient.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from revisio.cli.errors import EXIT_OK, BadInput

SETTINGS = "revisio.web.settings"
MAX_CASES = 10_000_000
MAX_CHECKINS_PER_CASE = 365  # one a day for a year: more could not all be dated on different days


def _count(low: int, high: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is outside {low:,}-{high:,}")
        return value

    return parse


def register(commands: Any) -> None:
    seed = commands.add_parser(
        "seed-load", help="add synthetic cases and check-ins for load tests (never in production)"
    )
    seed.add_argument("--cases", type=_count(1, MAX_CASES), required=True, metavar="N", help="cases to add")
    seed.add_argument(
        "--checkins-per-case",
        type=_count(0, MAX_CHECKINS_PER_CASE),
        required=True,
        metavar="M",
        help="check-ins on each case, each with its assessment",
    )
    seed.add_argument("--seed", type=_count(0, 2**31), default=1, help="same seed, same day: same data (default 1)")
    seed.add_argument(
        "--agencies",
        type=_count(1, 10_000),
        default=10,
        metavar="A",
        help="agencies cases are shared with (default 10)",
    )
    seed.add_argument(
        "--batch", type=_count(1, 100_000), default=1000, metavar="B", help="cases per bulk insert (default 1000)"
    )
    seed.set_defaults(handler=run_seed_load)


def run_seed_load(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()
    from django.db import connection
    from django.db.utils import DatabaseError

    from revisio.demo.load import LoadDataExists, load_seed

    try:
        migrated = "diary_checkin" in connection.introspection.table_names()
    except DatabaseError as error:
        raise BadInput(f"cannot reach the database: {str(error).strip()}") from None
    if not migrated:
        raise BadInput("the database is not set up: run 'revisio manage migrate' first")

    def progress(done: int, total: int) -> None:
        print(f"  {done:,} of {total:,} cases", file=sys.stderr, flush=True)

    try:
        result = load_seed(
            cases=args.cases,
            checkins_per_case=args.checkins_per_case,
            seed=args.seed,
            agencies=args.agencies,
            batch=args.batch,
            progress=progress,
        )
    except LoadDataExists as error:
        raise BadInput(f"{error}: use another --seed or a fresh database") from None
    rate = result.checkins / result.seconds if result.seconds else 0.0
    print(
        f"Added {result.cases:,} cases, {result.checkins:,} check-ins, {result.shares:,} shares with "
        f"{result.agencies:,} agencies and {result.users:,} accounts in {result.seconds:.1f} s "
        f"({rate:,.0f} check-ins/s, database {connection.vendor})."
    )
    print(f"coordinator: {result.coordinator.email} (of {result.agency_name})")
    print(f"coordinator authenticator secret: {result.coordinator.totp_secret}")
    print(f"patient: {result.patient.email}")
    print(f"password: {result.coordinator.password}")
    print("Every other seeded account has an unusable password.")
    return EXIT_OK
