"""A rich case for the FHIR tests: two procedures with clinic and surgeon, implants, check-ins that name a
complication, photos with a measurement, a document, the communications log, plan steps and an application."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from django.utils import timezone

from revisio import kb
from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.cases.services import ProcedureInput, case_create, device_add, document_add
from revisio.diary.measuring import photo_measure_manual
from revisio.diary.services import PhotoInput, checkin_add, photo_add
from revisio.escalation.models import Communication, ComplaintApplication, StepState
from tests.api.support import BREAST_POINTS, PDF
from tests.cast import jpeg


@pytest.fixture
def complaint_body(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A complaint-body ID of the knowledge base in use: the shipped one's first, or, while the shipped
    knowledge base has none, one added to a copy of it (applications must name a known body)."""
    shipped = kb.load()
    if shipped.complaint_bodies:
        return sorted(shipped.complaint_bodies)[0]
    root = tmp_path / "kb"
    shutil.copytree(kb.DEFAULT_ROOT, root)
    (root / "complaint-bodies").mkdir(exist_ok=True)
    source = sorted(shipped.sources)[0]
    text = {"en": "Test mediation body", "ko": "시험 조정 기관"}
    record = {
        "id": "test-mediation",
        "country": "kr",
        "kind": "mediation",
        "names": text,
        "summary": {"text": text, "cite": [{"source": source, "locator": "test"}]},
    }
    (root / "complaint-bodies" / "test-mediation.yaml").write_text(yaml.safe_dump(record, allow_unicode=True))
    extended = kb.load(root)
    monkeypatch.setattr("revisio.kb.loader._load_default", lambda: extended)
    return "test-mediation"


@pytest.fixture
def rich_case(alice: User, complaint_body: str) -> Case:
    today = timezone.localdate()
    surgery = today - dt.timedelta(days=20)
    alice.languages = ["en", "ko"]
    alice.country_of_residence = "GB"
    alice.save(update_fields=["languages", "country_of_residence"])
    case = case_create(
        owner=alice,
        title="Breasts and hips, Seoul",
        clinic_name="Example Plastic Surgery",
        clinic_city="Seoul",
        clinic_country="KR",
        clinic_phone="+82 2 000 0000",
        clinic_email="care@clinic.example",
        clinic_website="https://clinic.example",
        surgeon_name="Dr Kim",
        leaving_on=surgery + dt.timedelta(days=10),
        notes="Booked through an agency.",
        procedures=[
            ProcedureInput("breast-augmentation", surgery, "general", "Dual plane, inframammary incision"),
            ProcedureInput("hourglass-hip", surgery + dt.timedelta(days=1), "sedation"),
        ],
    )
    augmentation = case.procedures.get(procedure="breast-augmentation")
    for side, fill, placement, serial in (
        ("left", "silicone-gel", "submuscular", "SN-L-1"),
        ("right", "saline", "subglandular", "SN-R-2"),
    ):
        device_add(
            case=case,
            procedure_id=augmentation.pk,
            device_type="breast-implant",
            manufacturer="Acme Implants",
            model="Round 350",
            lot_number="LOT-7",
            serial_number=serial,
            size="350 cc",
            placement=placement,
            fill=fill,
            side=side,
        )
    device_add(case=case, device_type="other", manufacturer="Acme", model="Garment")
    checkin_add(
        case=case,
        user=alice,
        date=surgery + dt.timedelta(days=3),
        symptoms=["swelling", "bruising"],
        pain=6,
        temperature_c="37.4",
        notes="Sore, tight chest.",
    )
    infected = checkin_add(
        case=case,
        user=alice,
        date=surgery + dt.timedelta(days=9),
        symptoms=["spreading-redness", "wound-discharge"],
        pain=7,
        temperature_c="38.6",
        photos=[PhotoInput(jpeg(200, 300), "front", "breasts")],
    )
    checkin_add(case=case, user=alice, date=today, concerns=["asymmetry"], pain=2, temperature_c="36.8")
    photo = infected.photos.get()
    photo_measure_manual(photo=photo, kind="breast", landmarks=BREAST_POINTS, user=alice)
    photo_add(case=case, user=alice, photo=PhotoInput(jpeg(), "back", "hips", today - dt.timedelta(days=1)))
    document = document_add(
        case=case, user=alice, data=PDF, original_name="consent.pdf", document_type="consent", title="Consent form"
    )
    sent = Communication.objects.create(
        case=case,
        direction="sent",
        channel="email",
        counterpart="clinic",
        occurred_on=surgery + dt.timedelta(days=9),
        summary="Asked about the redness",
        body="The left side is red and warm. Photo attached.",
        language="en",
        created_by=alice,
    )
    sent.photos.set([photo])
    sent.documents.set([document])
    Communication.objects.create(
        case=case,
        direction="received",
        channel="messenger",
        counterpart="surgeon",
        counterpart_name="Dr Kim",
        occurred_on=surgery + dt.timedelta(days=10),
        summary="Come in tomorrow",
        language="ko",
        created_by=alice,
    )
    Communication.objects.create(
        case=case,
        direction="sent",
        channel="phone",
        counterpart="agency",
        counterpart_name="Seoul Care Agency",
        occurred_on=surgery + dt.timedelta(days=11),
        summary="Asked the agency to interpret",
        created_by=alice,
    )
    StepState.objects.create(
        case=case,
        step="contact-surgeon",
        first_suggested_on=surgery + dt.timedelta(days=9),
        due_on=surgery + dt.timedelta(days=10),
        done_on=surgery + dt.timedelta(days=9),
        done_by=alice,
        note="Called the clinic",
    )
    StepState.objects.create(case=case, step="second-opinion", first_suggested_on=today - dt.timedelta(days=2))
    ComplaintApplication.objects.create(
        case=case,
        body=complaint_body,
        status="filed",
        filed_on=today - dt.timedelta(days=1),
        reference="2026-0042",
        claim_amount=5_000_000,
        claim_currency="KRW",
        note="Mediation requested.",
    )
    return case
