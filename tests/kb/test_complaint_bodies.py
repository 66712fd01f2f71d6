"""The complaint bodies Revisio ships: the facts patients act on (fees, numbers, deadlines) as sourced."""

from __future__ import annotations

import pytest

from revisio.kb import KnowledgeBase, load
from revisio.kb.models import BodyKind, Channel, ComplaintBody


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load()


def _body(kb: KnowledgeBase, body_id: str) -> ComplaintBody:
    assert body_id in kb.complaint_bodies, f"no complaint body '{body_id}'"
    return kb.complaint_bodies[body_id]


def _phones(body: ComplaintBody) -> set[str]:
    return {route.value for route in body.how_to_apply if route.channel is Channel.PHONE}


# K-medi's rule (fee page): KRW 22,000 up to 5 million; + 20 won per 10,000 won above 5 million;
# + 10 won per 10,000 won above 50 million. Expected values below are worked by hand from that rule.
@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        (0, 22_000),
        (1_000_000, 22_000),  # K-medi's example table: 1 million -> 22,000
        (5_000_000, 22_000),  # band edge: nothing above 5 million yet
        (5_010_000, 22_020),  # first 10,000 won above 5 million adds 20 won
        (5_019_999, 22_020),  # an incomplete 10,000 won adds nothing
        (10_000_000, 32_000),  # 22,000 + 500 x 20 (K-medi's example: 32,000)
        (30_000_000, 72_000),  # the worked example: 22,000 + 2,500 x 20
        (50_000_000, 112_000),  # band edge: 22,000 + 4,500 x 20 (K-medi's example: 112,000)
        (50_010_000, 112_010),  # first 10,000 won above 50 million adds 10 won, not 30
        (100_000_000, 162_000),  # 112,000 + 5,000 x 10 (K-medi's example: 162,000)
        (300_000_000, 362_000),  # 112,000 + 25,000 x 10 (K-medi's example: 362,000)
        (1_000_000_000, 1_062_000),  # a large claim: 112,000 + 95,000 x 10
    ],
)
def test_k_medi_fee_follows_the_sourced_rule(kb: KnowledgeBase, claim: int, expected: int) -> None:
    schedule = _body(kb, "k-medi").fee_schedule
    assert schedule is not None
    assert schedule.currency == "KRW"
    assert schedule.fee(claim) == expected


def test_k_medi_fee_rejects_a_negative_claim(kb: KnowledgeBase) -> None:
    schedule = _body(kb, "k-medi").fee_schedule
    assert schedule is not None
    with pytest.raises(ValueError, match="negative"):
        schedule.fee(-1)


def test_the_korean_bodies_exist_with_their_phone_numbers(kb: KnowledgeBase) -> None:
    assert "1372" in _phones(_body(kb, "korea-consumer-agency"))
    assert "+82-43-880-5400" in _phones(_body(kb, "korea-consumer-agency"))
    assert "1577-7129" in _phones(_body(kb, "khidi-medical-korea-support-center"))
    k_medi = _body(kb, "k-medi")
    assert {"+82-2-1670-2545", "+82-2-6210-0080"} <= _phones(k_medi)
    assert any(r.channel is Channel.EMAIL and r.value == "forcc@k-medi.or.kr" for r in k_medi.how_to_apply)
    assert any(r.channel is Channel.FAX and r.value == "+82-2-6210-0099" for r in k_medi.how_to_apply)
    for body_id in ("k-medi", "korea-consumer-agency", "khidi-medical-korea-support-center"):
        assert _body(kb, body_id).country == "kr"


def test_k_medi_needs_the_clinic_within_14_days_and_decides_within_90_to_120_days(kb: KnowledgeBase) -> None:
    k_medi = _body(kb, "k-medi")
    assert k_medi.kind is BodyKind.MEDIATION
    assert k_medi.consent is not None
    assert k_medi.consent.clinic_must_agree is True
    assert k_medi.consent.response_days == 14
    assert k_medi.duration is not None
    assert (k_medi.duration.typical_days, k_medi.duration.max_days) == (90, 120)
    assert k_medi.binding is not None and k_medi.binding.binding is False
    assert k_medi.limitation is not None
    assert (k_medi.limitation.years_from_knowledge, k_medi.limitation.years_from_act) == (3, 10)


def test_the_consumer_agency_does_not_need_the_clinic_and_is_not_binding(kb: KnowledgeBase) -> None:
    kca = _body(kb, "korea-consumer-agency")
    assert kca.consent is not None and kca.consent.clinic_must_agree is False
    assert kca.binding is not None and kca.binding.binding is False
    assert kca.fee_schedule is None


def test_every_body_cites_a_known_source_for_its_summary(kb: KnowledgeBase) -> None:
    assert kb.complaint_bodies, "no complaint bodies shipped"
    for body in kb.complaint_bodies.values():
        assert body.summary.cite, body.id
        for citation in body.summary.cite:
            assert citation.source in kb.sources, (body.id, citation.source)
            assert citation.locator.strip(), body.id


def test_every_contact_route_is_sourced(kb: KnowledgeBase) -> None:
    for body in kb.complaint_bodies.values():
        for route in body.how_to_apply:
            assert route.cite, (body.id, route.value)


def test_device_reporting_bodies_are_marked_for_implants(kb: KnowledgeBase) -> None:
    reporting = [b for b in kb.complaint_bodies.values() if b.kind is BodyKind.DEVICE_REPORTING]
    assert {b.id for b in reporting} >= {"fda-medwatch", "mhra-yellow-card"}
    assert all(b.for_implants for b in reporting)


def test_every_body_belongs_to_a_known_country(kb: KnowledgeBase) -> None:
    known = set(kb.countries) | {m for c in kb.countries.values() for m in c.members}
    for body in kb.complaint_bodies.values():
        assert body.country in known, (body.id, body.country)
