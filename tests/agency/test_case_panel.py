"""The agency's panel of one case: who may open it, assigning a coordinator and a translator, notes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from revisio.accounts.models import Agency, User
from revisio.agency.models import AgencyNote, CaseAssignment
from revisio.cases.models import Case, CaseShare
from revisio.directory.models import Translator
from tests.agency.support import case_url, coordinator_of, shared_case
from tests.cast import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def hips(alice: User, agency: Agency) -> Case:
    return shared_case(agency, alice, title="Hips", level="monitor")


def test_only_coordinators_of_an_agency_with_an_active_share_get_in(
    hips: Case, alice: User, bob: User, carol: User, dan: User, dave: User, erin: User
) -> None:
    from revisio.cases.services import case_share_create

    case_share_create(case=hips, clinician=dave)
    assert client_for(carol).get(case_url(hips)).status_code == 200
    for person in (alice, bob, dan, dave, erin):  # the patient too: this is the agency's working file
        assert client_for(person).get(case_url(hips)).status_code == 404, person.email
        assert client_for(person).post(case_url(hips), {"action": "note", "text": "x"}).status_code == 404
    response = client_for(None).get(case_url(hips))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(carol).get("/agency/cases/not-a-uuid/").status_code == 404
    CaseShare.objects.filter(case=hips).update(revoked_at=timezone.now())
    assert client_for(carol).get(case_url(hips)).status_code == 404, "a revoked share closes the panel"
    assert AgencyNote.objects.count() == 0


def test_assign_a_coordinator_and_a_translator(hips: Case, agency: Agency, carol: User) -> None:
    colleague = coordinator_of(agency, "colleague@example.org")
    translator = Translator.objects.create(name="Jisoo Park", languages=["ko", "en"], agency=agency)
    client = client_for(carol)
    response = client.post(
        case_url(hips, agency), {"action": "assign", "coordinator": colleague.pk, "translator": translator.pk}
    )
    assert response.status_code == 302
    assignment = CaseAssignment.objects.get(case=hips, agency=agency)
    assert (assignment.coordinator, assignment.translator) == (colleague, translator)
    page = client.get(case_url(hips, agency)).content.decode()
    assert "Jisoo Park" in page
    # Clearing both keeps one row per case and agency.
    client.post(case_url(hips, agency), {"action": "assign", "coordinator": "", "translator": ""})
    assignment.refresh_from_db()
    assert (assignment.coordinator, assignment.translator) == (None, None)
    assert CaseAssignment.objects.count() == 1


def test_a_coordinator_of_another_agency_cannot_be_assigned(hips: Case, agency: Agency, carol: User, dan: User) -> None:
    response = client_for(carol).post(case_url(hips, agency), {"action": "assign", "coordinator": dan.pk})
    assert response.status_code == 400
    assert "Only a coordinator of Seoul Care Agency can be assigned" in response.content.decode()
    assert not CaseAssignment.objects.exists()


def test_a_patient_cannot_be_assigned_as_coordinator(hips: Case, agency: Agency, alice: User, carol: User) -> None:
    response = client_for(carol).post(case_url(hips, agency), {"action": "assign", "coordinator": alice.pk})
    assert response.status_code == 400
    assert not CaseAssignment.objects.exists()


def test_another_agencys_or_an_inactive_translator_cannot_be_assigned(
    hips: Case, agency: Agency, carol: User, dan: User
) -> None:
    theirs = Translator.objects.create(name="Other's", agency=Agency.objects.get(name="Other Agency"))
    retired = Translator.objects.create(name="Retired", agency=agency, active=False)
    independent = Translator.objects.create(name="Independent")
    client = client_for(carol)
    for translator in (theirs, retired):
        response = client.post(case_url(hips, agency), {"action": "assign", "translator": translator.pk})
        assert response.status_code == 400, translator.name
        assert "not one Seoul Care Agency can call on" in response.content.decode()
    assert client.post(case_url(hips, agency), {"action": "assign", "translator": "not-a-uuid"}).status_code == 400
    assert not CaseAssignment.objects.exists()
    assert client.post(case_url(hips, agency), {"action": "assign", "translator": independent.pk}).status_code == 302


def test_a_post_that_names_no_form_is_a_400(hips: Case, carol: User) -> None:
    response = client_for(carol).post(case_url(hips), {})
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()


def test_notes_are_seen_by_the_agencys_coordinators_only(
    hips: Case, agency: Agency, alice: User, carol: User, dan: User
) -> None:
    other = Agency.objects.get(name="Other Agency")
    from revisio.cases.services import case_share_create

    case_share_create(case=hips, agency=other)
    colleague = coordinator_of(agency, "colleague@example.org")
    response = client_for(carol).post(case_url(hips, agency), {"action": "note", "text": "Called her; flight on 3 May"})
    assert response.status_code == 302
    note = AgencyNote.objects.get()
    assert (note.agency, note.author, note.text) == (agency, carol, "Called her; flight on 3 May")
    assert "flight on 3 May" in client_for(colleague).get(case_url(hips, agency)).content.decode()
    # Another agency with a share of the same case sees its own (empty) notes, and the patient's case page none.
    assert "flight on 3 May" not in client_for(dan).get(case_url(hips, other)).content.decode()
    assert "flight on 3 May" not in client_for(alice).get(f"/cases/{hips.pk}/").content.decode()


def test_an_empty_or_overlong_note_says_what_to_fix(hips: Case, carol: User) -> None:
    client = client_for(carol)
    empty = client.post(case_url(hips), {"action": "note", "text": "   "})
    assert empty.status_code == 400
    long = client.post(case_url(hips), {"action": "note", "text": "x" * 5001})
    assert long.status_code == 400 and "5000" in long.content.decode()
    assert not AgencyNote.objects.exists()


def test_a_deidentified_share_shows_no_name_on_the_panel(agency: Agency, carol: User) -> None:
    from tests.cast import make_user

    patient = make_user("hana.kim@example.org")
    case = shared_case(agency, patient, title="Hana's hips", scope="deidentified")
    html = client_for(carol).get(case_url(case)).content.decode()
    assert "Hana" not in html and "hana.kim" not in html
