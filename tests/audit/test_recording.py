"""What is recorded: one entry per access to a case — page views, API reads and writes, downloads and
exports, by each role — in the case's chain; refused attempts in the person's own chain; sign-ins, sign-outs
and token use in the account's chain; and never a name or an e-mail address."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from revisio.accounts.models import ApiToken, User
from revisio.audit import context, services
from revisio.audit.models import Action, ActorKind, AuditEntry
from revisio.cases.models import Case
from revisio.cases.services import ProcedureInput, case_create, document_add
from revisio.cli import main
from tests.api.support import PDF, finished_dossier, token_client
from tests.audit.support import chain_of, last_id, new_entries, user_chain_of
from tests.cast import PASSWORD, client_for

BROWSER = {"REMOTE_ADDR": "198.51.100.7", "HTTP_USER_AGENT": "Mozilla/5.0 (X11) Firefox/140.0"}


def visit(client: Client, url: str, method: str = "get", **kwargs: object):  # type: ignore[no-untyped-def]
    response = getattr(client, method)(url, **BROWSER, **kwargs)
    assert response.status_code < 500, response.content[:300]
    return response


# --- page views and API calls, by each role ---------------------------------------------------------------


def test_opening_the_case_page_is_one_read_with_who_what_and_where(alice: User, case: Case) -> None:
    client = client_for(alice)
    since = last_id()
    assert visit(client, reverse("cases:detail", args=[case.pk])).status_code == 200
    [entry] = new_entries(since)
    assert entry.chain == f"case:{case.pk}"
    assert (entry.actor_kind, entry.actor_id, entry.actor_role) == (ActorKind.USER, alice.pk, "owner")
    assert (entry.action, entry.route, entry.method, entry.status) == (Action.READ, "cases:detail", "GET", 200)
    assert (entry.ip, entry.user_agent) == ("198.51.100.7", "Mozilla/5.0 (X11) Firefox/140.0")
    assert entry.seq == chain_of(case)[-1].seq
    assert abs(entry.at - timezone.now()) < dt.timedelta(seconds=30)


@pytest.mark.parametrize(("name", "role"), [("alice", "owner"), ("carol", "coordinator"), ("dave", "clinician")])
def test_each_role_is_recorded_with_its_role_and_no_name(
    name: str, role: str, shared_case: Case, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(name)
    client = client_for(user)
    since = last_id()
    visit(client, reverse("cases:detail", args=[shared_case.pk]))
    [entry] = new_entries(since)
    assert (entry.actor_id, entry.actor_role, entry.action) == (user.pk, role, Action.READ)
    stored = json.dumps(entry.content(), default=str)
    assert user.email not in stored and user.display_name not in stored  # names are looked up when shown


def test_api_reads_and_writes_are_recorded_with_the_token_used(alice: User, case: Case) -> None:
    client = token_client(alice)
    token = ApiToken.objects.get(user=alice)
    since = last_id()
    assert client.get(f"/api/v1/cases/{case.pk}", **BROWSER).status_code == 200
    response = client.patch(
        f"/api/v1/cases/{case.pk}", data={"title": "Renamed"}, content_type="application/json", **BROWSER
    )
    assert response.status_code == 200
    read, write = new_entries(since)
    assert (read.action, read.method, read.route) == (Action.READ, "GET", "api:case_detail")
    assert (write.action, write.method, write.status) == (Action.WRITE, "PATCH", 200)
    assert read.token == write.token == token.prefix
    assert write.seq == read.seq + 1


def test_a_form_shown_is_a_read_and_sent_is_a_write(alice: User, case: Case) -> None:
    client = client_for(alice)
    since = last_id()
    visit(client, reverse("cases:device_add", args=[case.pk]))
    visit(client, reverse("cases:device_add", args=[case.pk]), "post", data={"device_type": "other"})
    shown, sent = new_entries(since)
    assert (shown.action, shown.method) == (Action.READ, "GET")
    assert (sent.action, sent.method, sent.route) == (Action.WRITE, "POST", "cases:device_add")


def test_creating_a_case_is_recorded_in_its_new_chain(alice: User, surgery_date: dt.date) -> None:
    since = last_id()
    response = token_client(alice).post(
        "/api/v1/cases",
        data={"title": "Nose", "procedures": [{"procedure": "rhinoplasty", "surgery_date": surgery_date.isoformat()}]},
        content_type="application/json",
    )
    assert response.status_code == 201
    created = [e for e in new_entries(since) if e.chain == f"case:{response.json()['id']}"]
    assert [(e.seq, e.action, e.actor_role, e.method) for e in created] == [(1, Action.WRITE, "owner", "POST")]


# --- downloads and exports ----------------------------------------------------------------------------------


def test_photo_downloads_and_thumbnails_name_the_photo_and_its_date(alice: User, case: Case, checkin) -> None:  # type: ignore[no-untyped-def]
    photo = checkin.photos.get()
    client = client_for(alice)
    since = last_id()
    visit(client, reverse("diary:photo", args=[case.pk, photo.pk]))
    visit(client, reverse("diary:photo_thumbnail", args=[case.pk, photo.pk]))
    visit(client, f"/api/v1/cases/{case.pk}/photos/{photo.pk}/image")
    web, thumbnail, api = new_entries(since)
    for entry in (web, thumbnail, api):
        assert (entry.object_type, entry.object_id) == ("photo", str(photo.pk))
        assert entry.detail["taken_on"] == photo.taken_on.isoformat()
    assert (web.action, api.action, thumbnail.action) == (Action.DOWNLOAD, Action.DOWNLOAD, Action.READ)
    assert thumbnail.detail["thumbnail"] is True


def test_document_and_dossier_downloads(alice: User, case: Case) -> None:
    document = document_add(
        case=case,
        user=alice,
        data=PDF,
        original_name="consent.pdf",
        document_type="consent",
        title="Consent",
        document_date=dt.date(2026, 11, 7),
    )
    dossier = finished_dossier(case, alice)
    client = client_for(alice)
    since = last_id()
    visit(client, reverse("cases:document_download", args=[case.pk, document.pk]))
    visit(client, f"/api/v1/cases/{case.pk}/documents/{document.pk}/file")
    visit(client, reverse("dossier:download", args=[case.pk, dossier.pk, "zip"]))
    visit(client, f"/api/v1/cases/{case.pk}/dossiers/{dossier.pk}/pdf")
    web_document, api_document, web_dossier, api_dossier = new_entries(since)
    for entry in (web_document, api_document):
        assert (entry.action, entry.object_type, entry.object_id) == (Action.DOWNLOAD, "document", str(document.pk))
        assert entry.detail["date"] == "2026-11-07"
    for entry, kind in ((web_dossier, "zip"), (api_dossier, "pdf")):
        assert (entry.action, entry.object_type, entry.object_id) == (Action.DOWNLOAD, "dossier", str(dossier.pk))
        assert entry.detail["kind"] == kind


def test_fhir_export_is_an_export(shared_case: Case, carol: User) -> None:
    client = client_for(carol)
    since = last_id()
    assert client.get(f"/api/v1/cases/{shared_case.pk}/fhir").status_code == 200
    [entry] = new_entries(since)
    assert (entry.action, entry.actor_role, entry.route) == (Action.EXPORT, "coordinator", "api:case_fhir")


def test_the_command_line_is_recorded_as_the_command_line(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    since = last_id()
    try:
        assert main(["fhir", "export", "--case", str(case.pk), "--out", str(tmp_path / "case.json")]) == 0
    finally:
        context.activate(None)  # the command marks its whole process as the command line's
    [entry] = new_entries(since)
    assert entry.chain == f"case:{case.pk}"
    assert (entry.actor_kind, entry.actor_id, entry.action) == (ActorKind.COMMAND_LINE, None, Action.EXPORT)
    assert entry.route == "revisio fhir export"


def test_staff_looking_at_a_case_in_the_admin(case: Case, erin: User) -> None:
    erin.is_superuser = True
    erin.save(update_fields=["is_superuser"])
    since = last_id()
    response = visit(client_for(erin), reverse("admin:cases_case_change", args=[case.pk]))
    assert response.status_code == 200
    [entry] = [e for e in new_entries(since) if e.chain == f"case:{case.pk}"]
    assert (entry.actor_id, entry.actor_role, entry.action) == (erin.pk, "staff", Action.READ)
    assert (entry.object_type, entry.object_id) == ("case", str(case.pk))


# --- refused and anonymous requests ---------------------------------------------------------------------------


def test_a_refused_attempt_goes_to_the_persons_chain_not_the_cases(alice: User, case: Case, bob: User) -> None:
    client = client_for(bob)
    before = len(chain_of(case))
    since = last_id()
    response = visit(client, reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 404
    assert len(chain_of(case)) == before  # alice's log says nothing about bob
    [entry] = new_entries(since)
    assert entry.chain == f"user:{bob.pk}"
    assert (entry.action, entry.object_type, entry.object_id) == (Action.DENIED, "case", str(case.pk))
    assert (entry.route, entry.status, entry.ip) == ("cases:detail", 404, "198.51.100.7")


def test_a_shared_reader_trying_to_change_the_case_is_refused_and_recorded(shared_case: Case, carol: User) -> None:
    client = client_for(carol)
    since = last_id()
    response = visit(client, f"/api/v1/cases/{shared_case.pk}", "delete")
    assert response.status_code == 404
    [entry] = new_entries(since)
    assert (entry.chain, entry.action, entry.detail) == (f"user:{carol.pk}", Action.DENIED, {"write": True})


@pytest.mark.parametrize("case_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "bad\x00id"])
def test_a_wrong_case_id_is_recorded_as_sent(case_id: str, bob: User) -> None:
    client = client_for(bob)
    since = last_id()
    assert client.get(f"/api/v1/cases/{case_id}").status_code == 404
    [entry] = new_entries(since)
    assert (entry.chain, entry.action) == (f"user:{bob.pk}", Action.DENIED)
    assert entry.object_id == case_id.replace("\x00", "")  # PostgreSQL stores no NUL


def test_anonymous_requests_record_nothing(case: Case) -> None:
    since = last_id()
    assert Client().get(reverse("cases:detail", args=[case.pk])).status_code == 302  # to the sign-in page
    assert Client().get(f"/api/v1/cases/{case.pk}").status_code == 401
    assert new_entries(since) == []


def test_no_entry_no_data(alice: User, case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry that cannot be written stops the answer: the case is never served unrecorded."""

    def broken(**kwargs: object) -> None:
        raise RuntimeError("the audit table is unavailable")

    client = client_for(alice)
    client.raise_request_exception = False
    monkeypatch.setattr(services, "_append", broken)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 500
    assert b"Hips" not in response.content


# --- where from ---------------------------------------------------------------------------------------------


def test_x_forwarded_for_counts_only_behind_a_trusted_proxy(alice: User, case: Case, settings) -> None:  # type: ignore[no-untyped-def]
    client = client_for(alice)
    url = reverse("cases:detail", args=[case.pk])
    forwarded = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 10.0.0.1"}
    since = last_id()
    client.get(url, **forwarded)
    settings.REVISIO_BEHIND_PROXY = True
    client.get(url, **forwarded)
    client.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not an address")
    assert [e.ip for e in new_entries(since)] == ["10.0.0.2", "203.0.113.9", "10.0.0.2"]


def test_the_user_agent_is_cut_short_and_cleaned(alice: User, case: Case) -> None:
    client = client_for(alice)
    since = last_id()
    client.get(reverse("cases:detail", args=[case.pk]), HTTP_USER_AGENT="Bot\x00\x1b[31m" + "x" * 500)
    [entry] = new_entries(since)
    assert entry.user_agent.startswith("Bot[31mxxx") and len(entry.user_agent) == 200


# --- accounts ----------------------------------------------------------------------------------------------


def test_sign_in_sign_out_and_failed_sign_ins(alice: User) -> None:
    client = Client(**BROWSER)
    since = last_id()
    client.post(reverse("accounts:login"), {"username": alice.email, "password": "wrong password"})
    client.post(reverse("accounts:login"), {"username": "nobody@example.org", "password": "whatever"})
    client.post(reverse("accounts:login"), {"username": alice.email, "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    failed, unknown, signed_in, signed_out = new_entries(since)
    assert (failed.chain, failed.action, failed.actor_id) == (f"user:{alice.pk}", Action.SIGN_IN_FAILED, None)
    assert (unknown.chain, unknown.action) == ("system", Action.SIGN_IN_FAILED)
    assert (signed_in.chain, signed_in.action, signed_in.actor_id) == (f"user:{alice.pk}", Action.SIGN_IN, alice.pk)
    assert (signed_out.chain, signed_out.action) == (f"user:{alice.pk}", Action.SIGN_OUT)
    assert {e.ip for e in (failed, unknown, signed_in, signed_out)} == {"198.51.100.7"}
    everything = json.dumps([e.content() for e in AuditEntry.objects.all()], default=str)
    assert "nobody@example.org" not in everything and alice.email not in everything


def test_a_token_that_reaches_no_case_is_recorded_as_its_use(alice: User) -> None:
    client = token_client(alice)
    since = last_id()
    assert client.get("/api/v1/cases").status_code == 200
    [entry] = new_entries(since)
    assert (entry.chain, entry.action, entry.token) == (f"user:{alice.pk}", Action.TOKEN_USE, client_token(alice))
    assert [e.action for e in user_chain_of(alice)][-1] == Action.TOKEN_USE


def client_token(user: User) -> str:
    return ApiToken.objects.get(user=user).prefix


# --- one entry per case and request ----------------------------------------------------------------------------


def test_a_request_reaching_a_case_twice_writes_one_entry(alice: User, case: Case) -> None:
    origin = context.Origin(method="POST", route="cases:edit", deferred=True)
    token = context.activate(origin)
    try:
        services.case_access_record(user=alice, case_id=case.pk, owner_id=alice.pk)
        services.case_access_record(user=alice, case_id=case.pk, owner_id=alice.pk, write=True)
    finally:
        context.deactivate(token)
    since = last_id()
    services.pending_write(origin, status=302)
    [entry] = new_entries(since)
    assert (entry.action, entry.status) == (Action.WRITE, 302)  # the write is what counts


def test_outside_a_request_an_access_is_written_at_once(alice: User, surgery_date: dt.date) -> None:
    case = case_create(owner=alice, title="Seed", procedures=[ProcedureInput("rhinoplasty", surgery_date)])
    [created] = chain_of(case)
    assert (created.action, created.actor_kind, created.route, created.ip) == (Action.WRITE, ActorKind.USER, "", "")
    assert get_user_model().objects.filter(pk=created.actor_id).exists()
