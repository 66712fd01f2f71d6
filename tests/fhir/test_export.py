"""The export: a valid collection Bundle mapping every part of a case, the same bytes for the same rows,
and a fixed number of queries however long the diary grows."""

from __future__ import annotations

import datetime as dt
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.diary.measuring import photo_measure_manual
from revisio.diary.models import CheckIn, Photo
from revisio.diary.services import PhotoInput, checkin_add
from revisio.escalation.models import Communication
from revisio.fhir import case_bundle, check_bundle
from revisio.fhir import codes as fhir_codes
from tests.api.support import BREAST_POINTS
from tests.cast import jpeg
from tests.fhir.support import codes, entry_of, exported, kinds, resources

SNOMED, DICOM, UCUM = fhir_codes.SNOMED, fhir_codes.DICOM, fhir_codes.UCUM


def test_a_rich_case_is_a_valid_bundle(rich_case: Case) -> None:
    bundle = case_bundle(case=rich_case)
    assert isinstance(bundle, Bundle) and bundle.type == "collection"
    again = Bundle.model_validate_json(bundle.model_dump_json())  # valid from its own JSON too
    assert again.model_dump_json() == bundle.model_dump_json()
    assert check_bundle(bundle) == []
    data = json.loads(bundle.model_dump_json())
    assert kinds(data) == {
        "Patient": 1,
        "Practitioner": 1,
        "Organization": 1,
        "CarePlan": 1,
        "Procedure": 2,
        "Device": 3,
        # three check-ins: an assessment each, derived from 4 + 4 + 3 reported values; one photo measurement
        "Observation": 3 + 11 + 1,
        "Condition": 1,
        "Media": 2,
        "DocumentReference": 1,
        "Communication": 3,
        "Task": 1,
    }
    assert all(e["fullUrl"] == f"urn:uuid:{e['resource']['id']}" for e in data["entry"])
    assert data["identifier"]["value"] == str(rich_case.pk)


def test_the_same_rows_give_the_same_bytes(rich_case: Case) -> None:
    assert case_bundle(case=rich_case).model_dump_json() == case_bundle(case=rich_case).model_dump_json()


def test_patient_clinic_surgeon_and_procedures(rich_case: Case) -> None:
    data = exported(rich_case)
    (patient,) = resources(data, "Patient")
    assert patient["name"] == [{"text": "Alice"}]
    assert [c["language"]["coding"][0]["code"] for c in patient["communication"]] == ["en", "ko"]
    assert patient["communication"][0]["preferred"] is True and "preferred" not in patient["communication"][1]
    assert "telecom" not in patient and "alice@example.org" not in json.dumps(data)  # the sign-in stays home
    (clinic,) = resources(data, "Organization")
    assert clinic["name"] == "Example Plastic Surgery"
    assert clinic["address"] == [{"city": "Seoul", "country": "KR"}]
    assert {t["system"]: t["value"] for t in clinic["telecom"]} == {
        "phone": "+82 2 000 0000",
        "email": "care@clinic.example",
        "url": "https://clinic.example",
    }
    (surgeon,) = resources(data, "Practitioner")
    assert surgeon["name"] == [{"text": "Dr Kim"}]
    augmentation, hips = resources(data, "Procedure")
    assert codes(augmentation["code"], fhir_codes.PROCEDURE) == ["breast-augmentation"]
    assert codes(augmentation["code"], SNOMED) == ["302343007"]
    assert codes(hips["code"], fhir_codes.PROCEDURE) == ["fat-transfer-hips"]
    assert codes(hips["code"], SNOMED) == []  # the notes give no code for it: none is made up
    assert augmentation["status"] == "completed"
    assert augmentation["performedDateTime"] == (timezone.localdate() - dt.timedelta(days=20)).isoformat()
    assert augmentation["extension"][0]["valueCoding"]["code"] == "general"
    assert augmentation["note"] == [{"text": "Dual plane, inframammary incision"}]
    (performer,) = augmentation["performer"]
    assert entry_of(data, performer["actor"]["reference"]) == surgeon
    assert entry_of(data, performer["onBehalfOf"]["reference"]) == clinic
    implants = [entry_of(data, f["manipulated"]["reference"]) for f in augmentation["focalDevice"]]
    assert [d["serialNumber"] for d in implants] == ["SN-L-1", "SN-R-2"]
    assert "focalDevice" not in hips


def test_devices_with_their_codes_and_properties(rich_case: Case) -> None:
    left, right, garment = resources(exported(rich_case), "Device")
    assert (left["manufacturer"], left["modelNumber"], left["lotNumber"]) == ("Acme Implants", "Round 350", "LOT-7")
    assert codes(left["type"], fhir_codes.DEVICE_TYPE) == ["breast-implant"]
    assert codes(left["type"], SNOMED) == ["465380004"]  # silicone gel implant
    assert codes(right["type"], DICOM) == ["111481"]  # saline implant
    assert codes(garment["type"], SNOMED) == codes(garment["type"], DICOM) == []

    def prop(device: dict, name: str) -> dict:
        return next(p["valueCode"][0] for p in device["property"] if p["type"]["coding"][0]["code"] == name)

    assert prop(left, "size") == {"text": "350 cc"}
    assert codes(prop(left, "placement"), DICOM) == ["111486"]  # retro-pectoral
    assert codes(prop(right, "placement"), DICOM) == ["111485"]  # pre-pectoral
    assert codes(prop(left, "side"), fhir_codes.SIDE) == ["left"]
    assert codes(prop(right, "fill"), fhir_codes.FILL) == ["saline"]


def test_checkins_are_observations_and_their_complications_conditions(rich_case: Case) -> None:
    data = exported(rich_case)
    infected = next(c for c in rich_case.checkins.all() if "spreading-redness" in c.symptoms)
    assessment = entry_of(data, f"urn:uuid:{infected.pk}")
    assert codes(assessment["code"], fhir_codes.OBSERVATION) == ["recovery-assessment"]
    assert codes(assessment["valueCodeableConcept"], fhir_codes.LEVEL) == [infected.level]
    assert assessment["effectiveDateTime"] == infected.date.isoformat()
    stored = infected.assessment["findings"]
    assert [codes(c["code"], fhir_codes.FINDING)[0] for c in assessment["component"]] == [f["id"] for f in stored]
    values = [entry_of(data, ref["reference"]) for ref in assessment["derivedFrom"]]
    symptoms = [codes(v["code"], fhir_codes.SYMPTOM) for v in values if codes(v["code"], fhir_codes.SYMPTOM)]
    assert symptoms == [["spreading-redness"], ["wound-discharge"]]
    temperature = next(v for v in values if codes(v["code"], fhir_codes.LOINC) == ["8310-5"])
    assert temperature["valueQuantity"] == {"value": 38.6, "unit": "°C", "system": UCUM, "code": "Cel"}
    pain = next(v for v in values if codes(v["code"], fhir_codes.LOINC) == ["72514-3"])
    assert pain["valueQuantity"] == {"value": 7, "unit": "score", "system": UCUM, "code": "{score}"}
    named = {f["kind"] for f in stored if f["id"].split("/")[-2:-1] == ["surgical-site-infection"]}
    assert named and named <= {"red-flag", "complication-sign"}
    (condition,) = resources(data, "Condition")
    assert codes(condition["code"], fhir_codes.COMPLICATION) == ["surgical-site-infection"]
    kind = "red-flag" if "red-flag" in named else "complication-sign"
    assert codes(condition["category"][0], fhir_codes.FINDING_KIND) == [kind]
    assert condition["verificationStatus"]["coding"][0]["code"] == "unconfirmed"
    assert condition["clinicalStatus"]["coding"][0]["code"] == "inactive"  # the latest check-in no longer names it
    assert condition["evidence"] == [{"detail": [{"reference": f"urn:uuid:{infected.pk}"}]}]
    (care_plan,) = resources(data, "CarePlan")
    assert care_plan["addresses"] == [{"reference": f"urn:uuid:{condition['id']}"}]


def test_photos_are_media_by_url_with_sha256_and_measurements(rich_case: Case) -> None:
    data = exported(rich_case)
    photo = Photo.objects.get(case=rich_case, view="front")
    media = entry_of(data, f"urn:uuid:{photo.pk}")
    content = media["content"]
    assert content["url"].endswith(f"/api/v1/cases/{rich_case.pk}/photos/{photo.pk}/image")
    assert "data" not in content and "hash" not in content  # by URL; R4B's hash is SHA-1, ours is SHA-256
    assert content["extension"] == [{"url": fhir_codes.EXT_SHA256, "valueString": photo.sha256_stored}]
    assert media["identifier"] == [{"system": fhir_codes.ID_SHA256_ORIGINAL, "value": photo.sha256_original}]
    assert codes(media["view"], fhir_codes.PHOTO_VIEW) == ["front"]
    assert media["bodySite"]["text"] == "Breasts or chest"
    assert media["createdDateTime"] == photo.taken_on.isoformat()
    assert media["partOf"] == [{"reference": f"urn:uuid:{photo.checkin_id}"}]
    (measurement,) = [o for o in resources(data, "Observation") if codes(o["code"], fhir_codes.MEASUREMENT)]
    assert measurement["derivedFrom"] == [{"reference": f"urn:uuid:{photo.pk}"}]
    assert measurement["method"]["text"].startswith("manual landmarks")
    stored = photo.measurements.get()
    assert {c["code"]["coding"][0]["code"] for c in measurement["component"]} == {
        name for name, value in stored.metrics.items() if isinstance(value, float)
    }
    assert all(c["valueQuantity"]["system"] == UCUM for c in measurement["component"])


def test_documents_communications_plan_and_application(rich_case: Case, complaint_body: str) -> None:
    data = exported(rich_case)
    (document,) = resources(data, "DocumentReference")
    attachment = document["content"][0]["attachment"]
    assert (attachment["contentType"], attachment["title"]) == ("application/pdf", "Consent form")
    assert attachment["size"] == rich_case.documents.get().size
    assert codes(document["type"], fhir_codes.DOCUMENT_TYPE) == ["consent"]
    sent, received, agency = resources(data, "Communication")
    rows = Communication.objects.filter(case=rich_case).order_by("occurred_on")
    assert (sent["sent"], received["received"]) == (rows[0].occurred_on.isoformat(), rows[1].occurred_on.isoformat())
    assert "received" not in sent and "sent" not in received
    assert sent["payload"][0] == {"contentString": "The left side is red and warm. Photo attached."}
    attached = [entry_of(data, p["contentReference"]["reference"])["resourceType"] for p in sent["payload"][1:]]
    assert attached == ["Media", "DocumentReference"]
    assert sent["topic"] == {"text": "Asked about the redness"}
    assert codes(sent["medium"][0], fhir_codes.CHANNEL) == ["email"]
    assert entry_of(data, sent["recipient"][0]["reference"])["resourceType"] == "Organization"
    assert received["sender"]["display"] == "Dr Kim" and received["language"] == "ko"
    assert agency["recipient"] == [{"display": "Seoul Care Agency"}]
    (care_plan,) = resources(data, "CarePlan")
    assert care_plan["title"] == "Breasts and hips, Seoul"
    assert care_plan["extension"][0]["valueDate"] == rich_case.leaving_on.isoformat()
    steps = [a for a in care_plan["activity"] if codes(a["detail"]["code"], fhir_codes.ESCALATION_STEP)]
    assert [(a["detail"]["status"], "progress" in a) for a in steps] == [("completed", True), ("scheduled", False)]
    milestones = [a for a in care_plan["activity"] if codes(a["detail"]["code"], fhir_codes.MILESTONE)]
    assert "breast-augmentation/final-result" in {
        codes(a["detail"]["code"], fhir_codes.MILESTONE)[0] for a in milestones
    }
    (task,) = resources(data, "Task")
    assert (task["status"], codes(task["businessStatus"], fhir_codes.APPLICATION_STATUS)) == ("requested", ["filed"])
    assert task["owner"]["identifier"] == {"system": fhir_codes.ID_COMPLAINT_BODY, "value": complaint_body}
    assert task["input"][0]["valueMoney"] == {"value": 5000000, "currency": "KRW"}


def test_a_case_without_clinic_or_surgeon(alice: User) -> None:
    from revisio.cases.services import ProcedureInput, case_create

    case = case_create(
        owner=alice,
        title="Nose",
        procedures=[ProcedureInput("rhinoplasty", timezone.localdate() + dt.timedelta(days=5))],
    )
    data = exported(case)
    assert check_bundle(data) == []
    assert set(kinds(data)) == {"Patient", "CarePlan", "Procedure"}
    (procedure,) = resources(data, "Procedure")
    assert procedure["status"] == "preparation" and "performer" not in procedure  # planned, nobody named


def _diary(case: Case, user: User, days: int) -> None:
    """``days`` more check-ins, each with a measured photo, and an exchange about each."""
    for day in range(days):
        date = timezone.localdate() - dt.timedelta(days=day)
        photo = PhotoInput(jpeg(200, 300), "front", "breasts")
        checkin = checkin_add(case=case, user=user, date=date, symptoms=["swelling"], pain=3, photos=[photo])
        photo_measure_manual(photo=checkin.photos.get(), kind="breast", landmarks=BREAST_POINTS, user=user)
        Communication.objects.create(
            case=case, direction="sent", channel="email", counterpart="clinic", occurred_on=date, summary="Update"
        )


def test_queries_do_not_grow_with_the_diary(case: Case, alice: User) -> None:
    _diary(case, alice, 1)
    with CaptureQueriesContext(connection) as one:
        case_bundle(case=case)
    _diary(case, alice, 6)
    assert CheckIn.objects.filter(case=case).count() == 7
    with CaptureQueriesContext(connection) as seven:
        case_bundle(case=case)
    assert len(seven) == len(one) <= 13, [q["sql"][:120] for q in seven.captured_queries]


def test_a_finished_dossier_is_a_document_reference_to_its_three_files(rich_case: Case, alice: User) -> None:
    from tests.api.support import finished_dossier

    dossier = finished_dossier(rich_case, alice)
    data = exported(rich_case)

    references = [r for r in resources(data, "DocumentReference") if codes(r["type"], fhir_codes.DOCUMENT_TYPE)]
    (reference,) = [r for r in references if codes(r["type"], fhir_codes.DOCUMENT_TYPE) == ["evidence-dossier"]]
    attachments = [c["attachment"] for c in reference["content"]]
    assert [a["contentType"] for a in attachments] == ["application/pdf", "application/zip", "application/pdf"]
    assert [a["extension"][0]["valueString"] for a in attachments] == [
        dossier.pdf_sha256,
        dossier.zip_sha256,
        dossier.draft_sha256,
    ]
    assert attachments[0]["url"].endswith(f"/api/v1/cases/{rich_case.pk}/dossiers/{dossier.pk}/pdf")
    assert check_bundle(Bundle.model_validate(data)) == []
