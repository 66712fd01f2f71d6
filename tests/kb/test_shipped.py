"""The knowledge base Revisio ships: complete, valid, and safe for every procedure."""

from __future__ import annotations

import datetime as dt

import pytest

from revisio.engine import CaseProcedure, assess
from revisio.kb import DEFAULT_ROOT, KnowledgeBase, Level
from revisio.kb.validate import validate_tree

REQUIRED_PROCEDURES = {
    "breast-augmentation": [],
    "breast-revision": [],
    "breast-reconstruction": [],
    "breast-lift": [],
    "breast-reduction": [],
    "fat-transfer-hips": ["hourglass-hip"],
    "brazilian-butt-lift": ["bbl"],
    "lower-body-lift": [],
    "liposuction": [],
    "abdominoplasty": ["tummy-tuck"],
    "gynecomastia-surgery": [],
    "occiput-augmentation": ["back-of-head-surgery"],
    "rhinoplasty": [],
    "blepharoplasty": ["eyelid-surgery", "double-eyelid"],
    "brow-lift": ["forehead-lift"],
    "facelift": [],
    "neck-lift": [],
    "chin-augmentation": [],
    "cheek-augmentation": [],
    "botulinum-toxin": ["botox"],
    "dermal-filler": ["filler"],
    "laser-resurfacing": [],
    "scar-revision": [],
    "burn-reconstruction": [],
    "hand-surgery": [],
}
REQUIRED_SYMPTOMS = [
    "fever",
    "chest-pain",
    "shortness-of-breath",
    "coughing-blood",
    "confusion",
    "calf-pain-swelling",
    "rapid-swelling-one-side",
    "heavy-bleeding",
    "spreading-redness",
    "wound-discharge",
    "wound-opening",
    "skin-darkening",
    "worsening-pain",
    "swelling",
    "bruising",
    "numbness",
    "tightness",
    "fluid-collection",
    "skin-blanching",
    "vision-change",
    "drooping-eyelid",
    "difficulty-swallowing",
]
REQUIRED_CONCERNS = [
    "asymmetry",
    "implant-hardening",
    "implant-rippling",
    "implant-displacement",
    "implant-deflation",
    "symmastia",
    "implant-riding-high",
    "contour-irregularity",
    "lump",
    "scar-widening",
    "volume-loss",
    "result-not-as-expected",
]
# Signs that are emergencies after any procedure, whatever else is reported (universal red flags).
EMERGENCIES = ["chest-pain", "shortness-of-breath", "coughing-blood", "confusion", "heavy-bleeding"]


def test_the_shipped_knowledge_base_is_valid() -> None:
    assert [str(p) for p in validate_tree(DEFAULT_ROOT)] == []


@pytest.mark.parametrize(("procedure", "aliases"), REQUIRED_PROCEDURES.items())
def test_required_procedures_and_aliases_exist(shipped_kb: KnowledgeBase, procedure: str, aliases: list) -> None:
    assert shipped_kb.procedure(procedure).id == procedure
    for alias in aliases:
        assert shipped_kb.procedure(alias).id == procedure


def test_required_vocabulary_exists(shipped_kb: KnowledgeBase) -> None:
    assert set(REQUIRED_SYMPTOMS) <= set(shipped_kb.symptoms)
    assert set(REQUIRED_CONCERNS) <= set(shipped_kb.concerns)


def test_seed_documents_are_sources(shipped_kb: KnowledgeBase) -> None:
    documents = {s.document for s in shipped_kb.sources.values() if s.document}
    assert {
        f"shared/seeds/{name}"
        for name in (
            "000_bd00ffd98c072ccb.txt",
            "001_f13cbad6b90adc58.txt",
            "002_5583acac5dd4ec2d.txt",
            "003_b2369f991cadea86.txt",
            "004_cf04f004187adb85.txt",
        )
    } <= documents


def test_emergency_numbers_for_korea_uk_us_and_eu(shipped_kb: KnowledgeBase) -> None:
    numbers = {code: shipped_kb.country(code).emergency.number for code in ("kr", "gb", "uk", "us", "de", "fr")}
    assert numbers == {"kr": "119", "gb": "999", "uk": "999", "us": "911", "de": "112", "fr": "112"}


@pytest.mark.parametrize("procedure", sorted(REQUIRED_PROCEDURES))
@pytest.mark.parametrize("day", [0, 3, 30, 400])
def test_universal_red_flags_hold_for_every_procedure(procedure: str, day: int) -> None:
    surgery = dt.date(2025, 1, 1)
    on = surgery + dt.timedelta(days=day)
    for symptom in EMERGENCIES:
        result = assess(procedures=[CaseProcedure(procedure, surgery)], on=on, symptoms=[symptom])
        assert result.level is Level.EMERGENCY, (procedure, day, symptom)
    fever = assess(procedures=[CaseProcedure(procedure, surgery)], on=on, temperature_c=38.5)
    assert fever.level.rank >= Level.URGENT.rank
    clot = assess(procedures=[CaseProcedure(procedure, surgery)], on=on, symptoms=["calf-pain-swelling"])
    assert clot.level.rank >= Level.URGENT.rank
