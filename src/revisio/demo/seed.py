"""Seed the demo patient and case that ``make run`` shows (idempotent: re-running resets it)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from revisio import jobs
from revisio.accounts.models import Role, User
from revisio.accounts.services import user_create
from revisio.cases.models import Anaesthesia, Case
from revisio.cases.services import ProcedureInput, case_create, case_delete
from revisio.demo.images import back_view_figure, silhouette_back_view
from revisio.diary.measuring import photo_measure_manual
from revisio.diary.services import PhotoInput, checkin_add
from revisio.escalation.models import Channel, Counterpart, Direction
from revisio.escalation.services import communication_add

DEMO_EMAIL = "demo@revisio.example"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    case: Case


def demo_seed(*, today: dt.date | None = None) -> DemoAccount:
    """Seed the demo (see ``_seed``). Its photos are drawings no model can read, so instead of the
    automatic measuring job their silhouettes are given as points, as a person would correct them."""
    with jobs.paused():
        return _seed(today=today)


@transaction.atomic
def _seed(*, today: dt.date | None = None) -> DemoAccount:
    """A patient three weeks after an hourglass hip fat transfer in Seoul, back home in the UK.

    Two check-ins: day 7 (swelling and bruising) and day 21 (still swollen, one hip looks bigger),
    each with a dated back-view photo; messages with the clinic (a question answered on day 8, one
    sent on day 21 not yet answered). A new random password is set on every run.
    """
    today = today or timezone.localdate()
    password = secrets.token_urlsafe(12)
    user = User.objects.filter(email=DEMO_EMAIL).first()
    if user is None:
        user = user_create(
            email=DEMO_EMAIL,
            password=password,
            display_name="Demo Patient",
            role=Role.PATIENT,
            languages=["en", "ko"],
            current_country="GB",
            country_of_residence="GB",
            time_zone="Europe/London",
        )
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
        for old in Case.objects.filter(owner=user):
            case_delete(case=old)
    surgery = today - dt.timedelta(days=21)
    case = case_create(
        owner=user,
        title="Hourglass hips, Seoul",
        clinic_name="Example Plastic Surgery Clinic",
        clinic_city="Seoul",
        clinic_country="KR",
        clinic_phone="+82 2 000 0000",
        surgeon_name="Dr Example",
        notes="Demo case with synthetic photos.",
        procedures=[ProcedureInput("fat-transfer-hips", surgery, Anaesthesia.GENERAL)],
    )
    week_one = {"swelling": 1.0}
    week_three = {"swelling": 0.6, "hip_left": 0.9, "hip_right": 1.1}
    first = checkin_add(
        case=case,
        user=user,
        date=surgery + dt.timedelta(days=7),
        symptoms=["swelling", "bruising"],
        pain=5,
        temperature_c="37.1",
        notes="Sore when sitting. Flew home on day 6.",
        photos=[PhotoInput(silhouette_back_view(**week_one), "back", "hips")],
    )
    latest = checkin_add(
        case=case,
        user=user,
        date=today,
        symptoms=["swelling"],
        concerns=["asymmetry"],
        pain=2,
        temperature_c="36.8",
        notes="The right hip looks bigger than the left.",
        photos=[PhotoInput(silhouette_back_view(**week_three), "back", "hips")],
    )
    for checkin, shape in ((first, week_one), (latest, week_three)):
        photo_measure_manual(
            photo=checkin.photos.get(), kind="body", landmarks=back_view_figure(**shape).landmarks(), user=user
        )
    # The clinic answered the first question; the one about the bigger hip is still waiting.
    exchanges = [
        (7, Direction.SENT, "Asked whether the swelling and bruising on day 7 are normal", [first.photos.get()]),
        (8, Direction.RECEIVED, "The clinic says swelling is normal for weeks and to keep the garment on", []),
        (21, Direction.SENT, "Asked why the right hip looks bigger than the left", [latest.photos.get()]),
    ]
    for day, direction, summary, photos in exchanges:
        communication_add(
            case=case,
            user=user,
            direction=direction,
            channel=Channel.MESSENGER,
            counterpart=Counterpart.CLINIC,
            counterpart_name="Example Plastic Surgery Clinic",
            occurred_on=min(surgery + dt.timedelta(days=day), today),
            summary=summary,
            photo_ids=[photo.pk for photo in photos],
        )
    return DemoAccount(email=DEMO_EMAIL, password=password, case=case)
