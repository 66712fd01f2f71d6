"""``revisio procedures`` and ``revisio kb show|validate|fmt``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from revisio import kb
from revisio.cli.errors import EXIT_FAILED, EXIT_OK, BadInput
from revisio.kb.models import Citation, Quality
from revisio.kb.normalise import normalise_tree, normalised_text
from revisio.kb.references import citations, cited_statements
from revisio.kb.validate import validate_tree


def register(commands: Any) -> None:
    procedures = commands.add_parser("procedures", help="list the procedures the knowledge base knows")
    procedures.add_argument("--json", action="store_true", help="print JSON instead of a table")
    procedures.add_argument("--lang", choices=["en", "ko"], default="en", help="language of the names")
    procedures.set_defaults(handler=list_procedures)

    kb_parser = commands.add_parser("kb", help="inspect, validate and normalise the knowledge base")
    kb_commands = kb_parser.add_subparsers(dest="kb_command", required=True, parser_class=type(kb_parser))
    show = kb_commands.add_parser("show", help="print one record (procedure, symptom, source, ...)")
    show.add_argument("id", help="a record ID, or a procedure alias")
    show.set_defaults(handler=show_record)
    validate = kb_commands.add_parser("validate", help="check schema, references, sources and normal form")
    validate.add_argument("--root", type=Path, default=kb.DEFAULT_ROOT, help=argparse.SUPPRESS)
    validate.set_defaults(handler=validate_records)
    stats = kb_commands.add_parser("stats", help="count records and the quality of the sources they cite")
    stats.add_argument("--json", action="store_true", help="print JSON instead of a table")
    stats.set_defaults(handler=record_stats)
    fmt = kb_commands.add_parser("fmt", help="rewrite record files into their normal form")
    fmt.add_argument("files", nargs="*", type=Path, help="only these record files (default: all)")
    fmt.add_argument("--root", type=Path, default=kb.DEFAULT_ROOT, help=argparse.SUPPRESS)
    fmt.set_defaults(handler=format_records)


def list_procedures(args: argparse.Namespace) -> int:
    base = kb.load()
    rows = [
        {
            "id": p.id,
            "name": p.names.get(args.lang),
            "aliases": list(p.aliases),
            "category": p.category.value,
            "group": p.group.value,
        }
        for p in base.procedures.values()
    ]
    if args.json:
        print(json.dumps({"kb_version": base.version, "procedures": rows}, ensure_ascii=False, indent=2))
        return EXIT_OK
    width = max(len(row["id"]) for row in rows)
    for row in rows:
        aliases = f"  (also: {', '.join(row['aliases'])})" if row["aliases"] else ""
        print(f"{row['id']:<{width}}  {row['category']:<14} {row['group']:<19} {row['name']}{aliases}")
    return EXIT_OK


#: Record kinds by their attribute on the knowledge base, in the order commands list them.
KINDS = ("procedures", "complications", "symptoms", "concerns", "sources", "countries", "complaint_bodies", "steps")


def show_record(args: argparse.Namespace) -> int:
    base = kb.load()
    wanted = args.id.strip().lower()
    for kind in KINDS:
        records = getattr(base, kind)
        if wanted in records:
            sys.stdout.write(normalised_text(records[wanted]))
            return EXIT_OK
    if wanted in base.aliases:
        sys.stdout.write(normalised_text(base.procedures[base.aliases[wanted]]))
        return EXIT_OK
    every_id = [key for kind in KINDS for key in getattr(base, kind)]
    suggestions = kb.errors.suggest(wanted, [*every_id, *base.aliases])
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
    raise BadInput(f"no knowledge-base record '{args.id}'{hint}")


def validate_records(args: argparse.Namespace) -> int:
    problems = validate_tree(args.root)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"knowledge base: {len(problems)} problem(s)", file=sys.stderr)
        return EXIT_FAILED
    base = kb.load(args.root)
    counts = ", ".join(f"{len(getattr(base, k))} {k.replace('_', ' ')}" for k in KINDS)
    print(f"knowledge base {base.version} is valid: {counts}")
    return EXIT_OK


def record_stats(args: argparse.Namespace) -> int:
    """How well sourced the knowledge base is: by record and by individual cited statement.

    A record counts as "authoritative" when any of its statements cites an authoritative source;
    the statement counts show how much of the clinical detail rests on clinic or low-quality pages.
    """
    base = kb.load()
    table = {}
    for kind in ("procedures", "complications", "countries", "complaint_bodies", "steps"):
        counts = dict.fromkeys(("records", "authoritative", "clinic_only", "low_only"), 0)
        claims = dict.fromkeys(("statements", "authoritative", "clinic_only", "low_only"), 0)
        for record in getattr(base, kind).values():
            counts["records"] += 1
            counts[_best_quality(base, citations(record))] += 1
            for statement in cited_statements(record):
                claims["statements"] += 1
                claims[_best_quality(base, statement.cite)] += 1
        table[kind] = {"records": counts, "statements": claims}
    by_quality = {q.value: sum(1 for s in base.sources.values() if s.quality is q) for q in Quality}
    if args.json:
        print(json.dumps({"kb_version": base.version, "kinds": table, "sources": by_quality}, indent=2))
        return EXIT_OK
    print(f"knowledge base {base.version}")
    print(f"{'':<28} {'total':>6} {'cite authoritative':>19} {'clinic only':>12} {'low only':>9}")
    for kind, both in table.items():
        for unit, counts in both.items():
            values = list(counts.values())
            print(f"{kind + ' (' + unit + ')':<28} {values[0]:>6} {values[1]:>19} {values[2]:>12} {values[3]:>9}")
    print("sources: " + ", ".join(f"{n} {q}" for q, n in by_quality.items()))
    return EXIT_OK


def _best_quality(base: kb.KnowledgeBase, cited: Iterable[Citation]) -> str:
    qualities = {base.sources[c.source].quality for c in cited}
    if Quality.AUTHORITATIVE in qualities:
        return "authoritative"
    return "clinic_only" if Quality.CLINIC in qualities else "low_only"


def format_records(args: argparse.Namespace) -> int:
    only = {path.resolve() for path in args.files} if args.files else None
    changed, problems = normalise_tree(args.root, only)
    for path in changed:
        print(f"normalised {path.relative_to(args.root)}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return EXIT_FAILED if problems else EXIT_OK
