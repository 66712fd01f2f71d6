"""Safety properties of the engine, checked over generated inputs on the shipped knowledge base.

* Monotonic: reporting one more symptom or concern (or a higher temperature) never lowers the level.
* Red-flag floor: whenever a red-flag sign matches, the level is at least that sign's level.
* Deterministic: the same inputs, in any order, give an identical assessment.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revisio.engine import CaseProcedure, assess
from revisio.engine.compiled import compile_knowledge
from revisio.kb import Level, load

KB = load()
PROCEDURES = sorted(KB.procedures)
SYMPTOMS = sorted(KB.symptoms)
CONCERNS = sorted(KB.concerns)
SURGERY = dt.date(2025, 6, 1)

situations = st.fixed_dictionaries(
    {
        "procedures": st.lists(st.sampled_from(PROCEDURES), min_size=1, max_size=3, unique=True),
        "day": st.integers(min_value=0, max_value=1200),
        "symptoms": st.lists(st.sampled_from(SYMPTOMS), max_size=6, unique=True),
        "concerns": st.lists(st.sampled_from(CONCERNS), max_size=4, unique=True),
        "temperature_c": st.one_of(st.none(), st.floats(min_value=30, max_value=45, allow_nan=False)),
    }
)
relaxed = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(situation: dict, **override: object):
    merged = {**situation, **override}
    return assess(
        procedures=[CaseProcedure(p, SURGERY) for p in merged["procedures"]],
        on=SURGERY + dt.timedelta(days=merged["day"]),
        symptoms=merged["symptoms"],
        concerns=merged["concerns"],
        temperature_c=merged["temperature_c"],
        kb=KB,
    )


@relaxed
@given(situations, st.sampled_from(SYMPTOMS))
def test_adding_a_symptom_never_lowers_the_level(situation: dict, extra: str) -> None:
    before = run(situation).level
    after = run(situation, symptoms=[*situation["symptoms"], extra]).level
    assert after.rank >= before.rank


@relaxed
@given(situations, st.sampled_from(CONCERNS))
def test_adding_a_concern_never_lowers_the_level(situation: dict, extra: str) -> None:
    before = run(situation).level
    after = run(situation, concerns=[*situation["concerns"], extra]).level
    assert after.rank >= before.rank


@relaxed
@given(situations, st.floats(min_value=30, max_value=45, allow_nan=False))
def test_a_higher_temperature_never_lowers_the_level(situation: dict, higher: float) -> None:
    low = situation["temperature_c"]
    if low is None or higher < low:
        return
    assert run(situation, temperature_c=higher).level.rank >= run(situation).level.rank


@relaxed
@given(situations)
def test_matching_red_flags_set_a_floor(situation: dict) -> None:
    result = run(situation)
    knowledge = compile_knowledge(KB)
    reported = frozenset((*result.symptoms, *result.concerns))
    rules = list(knowledge.universal_rules.candidates(reported, situation["temperature_c"]))
    for procedure in situation["procedures"]:
        rules += knowledge.procedures[procedure].rules.candidates(reported, situation["temperature_c"])
    for rule in rules:
        if rule.rule.level.is_red_flag and rule.matches(reported, situation["temperature_c"], situation["day"]):
            assert result.level.rank >= rule.rule.level.rank


@relaxed
@given(situations, st.randoms(use_true_random=False))
def test_results_are_deterministic_whatever_the_input_order(situation: dict, random) -> None:
    shuffled = {
        key: (random.sample(value, len(value)) if isinstance(value, list) else value)
        for key, value in situation.items()
    }
    shuffled["procedures"] = situation["procedures"]  # the first procedure names the case
    assert run(situation) == run(situation) == run(shuffled)


@relaxed
@given(situations)
def test_the_level_is_the_highest_finding(situation: dict) -> None:
    result = run(situation)
    expected = max((f.level for f in result.findings), key=lambda level: level.rank, default=Level.EXPECTED)
    assert result.level is expected
    assert all(f.sources for f in result.findings)
