"""The treating clinic and referrals as services and selectors: the rules a patient meets, and what an
agency sees of its shared cases (never another agency's, never through a revoked or photos-only share)."""

from __future__ import annotations

import pytest

from revisio.accounts.models import Agency, User
from revisio.cases.models import Case, CaseShare, ShareScope
from revisio.cases.services import case_share_create, case_share_revoke
from revisio.directory import selectors, services
from revisio.directory.models import Clinic, Referral, ReferralStatus, Translator, TreatingClinic
from revisio.web.errors import Conflict, InvalidInput


def test_marking_a_treating_clinic_replaces_the_one_before(
    case: Case, alice: User, seoul_clinic: Clinic, busan_clinic: Clinic
) -> None:
    services.treating_clinic_set(case=case, clinic=seoul_clinic, user=alice)
    services.treating_clinic_set(case=case, clinic=busan_clinic, user=alice)
    assert selectors.treating_clinic_of(case=case) == busan_clinic
    assert TreatingClinic.objects.count() == 1
    services.treating_clinic_clear(case=case)
    assert selectors.treating_clinic_of(case=case) is None


def test_a_second_opinion_is_not_asked_of_the_treating_clinic_nor_twice_at_once(
    case: Case, alice: User, seoul_clinic: Clinic, busan_clinic: Clinic
) -> None:
    services.treating_clinic_set(case=case, clinic=seoul_clinic, user=alice)
    with pytest.raises(InvalidInput, match="treating clinic"):
        services.referral_request(case=case, clinic=seoul_clinic, user=alice)
    first = services.referral_request(case=case, clinic=busan_clinic, user=alice, reason="  the hips look uneven ")
    assert first.reason == "the hips look uneven" and first.status == ReferralStatus.REQUESTED
    with pytest.raises(Conflict, match="already asked"):
        services.referral_request(case=case, clinic=busan_clinic, user=alice)
    services.referral_status_set(referral=first, status=ReferralStatus.DECLINED)
    again = services.referral_request(case=case, clinic=busan_clinic, user=alice)
    assert again.pk != first.pk, "once the clinic has answered, the patient may ask it again"


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ([ReferralStatus.ACCEPTED, ReferralStatus.CANCELLED], True),
        ([ReferralStatus.DECLINED], True),
        ([ReferralStatus.CANCELLED, ReferralStatus.ACCEPTED], False),
        ([ReferralStatus.DECLINED, ReferralStatus.ACCEPTED], False),
        ([ReferralStatus.ACCEPTED, ReferralStatus.DECLINED], False),
    ],
)
def test_a_referral_moves_only_forward(
    case: Case, alice: User, busan_clinic: Clinic, path: list[ReferralStatus], allowed: bool
) -> None:
    referral = services.referral_request(case=case, clinic=busan_clinic, user=alice)
    *before, last = path
    for status in before:
        services.referral_status_set(referral=referral, status=status)
    if allowed:
        assert services.referral_status_set(referral=referral, status=last).status == last
    else:
        with pytest.raises(InvalidInput, match="cannot become"):
            services.referral_status_set(referral=referral, status=last)
        referral.refresh_from_db()
        assert referral.status == before[-1]


def _shared_referrals(user: User) -> list[selectors.SharedReferral]:
    return [selectors.shared_referral(r) for r in selectors.referrals_for_coordinator(user=user)]


def test_a_coordinator_sees_referrals_of_cases_shared_with_her_agency_only(
    shared_case: Case, alice: User, carol: User, dan: User, busan_clinic: Clinic, bob: User
) -> None:
    referral = services.referral_request(case=shared_case, clinic=busan_clinic, user=alice, reason="uneven")
    unshared = Case.objects.create(owner=bob, title="Bob's nose")
    services.referral_request(case=unshared, clinic=busan_clinic, user=bob)

    seen = _shared_referrals(carol)
    assert [(r.referral, r.case_label, r.identified) for r in seen] == [(referral, "Hips", True)]
    assert _shared_referrals(dan) == [], "another agency's coordinator sees nothing"

    case_share_revoke(share=CaseShare.objects.get(case=shared_case, agency__isnull=False))
    assert _shared_referrals(carol) == [], "a revoked share shows nothing"


@pytest.mark.parametrize(("scope", "seen"), [(ShareScope.DEIDENTIFIED, True), (ShareScope.PHOTOS, False)])
def test_narrow_shares_show_no_names_or_no_referrals(
    case: Case, alice: User, agency: Agency, carol: User, busan_clinic: Clinic, scope: str, seen: bool
) -> None:
    case_share_create(case=case, agency=agency, scope=scope)
    services.referral_request(case=case, clinic=busan_clinic, user=alice, reason="my name is Alice")
    rows = _shared_referrals(carol)
    if not seen:
        assert rows == []
        return
    assert [(r.case_label, r.identified) for r in rows] == [(f"Shared case {case.pk.hex[:8]}", False)]


def test_only_coordinators_have_a_referral_list(alice: User, dave: User, erin: User) -> None:
    from django.http import Http404

    for user in (alice, dave, erin):
        with pytest.raises(Http404):
            selectors.referrals_for_coordinator(user=user)


def test_translators_a_coordinator_sees(
    carol: User, erin: User, alice: User, translators: dict[str, Translator]
) -> None:
    names = lambda user, **kw: {t.name for t in selectors.translators_for_user(user=user, **kw)}  # noqa: E731
    independent, own, other = (translators[k].name for k in ("independent", "own", "other"))
    assert names(carol) == {independent, own}, "her agency's and independent ones; not another agency's, not inactive"
    assert names(erin) == {independent, own, other}
    assert names(carol, language="ru") == {own}
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.translators_for_user(user=alice)


def test_clinic_search_filters(db: None, seoul_clinic: Clinic, busan_clinic: Clinic, london_clinic: Clinic) -> None:
    search = lambda **kw: {c.city for c in selectors.clinics_search(**kw)}  # noqa: E731
    assert search() == {"Seoul", "Busan", "London"}
    assert search(country="kr") == {"Seoul", "Busan"}
    assert search(city="seoul") == {"Seoul"}
    assert search(specialty="rhinoplasty") == {"Seoul", "London"}
    assert search(specialty="chin-augmentation", country="GB") == set()
    assert search(language="ru") == {"Busan"}
    assert search(language="k") == set(), "a code matches a whole list item, not part of one"
    assert search(text="코성형") == {"Seoul"}
    assert search(text="busan") == {"Busan"}


def test_a_clinic_with_referrals_is_kept(case: Case, alice: User, busan_clinic: Clinic) -> None:
    from django.db.models import ProtectedError

    services.referral_request(case=case, clinic=busan_clinic, user=alice)
    with pytest.raises(ProtectedError):
        busan_clinic.delete()
    assert Referral.objects.count() == 1
