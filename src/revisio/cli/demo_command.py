"""``revisio demo``: a few realistic situations run through ``revisio check``, dated relative to today."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from revisio.cli.errors import EXIT_OK

# (what the patient says, procedure, days since surgery, extra ``revisio check`` arguments)
SITUATIONS: list[tuple[str, str, int, list[str]]] = [
    (
        "Three weeks after an hourglass hip fat transfer: still swollen, and one hip looks bigger.",
        "hourglass-hip",
        21,
        ["--symptom", "swelling", "--concern", "asymmetry"],
    ),
    (
        "Ten weeks after the same operation, the hips still look uneven.",
        "hourglass-hip",
        70,
        ["--concern", "asymmetry"],
    ),
    (
        "Four days after a Brazilian butt lift, in a hotel in Seoul: short of breath.",
        "bbl",
        4,
        ["--symptom", "shortness-of-breath", "--country", "KR"],
    ),
    (
        "A month after breast augmentation, the implants look high and flat at the bottom.",
        "breast-augmentation",
        30,
        ["--concern", "implant-riding-high"],
    ),
    (
        "The day after a filler injection, the skin near the injection is turning white.",
        "filler",
        1,
        ["--symptom", "skin-blanching"],
    ),
    (
        "Ten days after rhinoplasty, back home in London: swollen, and the thermometer says 38.4 °C.",
        "rhinoplasty",
        10,
        ["--symptom", "swelling", "--temperature", "38.4", "--country", "GB"],
    ),
]


def register(commands: Any) -> None:
    demo = commands.add_parser("demo", help="run 'revisio check' on a few realistic situations")
    demo.add_argument("--lang", choices=["en", "ko"], default="en", help="language of the reports")
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from revisio.cli import main  # imported here: revisio.cli imports this module

    today = dt.datetime.now().astimezone().date()
    for number, (story, procedure, days, extra) in enumerate(SITUATIONS, start=1):
        surgery = (today - dt.timedelta(days=days)).isoformat()
        argv = ["check", "--procedure", procedure, "--surgery-date", surgery, "--on", today.isoformat(), *extra]
        if args.lang != "en":
            argv += ["--lang", args.lang]
        print(f"{'=' * 100}\n{number}. {story}\n$ revisio {' '.join(argv)}\n")
        main(argv)
        print()
    print("Try your own: revisio check --help, and revisio procedures for the procedure IDs.")
    return EXIT_OK
