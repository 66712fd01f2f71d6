"""Deleting an account: confirmed by password and a typed word; nothing of a patient remains anywhere;
a clinician's or coordinator's deletion leaves the patients' cases whole."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from revisio.accounts.models import Agency, Membership, User
from revisio.cases.models import Case, CaseShare, SecondOpinion, ShareInvite
from revisio.diary.models import CheckIn, Photo, PhotoMeasurement
from revisio.dossier.models import Dossier
from revisio.escalation.models import Communication
from revisio.rights import services
from tests.api.support import World
from tests.cast import PASSWORD, client_for
from tests.rights.traces import media_files, row_traces


@pytest.fixture
def everything(world: World, alice: User, dave: User, erin: User, agency: Agency) -> World:
    """On top of alice's world: an invite dave accepted, an export with its file, an authenticator, a
    failed sign-in for her address, audit entries of her and dave reading the case, and admin log
    entries by staff about her case and her photo."""
    case = world.case
    ShareInvite.objects.create(
        case=case,
        secret_sha256=hashlib.sha256(b"invite").hexdigest(),
        note="for Dr Dave",
        expires_at=timezone.now() + dt.timedelta(days=7),
        accepted_at=timezone.now(),
        accepted_by=dave,
    )
    services.export_build(export_id=services.export_create(user=alice).pk)
    TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    client_for(None).post("/accounts/login/", {"username": alice.email, "password": "not her password"})
    client_for(alice).get(f"/cases/{case.pk}/")
    client_for(dave).get(f"/cases/{case.pk}/")
    for target in (case, world.photo, alice):
        LogEntry.objects.create(
            user=erin,
            content_type=ContentType.objects.get_for_model(target),
            object_id=str(target.pk),
            object_repr=str(target)[:200],
            action_flag=CHANGE,
        )
    return world


def _delete(client, django_capture_on_commit_callbacks, **data):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/account/delete/", {"password": PASSWORD, "confirmation": "delete", **data})


def test_a_patient_deleting_her_account_leaves_no_row_and_no_file_behind(
    everything: World,
    bob_world: World,
    alice: User,
    media_in_tmp: Path,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    case_ids = list(Case.objects.filter(owner=alice).values_list("pk", flat=True))
    user_id, email = alice.pk, alice.email
    bob_files = {name for name in media_files(media_in_tmp) if str(bob_world.case.pk) in name}
    assert bob_files and any(str(case_ids[0]) in name for name in media_files(media_in_tmp))
    assert row_traces(user_id=user_id, email=email, case_ids=case_ids)  # the walk does find what is there
    other_device = client_for(alice)
    client = client_for(alice)
    assert client.get("/account/delete/").status_code == 200

    response = _delete(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response["Location"] == "/"
    assert not User.objects.filter(pk=user_id).exists()
    assert row_traces(user_id=user_id, email=email, case_ids=case_ids) == []
    left = media_files(media_in_tmp)
    assert not [name for name in left if any(str(c) in name for c in case_ids) or name.startswith("exports/")]
    assert bob_files <= left  # bob's files are untouched
    assert Photo.objects.filter(case=bob_world.case).exists()
    # Signed out here and on every other device.
    for signed_in in (client, other_device):
        assert signed_in.get("/cases/").status_code == 302


def test_the_deletion_needs_her_password_and_the_word(
    everything: World,
    alice: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    client = client_for(alice)
    wrong_password = _delete(client, django_capture_on_commit_callbacks, password="guess")
    assert wrong_password.status_code == 200 and "not your password" in wrong_password.content.decode()
    wrong_word = _delete(client, django_capture_on_commit_callbacks, confirmation="yes")
    assert wrong_word.status_code == 200 and "exactly as shown" in wrong_word.content.decode()
    assert User.objects.filter(pk=alice.pk).exists() and Case.objects.filter(pk=everything.case.pk).exists()
    assert Path(everything.photo.image.path).exists()
    assert client.get("/cases/").status_code == 200  # still signed in


def test_the_confirmation_word_may_be_typed_in_the_pages_language(
    everything: World,
    alice: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    client = client_for(alice)
    client.cookies["django_language"] = "ko"
    page = client.get("/account/delete/").content.decode()
    from django.utils import translation

    with translation.override("ko"):
        word = translation.pgettext("confirmation word", "delete")
    assert word in page
    assert _delete(client, django_capture_on_commit_callbacks, confirmation=f"  {word.upper()} ").status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()


def test_a_clinician_deleting_his_account_leaves_the_patients_case_whole(
    everything: World,
    alice: User,
    dave: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    case = everything.case
    counted = (CheckIn, Photo, PhotoMeasurement, Dossier, Communication)
    before = {model: model.objects.filter(**_of(model, case)).count() for model in counted}
    user_id, email = dave.pk, dave.email

    assert _delete(client_for(dave), django_capture_on_commit_callbacks).status_code == 302

    assert {model: model.objects.filter(**_of(model, case)).count() for model in counted} == before
    assert all(Path(photo.image.path).exists() for photo in Photo.objects.filter(case=case))
    assert list(CaseShare.objects.filter(case=case).values_list("agency__name", flat=True)) == ["Seoul Care Agency"]
    opinion = SecondOpinion.objects.get(case=case)
    assert (opinion.author_id, opinion.author_name) == (None, "Dr Dave Example")
    assert opinion.text == "Wait until week eight before judging."
    assert ShareInvite.objects.get(case=case, accepted_at__isnull=False).accepted_by_id is None
    # What he did on alice's case stays in her audit trail as an account ID that names nobody now.
    assert row_traces(user_id=user_id, email=email, case_ids=[], keep_audit_actor=True) == []


def test_a_coordinator_deleting_her_account_leaves_the_agency_and_its_shares(
    everything: World,
    carol: User,
    agency: Agency,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    user_id, email = carol.pk, carol.email
    assert _delete(client_for(carol), django_capture_on_commit_callbacks).status_code == 302
    assert Agency.objects.filter(pk=agency.pk).exists() and not Membership.objects.exists()
    assert CaseShare.objects.filter(case=everything.case, agency=agency).exists()
    assert row_traces(user_id=user_id, email=email, case_ids=[], keep_audit_actor=True) == []


def _of(model: type, case: Case) -> dict[str, object]:
    return {"photo__case": case} if model is PhotoMeasurement else {"case": case}
