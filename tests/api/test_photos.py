"""Photos over the API: uploaded photos lose every piece of metadata (GPS above all) but keep their pixels."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image
from pytest_django.fixtures import Settings

from revisio.accounts.models import User
from revisio.cases.services import ProcedureInput, case_create
from revisio.diary.models import Photo
from revisio.diary.services import checkin_add
from tests.api.support import (
    PDF,
    World,
    assert_no_metadata,
    assert_not_found,
    content_of,
    error_of,
    exif_jpeg,
    jpeg_upload,
    media_files,
    snapshot,
)
from tests.cast import client_for, jpeg


def _upload(world: World, user: User, **data: Any) -> Any:
    return client_for(user).post(
        f"/api/v1/cases/{world.case.pk}/photos", {"view": "front", "body_area": "hips", **data}
    )


def test_photo_list_and_detail(world: World, alice: User) -> None:
    url = f"/api/v1/cases/{world.case.pk}/photos"
    [listed] = client_for(alice).get(url).json()
    assert listed["id"] == str(world.photo.pk)
    assert (listed["checkin_id"], listed["view"], listed["body_area"]) == (str(world.checkin.pk), "back", "hips")
    assert (listed["content_type"], listed["width"], listed["height"]) == ("image/jpeg", 200, 300)
    assert listed["sha256_original"] == hashlib.sha256(jpeg(200, 300)).hexdigest()
    assert client_for(alice).get(f"{url}/{world.photo.pk}").json() == listed


def test_gps_make_model_and_time_never_reach_the_stored_photo(world: World, alice: User) -> None:
    taken = dt.datetime.combine(timezone.localdate() - dt.timedelta(days=3), dt.time(10, 11, 12))
    sent = exif_jpeg(taken=taken)
    with Image.open(io.BytesIO(sent)) as original:  # the upload really carries what must go
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (37.0, 30.0, 0.0)
        assert original.getexif()[ExifTags.Base.Make] == "PhoneMaker"
    response = _upload(world, alice, file=jpeg_upload(sent, "IMG_0001.jpg"), view="left", body_area="waist")
    assert response.status_code == 201, response.content
    body = response.json()

    image = client_for(alice).get(f"/api/v1/cases/{world.case.pk}/photos/{body['id']}/image")
    assert image.status_code == 200
    data = content_of(image)
    assert_no_metadata(data)
    assert image["Content-Type"] == body["content_type"] == "image/jpeg"
    assert "private" in image["Cache-Control"]
    assert body["sha256_original"] == hashlib.sha256(sent).hexdigest()
    assert body["sha256_stored"] == hashlib.sha256(data).hexdigest() != body["sha256_original"]
    assert (body["size"], body["width"], body["height"]) == (len(data), 80, 60)
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.size == (80, 60)
        assert max(abs(a - b) for a, b in zip(stored.getpixel((40, 30)), (190, 150, 130), strict=True)) <= 3
    # Only the day it was taken survives, as the photo's date.
    assert (body["view"], body["body_area"], body["taken_on"]) == ("left", "waist", taken.date().isoformat())
    # Nor is any of it in the stored files (photo and thumbnail).
    photo = Photo.objects.get(pk=body["id"])
    for field in (photo.image, photo.thumbnail):
        with field.open("rb") as stored_file:
            assert_no_metadata(stored_file.read())


def test_photo_for_a_checkin_takes_its_date_and_joins_it(world: World, alice: User) -> None:
    response = _upload(world, alice, file=jpeg_upload(), checkin_id=str(world.checkin.pk), view="right")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["checkin_id"], body["taken_on"]) == (str(world.checkin.pk), world.checkin.date.isoformat())
    checkin = client_for(alice).get(f"/api/v1/cases/{world.case.pk}/checkins/{world.checkin.pk}").json()
    assert set(checkin["photo_ids"]) == {str(world.photo.pk), body["id"]}


def test_png_stays_png(world: World, alice: User) -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (30, 20), (10, 200, 30, 255)).save(buffer, "PNG")
    body = _upload(world, alice, file=SimpleUploadedFile("a.png", buffer.getvalue(), "image/png")).json()
    image = client_for(alice).get(f"/api/v1/cases/{world.case.pk}/photos/{body['id']}/image")
    assert body["content_type"] == image["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(content_of(image))).size == (30, 20)


def test_image_is_the_stored_file(world: World, alice: User) -> None:
    response = client_for(alice).get(f"/api/v1/cases/{world.case.pk}/photos/{world.photo.pk}/image")
    assert hashlib.sha256(content_of(response)).hexdigest() == world.photo.sha256_stored


def _another_checkin_of_alice(alice: User) -> str:
    case = case_create(
        owner=alice,
        title="Nose",
        procedures=[ProcedureInput("rhinoplasty", timezone.localdate() - dt.timedelta(days=9))],
    )
    return str(checkin_add(case=case, user=alice, date=timezone.localdate()).pk)


HTML = b"<html><body>not a photo</body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
# (form data, given alice and bob's world; status; code; field)
BAD_PHOTOS: list[Any] = [
    pytest.param(
        lambda a, b: {"file": jpeg_upload(b"some notes\n", "a.jpg")}, 400, "upload-unsupported-type", "file", id="text"
    ),
    pytest.param(lambda a, b: {"file": jpeg_upload(SVG, "a.svg")}, 400, "upload-unsupported-type", "file", id="svg"),
    pytest.param(lambda a, b: {"file": jpeg_upload(PDF, "a.pdf")}, 400, "upload-unsupported-type", "file", id="pdf"),
    pytest.param(lambda a, b: {"file": jpeg_upload(HTML, "a.html")}, 400, "upload-unsupported-type", "file", id="html"),
    pytest.param(
        lambda a, b: {"file": jpeg_upload(b"GIF89a" + b"\x00" * 20)}, 400, "upload-unsupported-type", "file", id="gif"
    ),
    pytest.param(lambda a, b: {"file": jpeg_upload(jpeg()[:200])}, 400, "upload-corrupt", "file", id="truncated-jpeg"),
    pytest.param(lambda a, b: {"file": jpeg_upload(b"")}, 400, "upload-empty", "file", id="empty"),
    pytest.param(lambda a, b: {}, 422, "invalid", "file", id="no-file"),
    pytest.param(lambda a, b: {"file": jpeg_upload(), "view": "sideways"}, 422, "invalid", "view", id="unknown-view"),
    pytest.param(
        lambda a, b: {"file": jpeg_upload(), "body_area": "elbow"}, 422, "invalid", "body_area", id="unknown-area"
    ),
    pytest.param(
        lambda a, b: {"file": jpeg_upload(), "taken_on": "last week"}, 422, "invalid", "taken_on", id="bad-date"
    ),
    pytest.param(
        lambda a, b: {"file": jpeg_upload(), "taken_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat()},
        400,
        "invalid",
        "taken_on",
        id="future-date",
    ),
    pytest.param(
        lambda a, b: {"file": jpeg_upload(), "checkin_id": "12"}, 422, "invalid", "checkin_id", id="checkin-not-a-uuid"
    ),
    pytest.param(
        lambda a, b: {"file": jpeg_upload(), "checkin_id": str(uuid.uuid4())},
        404,
        "not-found",
        None,
        id="unknown-checkin",
    ),
    pytest.param(
        lambda a, b: {"file": jpeg_upload(), "checkin_id": _another_checkin_of_alice(a)},
        404,
        "not-found",
        None,
        id="checkin-of-alices-other-case",
    ),
    pytest.param(
        lambda a, b: {"file": jpeg_upload(), "checkin_id": str(b.checkin.pk)},
        404,
        "not-found",
        None,
        id="checkin-of-bob",
    ),
]


@pytest.mark.parametrize(("data", "status", "code", "field"), BAD_PHOTOS)
def test_bad_photo_is_a_clear_4xx_and_leaves_nothing(
    world: World,
    bob_world: World,
    alice: User,
    data: Callable[[User, World], dict[str, Any]],
    status: int,
    code: str,
    field: str | None,
) -> None:
    form = data(alice, bob_world)
    before = snapshot()
    error = error_of(_upload(world, alice, **form), status, code)
    assert error["field"] == field, error
    assert snapshot() == before


def test_a_pdf_is_told_it_is_a_document(world: World, alice: User) -> None:
    error = error_of(_upload(world, alice, file=jpeg_upload(PDF, "scan.pdf")), 400, "upload-unsupported-type")
    assert "PDF" in error["message"]


def test_oversized_photo_is_refused_and_leaves_nothing(world: World, alice: User, settings: Settings) -> None:
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    before = snapshot()
    response = _upload(world, alice, file=jpeg_upload(jpeg() + b"\x00" * 1_100_000))
    assert response.status_code in (400, 413)
    assert "1 MB" in error_of(response, response.status_code, "upload-too-large", "file")["message"]
    assert snapshot() == before


def test_too_many_pixels_is_refused_and_leaves_nothing(world: World, alice: User, settings: Settings) -> None:
    settings.MAX_PHOTO_PIXELS = 1000
    before = snapshot()
    error_of(_upload(world, alice, file=jpeg_upload(jpeg(64, 48))), 400, "upload-too-many-pixels", "file")
    assert snapshot() == before


def test_a_request_body_over_the_limit_is_413(world: World, alice: User, settings: Settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    before = snapshot()
    error_of(_upload(world, alice, file=jpeg_upload(), padding="x" * 5000), 413, "too-large")
    assert snapshot() == before


def test_delete_photo_removes_it_its_thumbnail_and_its_place_in_the_checkin(
    world: World, alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    files = {world.photo.image.name, world.photo.thumbnail.name}
    assert files <= set(media_files())
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).delete(f"/api/v1/cases/{world.case.pk}/photos/{world.photo.pk}")
    assert response.status_code == 204
    assert not Photo.objects.filter(pk=world.photo.pk).exists()
    assert not files & set(media_files())
    assert_not_found(client_for(alice).get(f"/api/v1/cases/{world.case.pk}/photos/{world.photo.pk}/image"))
    checkin = client_for(alice).get(f"/api/v1/cases/{world.case.pk}/checkins/{world.checkin.pk}").json()
    assert checkin["photo_ids"] == []
