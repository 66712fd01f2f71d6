"""The one canonical text of a record: schema field order, no defaults, UTF-8, wide lines.

``revisio kb fmt`` rewrites files into this form and ``revisio kb validate`` fails on any file that
is not in it, so reviews of the knowledge base only ever show meaningful changes.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel

from revisio.kb.errors import Problem
from revisio.kb.loader import parse_records


class _Dumper(yaml.SafeDumper):
    """Block style throughout; long strings fold at 100 columns."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def normalised_text(record: BaseModel) -> str:
    data = record.model_dump(mode="json", exclude_defaults=True)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def normalise_tree(root: Path, only: set[Path] | None = None) -> tuple[list[Path], list[Problem]]:
    """Rewrite parseable records into canonical form; return the files changed and the problems.

    With ``only``, just those files are rewritten (others are still parsed, not touched).
    """
    records, problems = parse_records(root)
    changed = []
    for kind, by_id in records.items():
        for record_id, record in by_id.items():
            path = root / kind / f"{record_id}.yaml"
            if only is not None and path.resolve() not in only:
                continue
            text = normalised_text(record)
            if path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                changed.append(path)
    return changed, problems
