"""Errors the knowledge base raises, and the nearest-ID suggestions they carry."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge base, tied to the file that holds it."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge base on disk is invalid; ``problems`` lists every fault found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"the knowledge base has {len(problems)} problem(s):\n{shown}{more}")


class UnknownIdError(LookupError):
    """An ID that names no record; ``suggestions`` holds the nearest valid IDs."""

    def __init__(self, kind: str, given: str, suggestions: list[str]) -> None:
        self.kind = kind
        self.given = given
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {kind} '{given}'{hint}")


def suggest(given: str, candidates: Iterable[str], *, limit: int = 3) -> list[str]:
    """The candidates closest in spelling to ``given``, best first."""
    return difflib.get_close_matches(given, list(candidates), n=limit, cutoff=0.5)
