"""Every page renders for the people who may see it, in English and Korean."""

from __future__ import annotations

import pytest
from django.urls import reverse

from revisio.accounts.models import User
from revisio.cases.models import Case
from tests.cast import client_for


@pytest.mark.parametrize("language", ["en", "ko"])
def test_public_pages(db: None, language: str) -> None:
    client = client_for(None)
    client.cookies["django_language"] = language
    for name in ("home", "accounts:login", "accounts:signup", "accounts:password_reset"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name


@pytest.mark.parametrize("language", ["en", "ko"])
def test_owner_pages(alice: User, checkin, language: str) -> None:  # type: ignore[no-untyped-def]
    case = checkin.case
    client = client_for(alice)
    client.cookies["django_language"] = language
    photo = case.photos.get()
    pages = [
        reverse("cases:list"),
        reverse("cases:create"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:edit", args=[case.pk]),
        reverse("cases:delete", args=[case.pk]),
        reverse("cases:device_add", args=[case.pk]),
        reverse("cases:document_add", args=[case.pk]),
        reverse("cases:shares", args=[case.pk]),
        reverse("diary:checkin_add", args=[case.pk]),
        reverse("diary:checkin", args=[case.pk, checkin.pk]),
        reverse("diary:photo", args=[case.pk, photo.pk]),
        reverse("diary:photo_thumbnail", args=[case.pk, photo.pk]),
        reverse("accounts:profile"),
        reverse("accounts:tokens"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url


def test_case_page_shows_level_findings_and_emergency_number(alice: User, checkin) -> None:  # type: ignore[no-untyped-def]
    response = client_for(alice).get(reverse("cases:detail", args=[checkin.case.pk]))
    html = response.content.decode()
    assert 'data-level="monitor"' in html
    assert "Too early to judge" in html
    assert "<strong>999</strong>" in html  # alice is in the UK
    assert "seed-hip-asymmetry-clinic" not in html  # sources are shown by title, not ID
    assert "Hips Asymmetric After Hips Procedures" in html


def test_someone_elses_case_is_not_found(bob: User, case: Case) -> None:
    for url in (reverse("cases:detail", args=[case.pk]), reverse("cases:edit", args=[case.pk])):
        assert client_for(bob).get(url).status_code == 404


def test_a_milestone_shared_by_two_procedures_is_shown_once(alice, surgery_date) -> None:  # type: ignore[no-untyped-def]
    from revisio.cases.services import ProcedureInput, case_create

    case = case_create(
        owner=alice,
        title="Two",
        procedures=[ProcedureInput("fat-transfer-hips", surgery_date), ProcedureInput("liposuction", surgery_date)],
    )
    html = client_for(alice).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert html.count("NHS Scotland advises no flying for 5-7 days after liposuction") == 1
