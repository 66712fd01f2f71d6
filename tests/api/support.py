"""What the API tests share: the table of endpoints, the one error shape, request and state helpers.

``ENDPOINTS`` lists every operation of the API with a request that succeeds for the case's owner.
``test_openapi`` fails when it and the OpenAPI document disagree, so the access tests that run over
the table (anonymous, tokens, another patient, shared readers, malformed IDs) reach every endpoint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from PIL import ExifTags, Image

from revisio.accounts.models import Agency, User
from revisio.accounts.services import api_token_create
from revisio.cases.models import (
    Case,
    CaseProcedure,
    CaseShare,
    Device,
    Document,
    SecondOpinion,
    ShareInvite,
    active_share_filter,
)
from revisio.cases.services import case_share_create, case_share_revoke, device_add, document_add
from revisio.cases.sharing import invite_create
from revisio.diary.measuring import photo_measure_manual
from revisio.diary.models import CheckIn, Photo, PhotoMeasurement
from revisio.diary.services import PhotoInput, checkin_add
from revisio.dossier.models import Dossier, DossierStatus
from revisio.escalation.models import Communication, ComplaintApplication, StepState
from revisio.escalation.services import application_save, communication_add
from revisio.fhir import case_bundle
from tests.cast import jpeg

API = "/api/v1"
NOT_FOUND = {"errors": [{"code": "not-found", "message": "no such object, or not yours to see", "field": None}]}
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


# --- the objects an endpoint works on ------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """A case with one of everything the API reaches: a device, a document, a check-in with a photo, a
    share with an agency and an open invitation link (with its secret, which only this object still knows)."""

    case: Case
    device: Device
    document: Document
    checkin: CheckIn
    photo: Photo
    dossier: Dossier
    share: CaseShare
    invite: ShareInvite
    invite_secret: str

    def ids(self) -> dict[str, str]:
        return {
            "case_id": str(self.case.pk),
            "device_id": str(self.device.pk),
            "document_id": str(self.document.pk),
            "checkin_id": str(self.checkin.pk),
            "photo_id": str(self.photo.pk),
            "procedure_id": "hourglass-hip",
            "dossier_id": str(self.dossier.pk),
            "kind": "pdf",
            "step": "contact-surgeon",  # in the plan of every world: a concern, the clinic not yet told
            "body_id": "k-medi",
            "share_id": str(self.share.pk),
            "invite_id": str(self.invite.pk),
            # Not path parts: for request bodies (POST /invites/accept, POST .../shares).
            "invite_secret": self.invite_secret,
            "agency_id": str(self.share.agency_id),
        }


def world_for(case: Case, owner: User) -> World:
    device = device_add(case=case, device_type="buttock-implant", manufacturer="Acme", model="Curve", size="300 cc")
    document = document_add(
        case=case, user=owner, data=PDF, original_name="consent.pdf", document_type="consent", title="Consent"
    )
    checkin = checkin_add(
        case=case,
        user=owner,
        date=timezone.localdate(),
        symptoms=["swelling"],
        concerns=["asymmetry"],
        photos=[PhotoInput(jpeg(200, 300), "back", "hips")],  # large enough to be measured
    )
    photo = checkin.photos.get()
    photo_measure_manual(photo=photo, kind="breast", landmarks=BREAST_POINTS, user=owner)
    communication_add(
        case=case,
        user=owner,
        direction="received",
        channel="messenger",
        counterpart="agency",
        occurred_on=timezone.localdate(),
        summary="The coordinator says the clinic will answer",
        document_ids=[document.pk],
    )
    application_save(case=case, body="korea-consumer-agency", status="preparing", note="Gathering receipts")
    invite, secret = invite_create(case=case, scope="deidentified", link_days=7, note="Dr Kim")
    return World(
        case, device, document, checkin, photo, finished_dossier(case, owner), agency_share(case), invite, secret
    )


def agency_share(case: Case) -> CaseShare:
    """The case's first active share with an agency; for a case shared with none, a stopped share with an agency
    of nobody, so that every world has a share to name (and it gives nobody access)."""
    share = case.shares.filter(active_share_filter(), agency__isnull=False).order_by("created_at").first()
    if share is None:
        agency = Agency.objects.create(name=f"Former agency of case {case.pk.hex[:8]}")
        share = case_share_create(case=case, agency=agency)
        case_share_revoke(share=share)
    return share


def finished_dossier(case: Case, owner: User) -> Dossier:
    """A dossier row as a finished build leaves it, with small stand-in files: building a real one takes
    seconds, and the endpoint tests only need files to serve (tests/dossier builds real ones)."""
    dossier = Dossier.objects.create(
        case=case, created_by=owner, status=DossierStatus.DONE, progress=100, finished_at=timezone.now()
    )
    for field, name, data in (
        ("pdf", "d.pdf", PDF),
        ("zip_file", "d.zip", b"PK\x05\x06" + bytes(18)),
        ("draft_pdf", "k.pdf", PDF),
    ):
        getattr(dossier, field).save(name, ContentFile(data), save=False)
        setattr(dossier, field.split("_")[0] + "_sha256", hashlib.sha256(data).hexdigest())
    dossier.save()
    return dossier


# --- the endpoint table --------------------------------------------------------------------------


def _json(data: dict[str, Any]) -> dict[str, Any]:
    return {"data": data, "content_type": "application/json"}


def new_case_body(world: World) -> dict[str, Any]:
    surgery = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    return _json({"title": "Nose", "procedures": [{"procedure": "rhinoplasty", "surgery_date": surgery}]})


def fhir_bundle_body(world: World) -> dict[str, Any]:
    """The world's case exported as a Bundle, to import as a new case."""
    return {"data": case_bundle(case=world.case).model_dump_json(), "content_type": "application/fhir+json"}


def communication_body(world: World) -> dict[str, Any]:
    return {
        "occurred_on": timezone.localdate().isoformat(),
        "direction": "sent",
        "counterpart": "clinic",
        "channel": "email",
        "summary": "Asked whether the asymmetry is normal",
        "photo_ids": [str(world.photo.pk)],
    }


def pdf_upload(name: str = "report.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def jpeg_upload(data: bytes | None = None, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg() if data is None else data, content_type="image/jpeg")


@dataclass(frozen=True)
class Endpoint:
    """One operation, as the OpenAPI document names it, with a request that succeeds for the owner."""

    method: str
    path: str
    success: int
    write: bool = False
    public: bool = False
    owner_only: bool = False  # a read for the owner alone: people it is shared with get 404
    per_reader: bool = False  # each reader sees their own part (second opinions): not the owner's answer
    by_clinician: bool = False  # called by a clinician the case is shared with (dave), not by the owner
    body: Callable[[World], dict[str, Any]] | None = None
    query: str = ""  # e.g. "?claim=30000000", for an endpoint that needs one

    def __str__(self) -> str:
        return f"{self.method} {self.path.removeprefix(API)}"

    @property
    def case_scoped(self) -> bool:
        return "{case_id}" in self.path

    @property
    def placeholders(self) -> list[str]:
        return [part[1:-1] for part in self.path.split("/") if part.startswith("{")]

    def url(self, world: World, **overrides: str) -> str:
        return self.path.format(**{**world.ids(), **overrides}) + self.query

    def call(self, client: Client, world: World, **overrides: str) -> HttpResponse:
        kwargs = self.body(world) if self.body else {}
        return getattr(client, self.method.lower())(self.url(world, **overrides), **kwargs)


CASE = f"{API}/cases/{{case_id}}"
# Five breast points on the 200 x 300 test photo (the patient's right on the image's left).
BREAST_POINTS = {
    "sternal_notch": [100, 60],
    "nipple_right": [70, 150],
    "nipple_left": [130, 155],
    "contour_lowest_right": [72, 210],
    "contour_lowest_left": [128, 212],
}
ENDPOINTS = [
    Endpoint("GET", f"{API}/procedures", 200, public=True),
    Endpoint("GET", f"{API}/procedures/{{procedure_id}}", 200, public=True),
    Endpoint("GET", f"{API}/vocabulary", 200, public=True),
    Endpoint("GET", f"{API}/cases", 200),
    Endpoint("POST", f"{API}/cases", 201, write=True, body=new_case_body),
    Endpoint("GET", CASE, 200),
    Endpoint("PATCH", CASE, 200, write=True, body=lambda w: _json({"title": "Renamed"})),
    Endpoint("DELETE", CASE, 204, write=True),
    Endpoint("GET", f"{CASE}/devices", 200),
    Endpoint("POST", f"{CASE}/devices", 201, write=True, body=lambda w: _json({"device_type": "breast-implant"})),
    Endpoint("DELETE", f"{CASE}/devices/{{device_id}}", 204, write=True),
    Endpoint("GET", f"{CASE}/documents", 200),
    Endpoint(
        "POST",
        f"{CASE}/documents",
        201,
        write=True,
        body=lambda w: {"data": {"file": pdf_upload(), "document_type": "receipt"}},
    ),
    Endpoint("GET", f"{CASE}/documents/{{document_id}}/file", 200),
    Endpoint("DELETE", f"{CASE}/documents/{{document_id}}", 204, write=True),
    Endpoint("GET", f"{CASE}/checkins", 200),
    Endpoint(
        "POST",
        f"{CASE}/checkins",
        201,
        write=True,
        body=lambda w: _json({"date": timezone.localdate().isoformat(), "symptoms": ["fever"]}),
    ),
    Endpoint("GET", f"{CASE}/checkins/{{checkin_id}}", 200),
    Endpoint("GET", f"{CASE}/photos", 200),
    Endpoint(
        "POST",
        f"{CASE}/photos",
        201,
        write=True,
        body=lambda w: {"data": {"file": jpeg_upload(), "view": "front", "body_area": "hips"}},
    ),
    Endpoint("GET", f"{CASE}/photos/{{photo_id}}", 200),
    Endpoint("GET", f"{CASE}/photos/{{photo_id}}/image", 200),
    Endpoint("GET", f"{CASE}/photos/{{photo_id}}/measurements", 200),
    Endpoint(
        "POST",
        f"{CASE}/photos/{{photo_id}}/measurements",
        201,
        write=True,
        body=lambda w: _json({"kind": "breast", "landmarks": BREAST_POINTS}),
    ),
    Endpoint("DELETE", f"{CASE}/photos/{{photo_id}}", 204, write=True),
    Endpoint("GET", f"{CASE}/fhir", 200),
    Endpoint("POST", f"{API}/fhir/import", 201, write=True, body=fhir_bundle_body),
    Endpoint("GET", f"{CASE}/plan", 200),
    Endpoint("PUT", f"{CASE}/plan/{{step}}", 200, write=True, body=lambda w: _json({"done": True})),
    Endpoint(
        "POST",
        f"{CASE}/messages",
        200,
        body=lambda w: _json({"question": "is-this-normal", "language": "ja", "photo_ids": [str(w.photo.pk)]}),
    ),
    Endpoint("GET", f"{CASE}/communications", 200),
    Endpoint("POST", f"{CASE}/communications", 201, write=True, body=lambda w: _json(communication_body(w))),
    Endpoint("GET", f"{CASE}/applications", 200),
    Endpoint(
        "POST", f"{CASE}/applications", 201, write=True, body=lambda w: _json({"body": "k-medi", "status": "preparing"})
    ),
    Endpoint("GET", f"{API}/complaint-bodies", 200, public=True),
    Endpoint("GET", f"{CASE}/dossiers", 200),
    Endpoint("POST", f"{CASE}/dossiers", 202, write=True),
    Endpoint("GET", f"{CASE}/dossiers/{{dossier_id}}/{{kind}}", 200),
    Endpoint("GET", f"{API}/complaint-bodies/{{body_id}}/fee", 200, public=True, query="?claim=30000000"),
    Endpoint("GET", f"{CASE}/audit", 200, owner_only=True),
    Endpoint("GET", f"{CASE}/shares", 200, owner_only=True),
    Endpoint(
        "POST",
        f"{CASE}/shares",
        201,
        write=True,
        body=lambda w: _json({"agency_id": w.share.agency_id, "scope": "photos"}),
    ),
    Endpoint("DELETE", f"{CASE}/shares/{{share_id}}", 204, write=True),
    Endpoint("GET", f"{CASE}/invites", 200, owner_only=True),
    Endpoint("POST", f"{CASE}/invites", 201, write=True, body=lambda w: _json({"link_days": 3, "note": "Dr Lee"})),
    Endpoint("DELETE", f"{CASE}/invites/{{invite_id}}", 204, write=True),
    Endpoint(
        "POST",
        f"{API}/invites/accept",
        201,
        write=True,
        by_clinician=True,
        body=lambda w: _json({"secret": w.invite_secret}),
    ),
    Endpoint("GET", f"{CASE}/opinions", 200, per_reader=True),
    Endpoint(
        "POST", f"{CASE}/opinions", 201, write=True, by_clinician=True, body=lambda w: _json({"text": "Give it time."})
    ),
]
# What the owner calls (the access, token and session tests run these as alice); BY_CLINICIAN as dave.
PROTECTED = [e for e in ENDPOINTS if not e.public and not e.by_clinician]
BY_CLINICIAN = [e for e in ENDPOINTS if e.by_clinician]
CASE_SCOPED = [e for e in ENDPOINTS if e.case_scoped]
CASE_READS = [e for e in CASE_SCOPED if not e.write]
SHARED_READS = [e for e in CASE_READS if not e.owner_only and not e.per_reader]
CASE_WRITES = [e for e in CASE_SCOPED if e.write and not e.by_clinician]


# --- clients ------------------------------------------------------------------------------------


def token_for(user: User) -> str:
    _, secret = api_token_create(user=user, name="tests")
    return secret


def token_client(user: User, *, enforce_csrf_checks: bool = False) -> Client:
    """A client that signs in with a personal access token only (no session)."""
    return Client(enforce_csrf_checks=enforce_csrf_checks, HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")


# --- responses ----------------------------------------------------------------------------------


def errors_of(response: HttpResponse, status: int) -> list[dict[str, Any]]:
    """The errors of a response in the API's one error shape, after checking its status."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["errors"], body
    assert body["errors"], "an error response names at least one error"
    for item in body["errors"]:
        assert set(item) == {"code", "message", "field"}, item
        assert isinstance(item["code"], str) and item["code"], item
        assert isinstance(item["message"], str) and item["message"].strip(), item
        assert item["field"] is None or isinstance(item["field"], str), item
    return body["errors"]


def error_of(response: HttpResponse, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    """The first error, checked to carry ``code`` and (when given) ``field``."""
    error = errors_of(response, status)[0]
    assert error["code"] == code, error
    if field is not None:
        assert error["field"] == field, error
    return error


def assert_not_found(response: HttpResponse) -> None:
    """A 404 that says nothing about the object, whether or not it exists."""
    errors_of(response, 404)
    assert response.json() == NOT_FOUND


def content_of(response: HttpResponse) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]


# --- state: what a rejected request must leave untouched -----------------------------------------


def media_files() -> dict[str, str]:
    """Every stored file under MEDIA_ROOT (a per-test folder), by relative path, with its SHA-256."""
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def snapshot() -> dict[str, Any]:
    """Every row the API can write, and every stored file."""
    models = (
        Case,
        CaseProcedure,
        Device,
        Document,
        CheckIn,
        Photo,
        PhotoMeasurement,
        CaseShare,
        ShareInvite,
        SecondOpinion,
        Communication,
        StepState,
        ComplaintApplication,
        Dossier,
    )
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
    return {"rows": rows, "files": media_files()}


# --- images -------------------------------------------------------------------------------------


def exif_jpeg(*, taken: dt.datetime, size: tuple[int, int] = (80, 60)) -> bytes:
    """A JPEG as a phone writes it: GPS position, make and model, and the time it was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 15 Pro"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken.strftime("%Y:%m:%d %H:%M:%S")
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (37.0, 30.0, 0.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (127.0, 2.0, 0.0)
    buffer = io.BytesIO()
    Image.new("RGB", size, (190, 150, 130)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def assert_no_metadata(data: bytes) -> None:
    """No EXIF at all (so no GPS, device or time), and none of the phone's strings anywhere in the file."""
    with Image.open(io.BytesIO(data)) as image:
        assert image.format in ("JPEG", "PNG", "WEBP")
        assert len(image.getexif()) == 0
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert "exif" not in image.info
        assert "xmp" not in image.info
    for marker in (b"Exif\x00\x00", b"PhoneMaker", b"Phone 15 Pro", b"http://ns.adobe.com/xap"):
        assert marker not in data
