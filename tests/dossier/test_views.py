"""The dossier page and downloads: the owner builds, people the case is shared with download,
everyone else gets "not found" for every URL."""

from __future__ import annotations

import pytest
from django.urls import reverse

from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.dossier.jobs import dossier_build
from revisio.dossier.models import Dossier, DossierStatus
from tests.cast import client_for
from tests.dossier.support import sha256


@pytest.fixture
def built(shared_case: Case, alice: User) -> Dossier:
    response = client_for(alice).post(reverse("dossier:create", args=[shared_case.pk]))
    assert response.status_code == 302
    dossier = Dossier.objects.get(case=shared_case)
    dossier_build(str(dossier.pk))  # jobs run inline after commit; tests turn them off and run it here
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DONE, dossier.error
    return dossier


def urls(dossier: Dossier) -> list[str]:
    case_id = dossier.case_id
    return [reverse("dossier:list", args=[case_id])] + [
        reverse("dossier:download", args=[case_id, dossier.pk, kind]) for kind in ("pdf", "zip", "draft")
    ]


def test_the_owner_asks_for_a_dossier_and_the_page_refreshes_while_it_builds(case: Case, alice: User) -> None:
    client = client_for(alice)
    page = client.get(reverse("dossier:list", args=[case.pk])).content.decode()
    assert 'data-testid="build-dossier"' in page and 'http-equiv="refresh"' not in page
    response = client.post(reverse("dossier:create", args=[case.pk]), follow=True)
    dossier = Dossier.objects.get(case=case)
    assert (dossier.status, dossier.language, dossier.second_language) == (DossierStatus.QUEUED, "en", "ko")
    html = response.content.decode()
    assert '<meta http-equiv="refresh"' in html and 'data-status="queued"' in html
    assert html.index('<meta http-equiv="refresh"') < html.index("</head>")
    assert client.get(reverse("dossier:download", args=[case.pk, dossier.pk, "pdf"])).status_code == 404


def test_the_case_page_links_to_the_dossier_page_in_both_languages(case: Case, alice: User) -> None:
    client = client_for(alice)
    for language in ("en", "ko"):
        client.cookies["django_language"] = language
        html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert reverse("dossier:list", args=[case.pk]) in html
        assert client.get(reverse("dossier:list", args=[case.pk])).status_code == 200


def test_downloads_are_attachments_with_the_hash_the_page_shows(built: Dossier, alice: User) -> None:
    client = client_for(alice)
    page = client.get(reverse("dossier:list", args=[built.case_id])).content.decode()
    assert built.pdf_sha256 in page and built.zip_sha256 in page and 'http-equiv="refresh"' not in page
    for kind, digest, content_type in (
        ("pdf", built.pdf_sha256, "application/pdf"),
        ("zip", built.zip_sha256, "application/zip"),
        ("draft", built.draft_sha256, "application/pdf"),
    ):
        response = client.get(reverse("dossier:download", args=[built.case_id, built.pk, kind]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Content-Type"] == content_type and "no-store" in response["Cache-Control"]
        assert sha256(b"".join(response.streaming_content)) == digest


def test_people_the_case_is_shared_with_download_but_cannot_build(built: Dossier, carol: User, dave: User) -> None:
    for reader in (carol, dave):
        client = client_for(reader)
        for url in urls(built):
            assert client.get(url).status_code == 200, url
        page = client.get(reverse("dossier:list", args=[built.case_id])).content.decode()
        assert 'data-testid="build-dossier"' not in page
        assert client.post(reverse("dossier:create", args=[built.case_id])).status_code == 404
    assert Dossier.objects.filter(case_id=built.case_id).count() == 1


def test_another_patient_gets_not_found_everywhere(built: Dossier, bob: User, dan: User) -> None:
    for stranger in (bob, dan):  # another patient; a coordinator of an agency it is not shared with
        client = client_for(stranger)
        for url in urls(built):
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("dossier:create", args=[built.case_id])).status_code == 404
    assert client_for(None).get(urls(built)[1]).status_code == 302  # to the sign-in page


def test_a_dossier_of_another_case_or_an_unknown_file_is_not_found(built: Dossier, alice: User, bob: User) -> None:
    from revisio.cases.services import ProcedureInput, case_create

    other = case_create(owner=alice, title="Other", procedures=[ProcedureInput("rhinoplasty", built.created_at.date())])
    client = client_for(alice)
    assert client.get(reverse("dossier:download", args=[other.pk, built.pk, "pdf"])).status_code == 404
    assert client.get(reverse("dossier:download", args=[built.case_id, built.pk, "manifest"])).status_code == 404
    assert client.get(reverse("dossier:download", args=[built.case_id, "not-a-uuid", "pdf"])).status_code == 404
    assert client.get(reverse("dossier:create", args=[built.case_id])).status_code == 405


@pytest.mark.django_db(transaction=True)  # files are deleted once the deletion commits
def test_deleting_the_case_deletes_its_dossier_files(built: Dossier, alice: User) -> None:
    from revisio.cases.services import case_delete

    stored = [(field.storage, field.name) for field in (built.pdf, built.zip_file, built.draft_pdf)]
    assert all(storage.exists(name) for storage, name in stored)

    case_delete(case=built.case)

    assert not any(storage.exists(name) for storage, name in stored)
