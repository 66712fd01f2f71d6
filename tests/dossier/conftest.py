"""A case with something in every part of the dossier: photos measured over time, documents, an
implant, messages with the clinic (one unanswered), an escalation step and an application."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.cases.services import device_add, document_add
from revisio.demo.images import back_view_figure, silhouette_back_view
from revisio.diary.measuring import photo_measure_manual
from revisio.diary.services import PhotoInput, checkin_add
from revisio.escalation.models import Communication, ComplaintApplication, StepState
from tests.uploads.synthetic import MINIMAL_PDF

KOREAN_MESSAGE = "안녕하세요. 수술 후 오른쪽 골반이 더 커 보입니다. 진료 기록 사본을 요청합니다."
SHAPES = (
    {"swelling": 1.0},
    {"swelling": 0.8, "hip_left": 0.95, "hip_right": 1.05},
    {"hip_left": 0.9, "hip_right": 1.1},
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: builds a whole dossier in a separate process (a few seconds)")


@pytest.fixture
def rich_case(case: Case, alice: User, surgery_date: dt.date) -> Case:
    for offset, shape in zip((7, 14, 21), SHAPES, strict=True):
        checkin = checkin_add(
            case=case,
            user=alice,
            date=min(surgery_date + dt.timedelta(days=offset), timezone.localdate()),
            symptoms=["swelling"],
            concerns=["asymmetry"] if offset > 7 else [],
            pain=6 - offset // 7,
            temperature_c="37.2" if offset == 7 else None,
            notes=f"Week {offset // 7}.",
            photos=[PhotoInput(silhouette_back_view(**shape), "back", "hips")],
        )
        landmarks = back_view_figure(**shape).landmarks()
        photo_measure_manual(photo=checkin.photos.get(), kind="body", landmarks=landmarks, user=alice)
    document_add(
        case=case,
        user=alice,
        data=MINIMAL_PDF,
        original_name="consent.pdf",
        document_type="consent",
        title="Signed consent form",
        document_date=surgery_date,
    )
    device_add(
        case=case, device_type="breast-implant", manufacturer="Example Medical", model="Round 300", lot_number="LOT-42"
    )
    on = surgery_date + dt.timedelta(days=10)
    rows = [
        ("sent", "clinic", on, "Asked whether the swelling is normal.", "Is this swelling normal?", "en"),
        ("received", "clinic", on + dt.timedelta(days=1), "The clinic said to wait.", "", "ko"),
        ("sent", "surgeon", on + dt.timedelta(days=5), "Asked for my medical records.", KOREAN_MESSAGE, "ko"),
    ]
    for direction, counterpart, day, summary, body, language in rows:
        Communication.objects.create(
            case=case,
            direction=direction,
            channel="messenger",
            counterpart=counterpart,
            occurred_on=day,
            summary=summary,
            body=body,
            language=language,
            created_by=alice,
        )
    StepState.objects.create(
        case=case, step="collect-records", first_suggested_on=on, due_on=on + dt.timedelta(days=3), done_on=on
    )
    ComplaintApplication.objects.create(
        case=case, body="k-medi", status="preparing", claim_amount=3_000_000, claim_currency="KRW"
    )
    return case
