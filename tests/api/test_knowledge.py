"""The knowledge-base endpoints: procedures and the symptom/concern vocabulary, public, in English and Korean."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from revisio import kb
from tests.api.support import error_of

HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture
def anonymous(db: None) -> Client:
    return Client()


def test_procedures_lists_every_procedure(anonymous: Client) -> None:
    response = anonymous.get("/api/v1/procedures")
    assert response.status_code == 200
    procedures = {p["id"]: p for p in response.json()}
    assert set(procedures) == set(kb.load().procedures)
    assert procedures["fat-transfer-hips"] == {
        "id": "fat-transfer-hips",
        "name": "Fat transfer to the hips (hourglass hip)",
        "aliases": ["hourglass-hip", "hourglass-hips", "hip-fat-transfer", "hip-fat-grafting"],
        "category": "cosmetic",
        "group": "body-contouring",
        "final_result_from_day": 56,
        "final_result_by_day": 180,
        "revision_not_before_day": 56,
    }


def test_procedures_in_korean(anonymous: Client) -> None:
    english = {p["id"]: p["name"] for p in anonymous.get("/api/v1/procedures").json()}
    korean = {p["id"]: p["name"] for p in anonymous.get("/api/v1/procedures?lang=ko").json()}
    assert set(korean) == set(english)
    assert all(HANGUL.search(name) for name in korean.values()), korean
    assert korean["fat-transfer-hips"] != english["fat-transfer-hips"]


@pytest.mark.parametrize("ref", ["fat-transfer-hips", "hourglass-hip", "hip-fat-grafting"])
def test_procedure_by_id_or_alias(anonymous: Client, ref: str) -> None:
    response = anonymous.get(f"/api/v1/procedures/{ref}")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["final_result_by_day"], body["revision_not_before_day"]) == ("fat-transfer-hips", 180, 56)
    assert HANGUL.search(anonymous.get(f"/api/v1/procedures/{ref}?lang=ko").json()["name"])


@pytest.mark.parametrize(
    ("ref", "suggestion"),
    [("hourglas-hip", "hourglass-hip"), ("rhinoplsty", "rhinoplasty"), ("breast-augmentaion", "breast-augmentation")],
)
def test_unknown_procedure_suggests_the_nearest_id(anonymous: Client, ref: str, suggestion: str) -> None:
    error = error_of(anonymous.get(f"/api/v1/procedures/{ref}"), 400, "unknown-procedure", "procedure_id")
    assert ref in error["message"] and suggestion in error["message"]


def test_unknown_procedure_without_a_near_id(anonymous: Client) -> None:
    error = error_of(anonymous.get("/api/v1/procedures/zzzzzzzz"), 400, "unknown-procedure", "procedure_id")
    assert "zzzzzzzz" in error["message"]


def test_vocabulary_lists_every_symptom_and_concern(anonymous: Client) -> None:
    response = anonymous.get("/api/v1/vocabulary")
    assert response.status_code == 200
    body = response.json()
    base = kb.load()
    assert body["kb_version"] == base.version
    assert {s["id"] for s in body["symptoms"]} == set(base.symptoms)
    assert {c["id"] for c in body["concerns"]} == set(base.concerns)
    chest = next(s for s in body["symptoms"] if s["id"] == "chest-pain")
    assert chest["label"] and chest["description"] and chest["appearance"] is None
    assert all(isinstance(c["appearance"], bool) for c in body["concerns"])


def test_vocabulary_for_procedures_offers_what_the_knowledge_base_links_to_them(anonymous: Client) -> None:
    toxin = anonymous.get("/api/v1/vocabulary?procedure=botulinum-toxin").json()
    nose = anonymous.get("/api/v1/vocabulary?procedure=rhinoplasty").json()
    both = anonymous.get("/api/v1/vocabulary?procedure=rhinoplasty&procedure=botox").json()
    ids = {
        name: {s["id"] for s in body["symptoms"]} for name, body in [("toxin", toxin), ("nose", nose), ("both", both)]
    }
    assert "drooping-eyelid" in ids["toxin"] and "drooping-eyelid" not in ids["nose"]
    assert "chest-pain" in ids["toxin"] & ids["nose"]  # an emergency sign after any procedure
    assert ids["both"] == ids["toxin"] | ids["nose"]
    assert len(ids["nose"]) < len(kb.load().symptoms)


def test_vocabulary_in_korean(anonymous: Client) -> None:
    body = anonymous.get("/api/v1/vocabulary?lang=ko").json()
    assert all(HANGUL.search(item["label"]) for item in body["symptoms"] + body["concerns"])


def test_vocabulary_unknown_procedure_suggests_the_nearest_id(anonymous: Client) -> None:
    error = error_of(anonymous.get("/api/v1/vocabulary?procedure=rhinoplsty"), 400, "unknown-procedure", "procedure")
    assert "rhinoplasty" in error["message"]


@pytest.mark.parametrize(
    "url", ["/api/v1/procedures?lang=fr", "/api/v1/procedures/rhinoplasty?lang=de", "/api/v1/vocabulary?lang=EN"]
)
def test_unknown_language_is_400(anonymous: Client, url: str) -> None:
    error = error_of(anonymous.get(url), 400, "invalid", "lang")
    assert "en" in error["message"] and "ko" in error["message"]


@pytest.mark.parametrize("url", ["/api/v1/procedures", "/api/v1/procedures/rhinoplasty", "/api/v1/vocabulary"])
def test_knowledge_is_public_and_ignores_credentials(anonymous: Client, url: str) -> None:
    """Anyone may read the knowledge base; a bad token does not turn a public page into a 401."""
    assert anonymous.get(url).status_code == 200
    assert Client(HTTP_AUTHORIZATION="Bearer rv_garbage").get(url).status_code == 200
