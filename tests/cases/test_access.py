"""Deny by default: who reaches a case through ``case_get_for_user``, for reading and for writing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.cases.selectors import case_get_for_user, case_list_for_user
from revisio.cases.services import case_share_create, case_share_revoke


def can_read(user: User, case: Case) -> bool:
    try:
        case_get_for_user(user=user, case_id=case.pk)
    except Http404:
        return False
    return True


def can_write(user: User, case: Case) -> bool:
    try:
        case_get_for_user(user=user, case_id=case.pk, write=True)
    except Http404:
        return False
    return True


def test_roles_against_a_shared_case(shared_case: Case, alice, bob, carol, dan, dave, erin) -> None:
    expected = {
        alice: (True, True),
        bob: (False, False),
        carol: (True, False),
        dan: (False, False),
        dave: (True, False),
        erin: (False, False),
    }
    for user, (read, write) in expected.items():
        assert (can_read(user, shared_case), can_write(user, shared_case)) == (read, write), user.email


def test_unshared_case_is_only_its_owners(case: Case, alice, carol, dave) -> None:
    assert can_read(alice, case)
    assert not can_read(carol, case)
    assert not can_read(dave, case)


def test_revoked_and_expired_shares_stop_access_at_once(case: Case, agency, carol, dave) -> None:
    share = case_share_create(case=case, agency=agency)
    assert can_read(carol, case)
    case_share_revoke(share=share)
    assert not can_read(carol, case)
    expiring = case_share_create(case=case, clinician=dave, expires_at=timezone.now() + dt.timedelta(hours=1))
    assert can_read(dave, case)
    type(expiring).objects.filter(pk=expiring.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert not can_read(dave, case)


def test_inactive_users_and_anonymous_see_nothing(case: Case, alice) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not can_read(AnonymousUser(), case)
    alice.is_active = False
    alice.save()
    assert not can_read(alice, case)


@pytest.mark.parametrize("bad", ["not-a-uuid", "", "../../etc/passwd", "00000000-0000-0000-0000-000000000000"])
def test_malformed_or_unknown_ids_are_not_found(alice, case: Case, bad: str) -> None:
    with pytest.raises(Http404):
        case_get_for_user(user=alice, case_id=bad)


def test_case_list_shows_each_user_their_own_and_shared_cases(shared_case: Case, alice, bob, carol, dan) -> None:
    assert list(case_list_for_user(user=alice)) == [shared_case]
    assert list(case_list_for_user(user=carol)) == [shared_case]
    assert list(case_list_for_user(user=bob)) == []
    assert list(case_list_for_user(user=dan)) == []


def test_a_case_shared_twice_with_the_same_agency_is_listed_once(case: Case, agency, carol) -> None:
    case_share_create(case=case, agency=agency)
    case_share_create(case=case, agency=agency)
    assert list(case_list_for_user(user=carol)) == [case]
