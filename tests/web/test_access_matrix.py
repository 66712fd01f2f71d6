"""Who may open every page, generated from the URL configuration: a new page cannot escape this test.

Every named route outside the API (whose operations ``tests/api/test_access.py`` covers from the OpenAPI
document) and the admin (staff only, checked at the end) must be in ``RULES``; the test fails for a route
the table does not know and for a table row whose route is gone. Each route is then requested, with every
method it accepts, by each person: anonymous; the owning patient; another patient; a coordinator of the
agency the case is shared with and of another agency; clinicians with a valid, an expired and a revoked
share; clinicians with a photos-only and a de-identified share; staff. Someone without access gets 404 —
never the data, and never a hint that the case exists — and an anonymous visitor is sent to sign in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from revisio.accounts.models import Agency, Role, User
from revisio.accounts.services import api_token_create
from revisio.cases.access import Part
from revisio.cases.models import Case, CaseShare, ShareScope
from revisio.cases.services import case_share_create, device_add, document_add
from revisio.cases.sharing import invite_create
from revisio.diary.services import PhotoInput, checkin_add
from revisio.directory.models import Clinic
from revisio.escalation.services import plan_seen
from revisio.rights.models import DataExport, ExportStatus
from tests.api.support import PDF, finished_dossier
from tests.cast import client_for, jpeg, make_user

# --- who may do what ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """Who gets through, per method: ``public``; ``signed-in``; ``account`` (the owner of the account
    object in the URL); ``owner`` (of the case); ``read:<part>`` (the owner and shares reaching that part);
    ``clinician-share`` (a clinician with an active share of any scope); ``coordinator`` (any coordinator, who
    then sees only their agency's data), ``staff``, ``coordinator-or-staff``; ``agency-share`` (a coordinator
    of an agency with an active share of the case)."""

    get: str | None = None
    post: str | None = None


READ_CLINICAL, READ_PHOTOS, READ_IDENTIFYING = (f"read:{p.value}" for p in Part)
RULES: dict[str, Rule] = {
    "home": Rule(get="public"),
    "healthz": Rule(get="public"),  # no data: "ok"
    "readyz": Rule(get="public"),  # no data: which dependency fails
    "metrics": Rule(
        get="public"
    ),  # by address, not by person (tests/deploy/test_metrics.py); tests come from 127.0.0.1
    "set_language": Rule(post="public"),
    "invite": Rule(get="signed-in", post="signed-in"),
    "accounts:signup": Rule(get="public", post="public"),
    "accounts:login": Rule(get="public", post="public"),
    "accounts:logout": Rule(post="public"),
    "accounts:password_reset": Rule(get="public", post="public"),
    "accounts:password_reset_done": Rule(get="public"),
    "accounts:password_reset_confirm": Rule(get="public"),
    "accounts:password_reset_complete": Rule(get="public"),
    "accounts:profile": Rule(get="signed-in", post="signed-in"),
    "accounts:password_change": Rule(get="signed-in", post="signed-in"),
    "accounts:two_factor": Rule(get="signed-in"),
    "accounts:two_factor_confirm": Rule(post="signed-in"),
    "accounts:two_factor_backup_codes": Rule(post="signed-in"),
    "accounts:two_factor_disable": Rule(post="signed-in"),
    "accounts:two_factor_verify": Rule(get="signed-in", post="signed-in"),
    "accounts:tokens": Rule(get="signed-in", post="signed-in"),
    "accounts:token_revoke": Rule(post="account"),
    "cases:list": Rule(get="signed-in"),
    "cases:create": Rule(get="signed-in", post="signed-in"),
    "cases:detail": Rule(get=READ_CLINICAL),
    "cases:edit": Rule(get="owner", post="owner"),
    "cases:delete": Rule(get="owner", post="owner"),
    "cases:device_add": Rule(get="owner", post="owner"),
    "cases:device_delete": Rule(post="owner"),
    "cases:document_add": Rule(get="owner", post="owner"),
    "cases:document_download": Rule(get=READ_IDENTIFYING),
    "cases:document_delete": Rule(post="owner"),
    "cases:shares": Rule(get="owner", post="owner"),
    "cases:share_revoke": Rule(post="owner"),
    "cases:invite_create": Rule(post="owner"),
    "cases:invite_revoke": Rule(post="owner"),
    "cases:opinion_add": Rule(post="clinician-share"),
    "diary:checkin_add": Rule(get="owner", post="owner"),
    "diary:checkin": Rule(get=READ_CLINICAL),
    "diary:photos": Rule(get=READ_PHOTOS),
    "diary:photos_add": Rule(get="owner", post="owner"),
    "diary:photo": Rule(get=READ_PHOTOS),
    "diary:photo_thumbnail": Rule(get=READ_PHOTOS),
    "diary:photo_measure": Rule(get=READ_PHOTOS, post="owner"),
    "diary:photo_delete": Rule(post="owner"),
    "escalation:plan": Rule(get=READ_CLINICAL),
    "escalation:step_toggle": Rule(post="owner"),
    "escalation:write": Rule(get=READ_IDENTIFYING, post=READ_IDENTIFYING),
    "escalation:log": Rule(get=READ_IDENTIFYING, post="owner"),
    "escalation:applications": Rule(get=READ_IDENTIFYING, post="owner"),
    "dossier:list": Rule(get=READ_IDENTIFYING),
    "dossier:create": Rule(post="owner"),
    "dossier:download": Rule(get=READ_IDENTIFYING),
    "audit:case": Rule(get="owner"),
    "rights:data": Rule(get="signed-in"),
    "rights:export_create": Rule(post="signed-in"),
    "rights:export_download": Rule(get="account"),
    "rights:export_delete": Rule(post="account"),
    "rights:account_delete": Rule(get="signed-in", post="signed-in"),
    "agency:dashboard": Rule(get="coordinator"),
    "agency:alerts_read": Rule(post="coordinator"),
    "agency:case": Rule(get="agency-share", post="agency-share"),
    "directory:clinics": Rule(get="signed-in"),
    "directory:clinic": Rule(get="signed-in"),
    "directory:translators": Rule(get="coordinator-or-staff"),
    "directory:case_clinic": Rule(get="owner", post="owner"),
    "directory:referrals": Rule(get="coordinator"),
    "directory:import": Rule(get="staff", post="staff"),
}
#: Routes outside this test: the API (``tests/api/test_access.py``) and the admin (staff only, below).
OTHER_TESTS = ("api:", "admin:")


# --- the people -------------------------------------------------------------------------------------

ACTORS = [
    "anonymous",
    "owner",
    "other patient",
    "coordinator (shared agency)",
    "coordinator (other agency)",
    "clinician (valid share)",
    "clinician (expired share)",
    "clinician (revoked share)",
    "clinician (photos-only share)",
    "clinician (de-identified share)",
    "staff",
]
SHARE_SCOPE = {
    "coordinator (shared agency)": ShareScope.FULL,
    "clinician (valid share)": ShareScope.FULL,
    "clinician (photos-only share)": ShareScope.PHOTOS,
    "clinician (de-identified share)": ShareScope.DEIDENTIFIED,
}


def allowed(rule: str, actor: str) -> bool:
    if rule == "public":
        return True
    if actor == "anonymous":
        return False
    if rule in ("signed-in", "account"):
        return rule == "signed-in" or actor == "owner"
    if rule in ("coordinator", "staff", "coordinator-or-staff"):
        return (actor.startswith("coordinator") and rule != "staff") or (actor == "staff" and rule != "coordinator")
    if rule == "agency-share":  # a coordinator of an agency with an active share; never the patient
        return actor == "coordinator (shared agency)"
    if actor == "owner":
        return rule != "clinician-share"  # the patient gives herself no second opinion
    scope = SHARE_SCOPE.get(actor)
    if scope is None:
        return False
    if rule == "clinician-share":
        return actor.startswith("clinician")
    if rule.startswith("read:"):
        from revisio.cases.access import SCOPE_PARTS

        return Part(rule.removeprefix("read:")) in SCOPE_PARTS[scope]
    return False  # owner-only


@dataclass
class World:
    case: Case
    users: dict[str, User | None]
    kwargs: dict[str, str]


@pytest.fixture
def world(db: None, settings: Any) -> World:
    owner = make_user("alice@example.org", current_country="GB")
    users: dict[str, User | None] = {"anonymous": None, "owner": owner}
    users["other patient"] = make_user("bob@example.org")
    shared, other = Agency.objects.create(name="Shared Agency"), Agency.objects.create(name="Other Agency")
    from revisio.accounts.services import agency_member_add

    for actor, agency in (("coordinator (shared agency)", shared), ("coordinator (other agency)", other)):
        users[actor] = make_user(f"{actor.split()[0]}-{agency.pk}@example.org", Role.COORDINATOR)
        agency_member_add(agency=agency, user=users[actor])  # type: ignore[arg-type]
    for n, actor in enumerate(a for a in ACTORS if a.startswith("clinician")):
        users[actor] = make_user(f"clinician{n}@example.org", Role.CLINICIAN)
    staff = make_user("erin@example.org")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    users["staff"] = staff

    from revisio.cases.services import ProcedureInput, case_create

    case = case_create(
        owner=owner,
        title="Hips",
        clinic_country="KR",
        procedures=[ProcedureInput("fat-transfer-hips", timezone.localdate() - dt.timedelta(days=21))],
    )
    checkin = checkin_add(
        case=case,
        user=owner,
        date=timezone.localdate(),
        concerns=["asymmetry"],
        photos=[PhotoInput(jpeg(), "back", "hips")],
    )
    device = device_add(case=case, device_type="other")
    document = document_add(case=case, user=owner, data=PDF, original_name="c.pdf", document_type="consent", title="C")
    agency_share = case_share_create(case=case, agency=shared)
    for actor, scope in SHARE_SCOPE.items():
        if actor.startswith("clinician"):
            case_share_create(case=case, clinician=users[actor], scope=scope)  # type: ignore[arg-type]
    expired = case_share_create(case=case, clinician=users["clinician (expired share)"])  # type: ignore[arg-type]
    CaseShare.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    revoked = case_share_create(case=case, clinician=users["clinician (revoked share)"])  # type: ignore[arg-type]
    CaseShare.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    invite, _ = invite_create(case=case)
    token, _ = api_token_create(user=owner, name="t")
    dossier = finished_dossier(case, owner)
    export = DataExport.objects.create(user=owner, status=ExportStatus.DONE, finished_at=timezone.now())
    export.file.save("export.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    plan_seen(case=case, user=owner, today=timezone.localdate())  # records the plan's steps
    clinic = Clinic.objects.create(name_en="Example Clinic", city="Seoul", country="KR")
    kwargs = {
        "case_id": str(case.pk),
        "checkin_id": str(checkin.pk),
        "photo_id": str(checkin.photos.get().pk),
        "device_id": str(device.pk),
        "document_id": str(document.pk),
        "share_id": str(agency_share.pk),
        "invite_id": str(invite.pk),
        "token_id": str(token.pk),
        "step": "contact-surgeon",
        "dossier_id": str(dossier.pk),
        "export_id": str(export.pk),
        "clinic_id": str(clinic.pk),
        "kind": "pdf",
        "secret": "not-an-invitation",
        "uidb64": "MQ",
        "token": "set-password",
    }
    return World(case, users, kwargs)


# --- the routes -------------------------------------------------------------------------------------


def _routes(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for item in patterns:
        if isinstance(item, URLResolver):
            inner = f"{namespace}:{item.namespace}" if namespace and item.namespace else item.namespace or namespace
            yield from _routes(item.url_patterns, inner or "")
        elif item.name:
            yield (f"{namespace}:{item.name}" if namespace else item.name), item


def web_routes() -> dict[str, URLPattern]:
    return {name: p for name, p in _routes(get_resolver().url_patterns) if not name.startswith(OTHER_TESTS)}


def test_every_page_is_in_the_table() -> None:
    routes = set(web_routes())
    assert routes - set(RULES) == set(), "a new page: say who may open it in RULES"
    assert set(RULES) - routes == set(), "RULES names a page that no longer exists"


def _request(world: World, name: str, method: str, actor: str) -> HttpResponse:
    pattern = web_routes()[name].pattern
    names = list(getattr(pattern, "converters", {})) or [
        part[1:-1].split(":")[-1] for part in str(pattern).split("/") if part.startswith("<")
    ]
    url = reverse(name, kwargs={key: world.kwargs[key] for key in names})
    client = client_for(world.users[actor])
    return client.get(url) if method == "GET" else client.post(url)


def _outcome(response: HttpResponse) -> str:
    if response.status_code >= 500:
        return "error"
    if response.status_code == 404:
        return "not found"
    if response.status_code in (401, 403):
        return "refused"
    if response.status_code == 302 and "/accounts/login/" in response.get("Location", ""):
        return "sign in"
    return "through"


CASES = [(name, method) for name, rule in RULES.items() for method in ("GET", "POST") if getattr(rule, method.lower())]


@pytest.mark.parametrize(("name", "method"), CASES, ids=[f"{m} {n}" for n, m in CASES])
def test_who_gets_through(world: World, name: str, method: str) -> None:
    rule = getattr(RULES[name], method.lower())
    # The owner goes last: her POST may delete what the others were refused.
    got, expected = {}, {}
    for actor in [a for a in ACTORS if a != "owner"] + ["owner"]:
        if name == "accounts:logout" or (name == "accounts:login" and method == "POST"):
            continue  # signing out or in changes who is asking; the login page's GET is checked
        response = _request(world, name, method, actor)
        got[actor] = _outcome(response)
        if allowed(rule, actor):
            expected[actor] = "through"
        else:
            expected[actor] = "sign in" if actor == "anonymous" else "not found"
        if name == "invite" and actor != "anonymous":
            expected[actor] = "not found"  # the secret in the table names no invitation
    assert got == expected


POSTS = [name for name, rule in RULES.items() if rule.post]


@pytest.mark.parametrize("name", POSTS)
def test_every_form_needs_its_csrf_token(world: World, name: str) -> None:
    """A POST without the form's CSRF token is refused (403) on every page that takes one, even from the
    person it would let through, and changes nothing."""
    pattern = web_routes()[name].pattern
    names = list(getattr(pattern, "converters", {})) or [
        part[1:-1].split(":")[-1] for part in str(pattern).split("/") if part.startswith("<")
    ]
    url = reverse(name, kwargs={key: world.kwargs[key] for key in names})
    actor = "owner" if RULES[name].post != "clinician-share" else "clinician (valid share)"
    client = client_for(world.users[actor], csrf_checks=True)
    before = _row_counts()
    response = client.post(url, {"title": "x", "text": "x"})
    assert response.status_code == 403, name
    assert _row_counts() == before


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def test_the_admin_is_for_staff_only(world: World) -> None:
    for actor in ACTORS:
        response = client_for(world.users[actor]).get("/admin/")
        outcome = "through" if response.status_code == 200 else response.status_code
        if actor == "staff":
            assert outcome in ("through", 302), actor  # 302: a second factor may be asked for first
        else:
            assert outcome == 302 and "/admin/login/" in response["Location"], actor
