"""Sharing scopes, invitation links and second opinions.

A photos-only share reaches the photos and their measurements and nothing else; a de-identified share
reaches the course of recovery and the photos, without the patient's name, contacts, notes, documents or
messages, and with faces blurred; a full share reaches everything. Each is checked on pages and the API.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import numpy as np
import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from revisio.accounts.models import Agency, User
from revisio.cases.models import Case, CaseShare, SecondOpinion, ShareInvite
from revisio.cases.selectors import case_get_for_user
from revisio.cases.services import case_share_create, device_add, document_add
from revisio.cases.sharing import invite_create
from revisio.diary.services import PhotoInput, checkin_add
from tests.cast import client_for, jpeg
from tests.landmarks.photos import GRACE_HOPPER

API = "/api/v1"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def full_case(case: Case, alice: User) -> Case:
    """alice's case with a note-bearing check-in, a photo of a face, an implant with a serial number
    and a document."""
    checkin_add(
        case=case,
        user=alice,
        date=timezone.localdate(),
        symptoms=["swelling"],
        notes="My sister Jane drove me home.",
        photos=[PhotoInput(GRACE_HOPPER.read_bytes(), "front", "face")],
    )
    device_add(case=case, device_type="buttock-implant", lot_number="LOT-7", serial_number="SN-123")
    document_add(case=case, user=alice, data=PDF, original_name="consent.pdf", document_type="consent", title="C")
    return case


def share(case: Case, *, scope: str, agency: Agency | None = None, clinician: User | None = None) -> CaseShare:
    return case_share_create(case=case, agency=agency, clinician=clinician, scope=scope)


def status(user: User, url: str) -> int:
    return client_for(user).get(url).status_code


def urls(case: Case) -> dict[str, str]:
    photo = case.photos.get()
    checkin = case.checkins.get()
    document = case.documents.get()
    return {
        "case page": reverse("cases:detail", args=[case.pk]),
        "check-in": reverse("diary:checkin", args=[case.pk, checkin.pk]),
        "plan": reverse("escalation:plan", args=[case.pk]),
        "photos page": reverse("diary:photos", args=[case.pk]),
        "photo": reverse("diary:photo", args=[case.pk, photo.pk]),
        "thumbnail": reverse("diary:photo_thumbnail", args=[case.pk, photo.pk]),
        "measure page": reverse("diary:photo_measure", args=[case.pk, photo.pk]),
        "document": reverse("cases:document_download", args=[case.pk, document.pk]),
        "messages": reverse("escalation:log", args=[case.pk]),
        "write": reverse("escalation:write", args=[case.pk]),
        "applications": reverse("escalation:applications", args=[case.pk]),
        "dossiers": reverse("dossier:list", args=[case.pk]),
        "api case": f"{API}/cases/{case.pk}",
        "api check-ins": f"{API}/cases/{case.pk}/checkins",
        "api devices": f"{API}/cases/{case.pk}/devices",
        "api photos": f"{API}/cases/{case.pk}/photos",
        "api photo image": f"{API}/cases/{case.pk}/photos/{photo.pk}/image",
        "api measurements": f"{API}/cases/{case.pk}/photos/{photo.pk}/measurements",
        "api documents": f"{API}/cases/{case.pk}/documents",
        "api plan": f"{API}/cases/{case.pk}/plan",
        "api communications": f"{API}/cases/{case.pk}/communications",
        "api fhir": f"{API}/cases/{case.pk}/fhir",
        "api dossiers": f"{API}/cases/{case.pk}/dossiers",
    }


PHOTO_PARTS = {"photos page", "photo", "thumbnail", "measure page", "api photos", "api photo image", "api measurements"}
CLINICAL_PARTS = {"case page", "check-in", "plan", "api case", "api check-ins", "api devices", "api plan"}


@pytest.mark.parametrize(
    ("scope", "reachable"),
    [
        ("full", None),  # everything
        ("photos", PHOTO_PARTS),
        ("deidentified", PHOTO_PARTS | CLINICAL_PARTS),
    ],
)
def test_each_scope_reaches_its_parts_and_nothing_else(
    full_case: Case, dave: User, scope: str, reachable: set[str] | None
) -> None:
    share(full_case, scope=scope, clinician=dave)
    for name, url in urls(full_case).items():
        expected = 200 if reachable is None or name in reachable else 404
        assert status(dave, url) == expected, (scope, name)


def test_the_narrowest_scope_is_the_default_for_a_view_that_names_no_part(full_case: Case, dave: User) -> None:
    share(full_case, scope="deidentified", clinician=dave)
    with pytest.raises(Http404):
        case_get_for_user(user=dave, case_id=full_case.pk)
    assert case_get_for_user(user=dave, case_id=full_case.pk, part="clinical").access.deidentified  # type: ignore[arg-type,attr-defined]


def test_two_shares_give_the_union_of_their_scopes(full_case: Case, agency: Agency, carol: User, dave: User) -> None:
    share(full_case, scope="photos", agency=agency)
    share(full_case, scope="deidentified", agency=agency)
    pages = urls(full_case)
    assert status(carol, pages["case page"]) == 200  # from the de-identified share
    assert status(carol, pages["document"]) == 404  # neither share reaches documents
    served = client_for(carol).get(pages["photo"])
    assert b"".join(served.streaming_content) == full_case.photos.get().image.read()  # photos share: faces shown


def test_a_deidentified_view_leaves_out_name_contacts_notes_documents_and_serials(full_case: Case, dave: User) -> None:
    share(full_case, scope="deidentified", clinician=dave)
    client = client_for(dave)
    pages = urls(full_case)

    page = client.get(pages["case page"]).content.decode()
    checkin = client.get(pages["check-in"]).content.decode()

    for secret in ("Hips", "Alice", "alice@example.org", "SN-123", "LOT-7", "Jane", "consent"):
        assert secret not in page, secret
        assert secret not in checkin, secret
    assert re.search(r"Shared case [0-9a-f]{8}", page)
    assert 'data-testid="faces-blurred"' in page
    api_case = client.get(pages["api case"]).json()
    assert api_case["title"].startswith("Shared case ") and api_case["notes"] == ""
    assert client.get(pages["api check-ins"]).json()[0]["notes"] == ""
    assert {(d["lot_number"], d["serial_number"]) for d in client.get(pages["api devices"]).json()} == {("", "")}
    listed = client.get(f"{API}/cases").json()
    assert [c["title"] for c in listed] == [api_case["title"]]
    html_list = client.get(reverse("cases:list")).content.decode()
    assert "Hips" not in html_list and "Alice" not in html_list


def test_a_photos_only_share_lists_the_case_without_its_course(full_case: Case, dave: User) -> None:
    share(full_case, scope="photos", clinician=dave)
    listed = client_for(dave).get(f"{API}/cases").json()
    assert len(listed) == 1
    assert listed[0]["procedures"] == [] and listed[0]["latest_level"] is None
    assert listed[0]["title"].startswith("Shared case ")
    html = client_for(dave).get(reverse("cases:list")).content.decode()
    assert reverse("diary:photos", args=[full_case.pk]) in html
    assert f'href="{reverse("cases:detail", args=[full_case.pk])}"' not in html


def _pixels(data: bytes) -> np.ndarray:  # type: ignore[type-arg]
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"), dtype=np.int16)


def test_faces_are_blurred_for_a_deidentified_share_and_only_there(full_case: Case, alice: User, dave: User) -> None:
    share(full_case, scope="deidentified", clinician=dave)
    pages = urls(full_case)
    stored = full_case.photos.get().image.read()

    blurred = client_for(dave).get(pages["photo"])
    owners = client_for(alice).get(pages["photo"])

    assert b"".join(owners.streaming_content) == stored
    assert blurred["Content-Type"] == "image/jpeg" and blurred["Cache-Control"] == "private, no-store"
    original, obscured = _pixels(stored), _pixels(blurred.content)
    assert original.shape == obscured.shape
    face = (slice(150, 300), slice(180, 340))  # eyes, nose and mouth of the sample portrait
    assert np.abs(original[face] - obscured[face]).mean() > 12  # the features are gone
    corner = (slice(520, 600), slice(0, 60))  # the uniform, far from the face
    assert np.abs(original[corner] - obscured[corner]).mean() < 8  # the rest stays as it was
    thumbnail = client_for(dave).get(pages["thumbnail"])
    assert max(Image.open(io.BytesIO(thumbnail.content)).size) <= 480
    api_photo = client_for(dave).get(pages["api photos"]).json()[0]
    assert (api_photo["sha256_stored"], api_photo["sha256_original"]) == ("", "")


def test_without_a_face_detector_the_whole_photo_is_blurred(monkeypatch: pytest.MonkeyPatch) -> None:
    from revisio.landmarks import faces

    def broken(image: Image.Image) -> list[faces.Box]:
        raise RuntimeError("no model here")

    monkeypatch.setattr(faces, "face_boxes", broken)
    with Image.open(GRACE_HOPPER) as opened:
        image = opened.convert("RGB")
    obscured, found = faces.blurred_faces(image)
    assert found == -1
    corner = (slice(520, 600), slice(0, 60))
    assert np.abs(np.asarray(image, np.int16)[corner] - np.asarray(obscured, np.int16)[corner]).mean() > 3


def test_a_redacted_case_cannot_be_saved(full_case: Case, dave: User) -> None:
    share(full_case, scope="deidentified", clinician=dave)
    seen = case_get_for_user(user=dave, case_id=full_case.pk, part="clinical")  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="display only"):
        seen.save()
    full_case.refresh_from_db()
    assert full_case.title == "Hips"


# --- invitation links ------------------------------------------------------------------------------


def test_a_clinician_accepts_an_invitation_once(case: Case, alice: User, dave: User) -> None:
    owner = client_for(alice)
    until = timezone.localdate() + dt.timedelta(days=30)
    made = owner.post(
        reverse("cases:invite_create", args=[case.pk]),
        {
            "invite-scope": "deidentified",
            "invite-link_days": 3,
            "invite-share_until": until.isoformat(),
            "invite-note": "Dr Lee",
        },
    )
    html = made.content.decode()
    link = re.search(r'data-testid="new-invite-link".*?value="([^"]+)"', html, re.S)
    assert link, html[:2000]
    path = link.group(1).removeprefix("http://testserver")
    invite = ShareInvite.objects.get()
    assert path.rsplit("/", 2)[-2] not in invite.secret_sha256  # only the hash is kept
    assert "Dr Lee" in owner.get(reverse("cases:shares", args=[case.pk])).content.decode()

    assert client_for(None).get(path).status_code == 302  # sign in first
    landing = client_for(dave).get(path)
    assert landing.status_code == 200 and 'data-testid="accept-invite"' in landing.content.decode()
    accepted = client_for(dave).post(path)

    assert accepted.status_code == 302 and accepted.url == reverse("cases:detail", args=[case.pk])
    created = CaseShare.objects.get(case=case, clinician=dave)
    assert created.scope == "deidentified" and created.expires_at.date() == until
    invite.refresh_from_db()
    assert (invite.accepted_by, invite.share) == (dave, created)
    assert client_for(dave).post(path).status_code == 404  # used
    assert status(dave, reverse("cases:detail", args=[case.pk])) == 200


def test_only_a_clinician_can_accept_and_a_bad_link_says_so(case: Case, alice: User, bob: User, carol: User) -> None:
    _invite, secret = invite_create(case=case)
    path = reverse("invite", args=[secret])
    for user in (bob, carol):
        response = client_for(user).post(path)
        assert response.status_code == 400
        assert "Only a clinician" in response.content.decode()
    assert not CaseShare.objects.exists()
    assert client_for(bob).get(reverse("invite", args=["not-a-real-secret"])).status_code == 404


def test_a_stopped_or_expired_link_no_longer_works(case: Case, alice: User, dave: User) -> None:
    stopped, stopped_secret = invite_create(case=case)
    client_for(alice).post(reverse("cases:invite_revoke", args=[case.pk, stopped.pk]))
    expired, expired_secret = invite_create(case=case)
    ShareInvite.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    for secret in (stopped_secret, expired_secret):
        response = client_for(dave).post(reverse("invite", args=[secret]))
        assert response.status_code == 404 and "not valid" in response.content.decode()
    assert not CaseShare.objects.exists()


def test_invitations_are_the_owners_to_make_and_stop(case: Case, alice: User, bob: User, carol: User, agency) -> None:  # type: ignore[no-untyped-def]
    share(case, scope="full", agency=agency)
    invite, _ = invite_create(case=case)
    for user in (bob, carol):
        client = client_for(user)
        assert client.post(reverse("cases:invite_create", args=[case.pk]), {"invite-link_days": 3}).status_code == 404
        assert client.post(reverse("cases:invite_revoke", args=[case.pk, invite.pk])).status_code == 404
    assert ShareInvite.objects.count() == 1
    bad = client_for(alice).post(
        reverse("cases:invite_create", args=[case.pk]), {"invite-scope": "all", "invite-link_days": 90}
    )
    assert bad.status_code == 200 and ShareInvite.objects.count() == 1


# --- second opinions -------------------------------------------------------------------------------


def test_a_clinician_the_case_is_shared_with_gives_a_second_opinion(full_case: Case, alice: User, dave: User) -> None:
    share(full_case, scope="photos", clinician=dave)
    url = reverse("cases:opinion_add", args=[full_case.pk])
    assert 'name="text"' in client_for(dave).get(reverse("diary:photos", args=[full_case.pk])).content.decode()

    sent = client_for(dave).post(url, {"text": "The asymmetry is within what is expected at three weeks."})

    assert sent.status_code == 302 and sent.url == reverse("diary:photos", args=[full_case.pk])
    opinion = SecondOpinion.objects.get()
    assert (opinion.case, opinion.author, opinion.author_name) == (full_case, dave, "Dave")
    page = client_for(alice).get(reverse("cases:detail", args=[full_case.pk])).content.decode()
    assert "within what is expected" in page and 'data-testid="opinions"' in page
    empty = client_for(dave).post(url, {"text": "   "}, follow=True)
    assert "Write your opinion first" in empty.content.decode()
    assert SecondOpinion.objects.count() == 1


def test_only_a_clinician_with_a_share_gives_an_opinion(
    shared_case: Case, alice: User, bob: User, carol: User, dave: User
) -> None:
    url = reverse("cases:opinion_add", args=[shared_case.pk])
    for user in (alice, bob, carol):  # the patient, a stranger, a coordinator
        assert client_for(user).post(url, {"text": "x"}).status_code == 404
    other = User.objects.create_user(email="eve@example.org", password="x" * 12, role="clinician")  # type: ignore[attr-defined]
    assert client_for(other).post(url, {"text": "x"}).status_code == 404
    assert not SecondOpinion.objects.exists()
    assert client_for(dave).post(url, {"text": "Fine."}).status_code == 302
    shared_case.shares.filter(clinician=dave).update(revoked_at=timezone.now())
    assert client_for(dave).post(url, {"text": "Again."}).status_code == 404
    assert SecondOpinion.objects.count() == 1


def test_photo_bytes_for_the_other_scopes_are_the_stored_file(case: Case, alice: User, dave: User) -> None:
    checkin_add(case=case, user=alice, date=timezone.localdate(), photos=[PhotoInput(jpeg(), "back", "hips")])
    share(case, scope="photos", clinician=dave)
    photo = case.photos.get()
    served = client_for(dave).get(reverse("diary:photo", args=[case.pk, photo.pk]))
    assert b"".join(served.streaming_content) == photo.image.read()
