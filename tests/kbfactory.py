"""A small, stable knowledge base written to a temporary folder, for tests of the rules themselves.

Tests of the engine's logic use this instead of the shipped knowledge base, so that editing a
real record never breaks a test of a rule. ``records()`` returns plain dicts a test may change
before ``write_kb`` puts them on disk.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from revisio.kb import KnowledgeBase, load


def _text(en: str) -> dict[str, str]:
    return {"en": en, "ko": f"(ko) {en}"}


def _cite(source: str = "src-a", locator: str = "section 1") -> list[dict[str, str]]:
    return [{"source": source, "locator": locator}]


_RECORDS: dict[str, list[dict[str, Any]]] = {
    "sources": [
        {
            "id": "src-a",
            "title": "A",
            "publisher": "P",
            "url": "https://example.org/a",
            "accessed": "2026-11-21",
            "quality": "authoritative",
        },
        {
            "id": "src-b",
            "title": "B",
            "publisher": "P",
            "url": "https://example.org/b",
            "accessed": "2026-11-21",
            "quality": "clinic",
        },
    ],
    "symptoms": [
        {
            "id": "fever",
            "label": _text("Fever"),
            "description": _text("Hot."),
            "implied_by_temperature": {"min_celsius": 38.0, "cite": _cite()},
        },
        {"id": "chest-pain", "label": _text("Chest pain"), "description": _text("Pain.")},
        {"id": "swelling", "label": _text("Swelling"), "description": _text("Puffy.")},
        {"id": "bruising", "label": _text("Bruising"), "description": _text("Marks.")},
        {"id": "numbness", "label": _text("Numbness"), "description": _text("Less feeling.")},
        {"id": "fluid-collection", "label": _text("Fluid"), "description": _text("Slosh.")},
    ],
    "concerns": [
        {"id": "asymmetry", "label": _text("Asymmetry"), "description": _text("Uneven."), "appearance": True},
        {
            "id": "implant-riding-high",
            "label": _text("Riding high"),
            "description": _text("High."),
            "appearance": True,
        },
        {"id": "lump", "label": _text("Lump"), "description": _text("A lump."), "appearance": False},
    ],
    "complications": [
        {
            "id": "clot",
            "names": _text("Clot"),
            "description": {"text": _text("A clot."), "cite": _cite()},
            "scope": "all",
            "signs": [
                {
                    "id": "chest",
                    "any_of": ["chest-pain"],
                    "level": "emergency",
                    "message": _text("Call."),
                    "cite": _cite(),
                }
            ],
        },
        {
            "id": "infection",
            "names": _text("Infection"),
            "description": {"text": _text("Germs."), "cite": _cite()},
            "scope": "all",
            "signs": [
                {
                    "id": "fever",
                    "any_of": ["fever"],
                    "level": "urgent",
                    "message": _text("Today."),
                    "cite": _cite(),
                },
                {
                    "id": "very-high",
                    "min_temperature_c": 40.0,
                    "level": "emergency",
                    "message": _text("ER."),
                    "cite": _cite("src-b"),
                },
            ],
        },
        {
            "id": "seroma",
            "names": _text("Seroma"),
            "description": {"text": _text("Fluid."), "cite": _cite()},
            "signs": [
                {
                    "id": "fluid",
                    "any_of": ["fluid-collection"],
                    "until_day": 60,
                    "level": "see-surgeon",
                    "message": _text("Drain."),
                    "cite": _cite(),
                }
            ],
        },
        {
            "id": "uneven",
            "names": _text("Uneven result"),
            "description": {"text": _text("Uneven."), "cite": _cite("src-b")},
            "appearance_concerns": ["asymmetry"],
        },
    ],
    "procedures": [
        {
            "id": "implant-op",
            "names": _text("Implant op"),
            "aliases": ["implant-alias"],
            "category": "cosmetic",
            "group": "breast",
            "summary": {"text": _text("An op."), "cite": _cite()},
            "milestones": [
                {
                    "id": "stitches",
                    "kind": "sutures-out",
                    "day": 7,
                    "label": _text("Stitches out."),
                    "cite": _cite(),
                }
            ],
            "expected": [
                {"item": "swelling", "until_day": 14, "message": _text("Swelling goes."), "cite": _cite()},
                {
                    "item": "bruising",
                    "until_day": 14,
                    "message": _text("Bruises fade."),
                    "cite": _cite("src-b"),
                },
                {"item": "implant-riding-high", "until_day": 90, "message": _text("Drops."), "cite": _cite()},
            ],
            "complications": [{"id": "seroma", "cite": _cite()}, {"id": "uneven", "cite": _cite()}],
            "final_result": {
                "from_day": 90,
                "by_day": 180,
                "message": _text("Judge at 3-6 months."),
                "cite": _cite(),
            },
            "revision": {
                "not_before_day": 180,
                "message": _text("Revise from 6 months."),
                "cite": _cite("src-b"),
            },
        },
        {
            "id": "face-op",
            "names": _text("Face op"),
            "category": "cosmetic",
            "group": "facial-contouring",
            "summary": {"text": _text("Another op."), "cite": _cite()},
            "expected": [{"item": "numbness", "until_day": 90, "message": _text("Numb."), "cite": _cite("src-b")}],
        },
    ],
    "countries": [
        {"id": "kr", "names": _text("Korea"), "emergency": {"number": "119", "cite": _cite()}},
        {
            "id": "eu",
            "names": _text("EU"),
            "members": ["de", "fr"],
            "emergency": {"number": "112", "cite": _cite()},
        },
    ],
}


def records() -> dict[str, list[dict[str, Any]]]:
    """A fresh, deep copy of the fixture records."""
    return copy.deepcopy(_RECORDS)


def write_kb(root: Path, data: dict[str, list[dict[str, Any]]] | None = None) -> Path:
    for kind, items in (data or records()).items():
        folder = root / kind
        folder.mkdir(parents=True, exist_ok=True)
        for item in items:
            (folder / f"{item['id']}.yaml").write_text(yaml.safe_dump(item, allow_unicode=True), encoding="utf-8")
    return root


def load_fixture(root: Path, data: dict[str, list[dict[str, Any]]] | None = None) -> KnowledgeBase:
    return load(write_kb(root, data))
