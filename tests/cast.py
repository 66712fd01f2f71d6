"""The cast for web and API tests, and a case for them to work on.

alice and bob are patients; carol coordinates at Seoul Care Agency (dan at another agency);
dave is a clinician; erin is staff. alice's case is shared with carol's agency and with dave.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from revisio.accounts.models import Agency, Role, User
from revisio.accounts.selectors import two_factor_enabled, two_factor_required
from revisio.accounts.services import agency_member_add, user_create
from revisio.cases.models import Case
from revisio.cases.services import ProcedureInput, case_create, case_share_create
from revisio.diary.services import PhotoInput, checkin_add

PASSWORD = "correct horse battery staple 7"


@pytest.fixture(autouse=True)
def media_in_tmp(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Every test writes its files to its own folder, never to the real data directory, and static
    files come from the source tree (tests do not run collectstatic)."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    # Photos are not measured in the background unless a test asks for it (tests/diary/test_measuring.py):
    # loading the landmark models would slow every test that uploads a photo.
    settings.REVISIO_JOBS_ENABLED = False  # type: ignore[attr-defined]
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return tmp_path / "media"


def make_user(email: str, role: Role = Role.PATIENT, **extra: object) -> User:
    return user_create(email=email, password=PASSWORD, display_name=email.split("@")[0].title(), role=role, **extra)  # type: ignore[arg-type]


@pytest.fixture
def alice(db: None) -> User:
    return make_user("alice@example.org", current_country="GB", languages=["en"])


@pytest.fixture
def bob(db: None) -> User:
    return make_user("bob@example.org")


@pytest.fixture
def agency(db: None) -> Agency:
    return Agency.objects.create(name="Seoul Care Agency", country="KR")


@pytest.fixture
def carol(agency: Agency) -> User:
    user = make_user("carol@example.org", Role.COORDINATOR)
    agency_member_add(agency=agency, user=user)
    return user


@pytest.fixture
def dan(db: None) -> User:
    user = make_user("dan@example.org", Role.COORDINATOR)
    agency_member_add(agency=Agency.objects.create(name="Other Agency"), user=user)
    return user


@pytest.fixture
def dave(db: None) -> User:
    return make_user("dave@example.org", Role.CLINICIAN)


@pytest.fixture
def erin(db: None) -> User:
    user = make_user("erin@example.org")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def jpeg(width: int = 64, height: int = 48, colour: tuple[int, int, int] = (180, 140, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def surgery_date() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=21)


@pytest.fixture
def case(alice: User, surgery_date: dt.date) -> Case:
    return case_create(
        owner=alice,
        title="Hips",
        clinic_name="Example Clinic",
        clinic_country="KR",
        procedures=[ProcedureInput("hourglass-hip", surgery_date)],
    )


@pytest.fixture
def shared_case(case: Case, agency: Agency, carol: User, dave: User) -> Case:
    case_share_create(case=case, agency=agency)
    case_share_create(case=case, clinician=dave)
    return case


@pytest.fixture
def checkin(case: Case, alice: User):  # type: ignore[no-untyped-def]
    return checkin_add(
        case=case,
        user=alice,
        date=timezone.localdate(),
        symptoms=["swelling"],
        concerns=["asymmetry"],
        photos=[PhotoInput(jpeg(), "back", "hips")],
    )


def client_for(user: User | None, *, second_factor: bool = True, csrf_checks: bool = False) -> Client:
    """A client signed in as ``user``. With ``second_factor`` (the default) the session has also passed
    two-factor sign-in wherever the account has or needs it: coordinators, clinicians and staff get a
    confirmed authenticator, as they must before they can use Revisio (tests/accounts/ covers the steps).
    Django's test client skips CSRF checks unless ``csrf_checks`` asks for them, as a browser would meet them."""
    client = Client(enforce_csrf_checks=csrf_checks)
    if user is not None:
        client.force_login(user)
        if second_factor:
            verify_session(client, user)
    return client


def verify_session(client: Client, user: User) -> None:
    if not (two_factor_required(user) or two_factor_enabled(user)):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
