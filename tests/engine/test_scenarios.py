"""Realistic situations per procedure, with the level sources say they warrant.

Each row of ``tests/engine/scenarios/*.yaml`` names the sources behind its expected level
(``because``); the test checks both the level and that those sources are cited by the findings,
so a scenario cannot pass for the wrong reason.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from revisio.engine import CaseProcedure, assess
from revisio.kb import Level, load

SCENARIO_DIR = Path(__file__).parent / "scenarios"
SURGERY = dt.date(2025, 6, 1)


def _scenarios() -> list:
    rows = []
    for path in sorted(SCENARIO_DIR.glob("*.yaml")):
        for index, row in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
            rows.append(pytest.param(row, id=f"{path.stem}-{index}-{row['procedure']}-day{row['day']}"))
    return rows


SCENARIOS = _scenarios()


def test_there_are_scenarios_for_every_procedure() -> None:
    covered = {load().procedure(param.values[0]["procedure"]).id for param in SCENARIOS}
    assert covered == set(load().procedures)


@pytest.mark.parametrize("row", SCENARIOS)
def test_scenario(row: dict) -> None:
    result = assess(
        procedures=[CaseProcedure(row["procedure"], SURGERY)],
        on=SURGERY + dt.timedelta(days=row["day"]),
        symptoms=row.get("symptoms") or [],
        concerns=row.get("concerns") or [],
        temperature_c=row.get("temperature_c"),
    )
    shown = [(f.id, f.level.value) for f in result.findings]
    assert result.level is Level(row["level"]), f"{row['name']}: {shown}"
    cited = {source for finding in result.findings for source in finding.sources}
    missing = set(row["because"]) - cited
    assert not missing, f"{row['name']}: sources {sorted(missing)} not cited by {shown}"
