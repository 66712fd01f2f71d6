"""Whole-tree validation for ``revisio kb validate`` and CI: schema, references, normal form."""

from __future__ import annotations

from pathlib import Path

from revisio.kb.errors import Problem
from revisio.kb.loader import build, parse_records
from revisio.kb.normalise import normalised_text
from revisio.kb.references import check_references, duplicate_sources, unused_sources


def validate_tree(root: Path) -> list[Problem]:
    """Every problem in the knowledge base at ``root``; an empty list means it is valid."""
    records, problems = parse_records(root)
    base = build(root, records)
    problems.extend(check_references(base))
    problems.extend(unused_sources(base))
    problems.extend(duplicate_sources(base))
    for kind, by_id in records.items():
        for record_id, record in by_id.items():
            path = root / kind / f"{record_id}.yaml"
            if path.read_text(encoding="utf-8") != normalised_text(record):
                problems.append(Problem(f"{kind}/{record_id}.yaml", "not normalised: run 'revisio kb fmt'"))
    return problems
