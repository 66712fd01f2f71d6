"""Check-ins are assessed as they are saved, all or nothing; photos lose every piece of metadata."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from revisio.cases.services import ProcedureInput, case_create
from revisio.diary.models import CheckIn, Photo
from revisio.diary.services import PhotoInput, checkin_add, photo_add
from revisio.web.errors import InvalidInput
from tests.cast import jpeg


def test_checkin_stores_its_assessment_with_the_kb_version(case, alice) -> None:
    checkin = checkin_add(
        case=case,
        user=alice,
        date=timezone.localdate(),
        symptoms=["Swelling"],
        concerns=["asymmetry"],
        pain=3,
        temperature_c="37.24",
    )
    assert checkin.level == "monitor"
    assert checkin.symptoms == ["swelling"]
    assert str(checkin.temperature_c) == "37.2"
    assert checkin.kb_version.startswith("kb-")
    assert checkin.assessment["level"] == "monitor"
    kinds = {f["kind"] for f in checkin.assessment["findings"]}
    assert kinds == {"too-early", "expected"}
    assert all(set(f["message"]) == {"en", "ko"} for f in checkin.assessment["findings"])


def test_red_flag_names_the_patients_emergency_number(case, alice) -> None:
    checkin = checkin_add(case=case, user=alice, date=timezone.localdate(), symptoms=["chest-pain"])
    assert checkin.level == "emergency"
    assert checkin.assessment["next_steps"][0]["en"].startswith("Call 999 now")  # alice is in the UK


def test_a_procedure_done_after_the_checkin_date_is_left_out(alice, surgery_date) -> None:
    case = case_create(
        owner=alice,
        title="Two",
        procedures=[
            ProcedureInput("rhinoplasty", surgery_date),
            ProcedureInput("breast-augmentation", timezone.localdate()),
        ],
    )
    checkin = checkin_add(case=case, user=alice, date=surgery_date + dt.timedelta(days=1), symptoms=["swelling"])
    assert checkin.assessment["procedures"] == ["rhinoplasty"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"symptoms": ["swelin"]}, "did you mean swelling"),
        ({"concerns": ["swelling"]}, "is a symptom, not a concern"),
        ({"temperature_c": "50"}, "outside 30-45"),
        ({"temperature_c": "hot"}, "not a number"),
        ({"pain": 11}, "0 \\(none\\) to 10"),
        ({"date": "future"}, "in the future"),
        ({"date": "before-surgery"}, "No procedure of this case had been done"),
        ({"photos": [PhotoInput(b"not an image", "front", "face")]}, "JPEG, PNG, WebP or HEIC"),
        ({"photos": [PhotoInput(jpeg(), "sideways", "face")]}, "Unknown view"),
    ],
)
def test_bad_checkins_write_nothing(case, alice, surgery_date, media_in_tmp: Path, kwargs, message) -> None:
    date = timezone.localdate()
    if kwargs.get("date") == "future":
        date = date + dt.timedelta(days=1)
    elif kwargs.get("date") == "before-surgery":
        date = surgery_date - dt.timedelta(days=1)
    kwargs.pop("date", None)
    good_photo = PhotoInput(jpeg(), "back", "hips")
    photos = [good_photo, *kwargs.pop("photos", [])]
    with pytest.raises(InvalidInput, match=message):
        checkin_add(case=case, user=alice, date=date, photos=photos, **kwargs)
    assert CheckIn.objects.count() == 0
    assert Photo.objects.count() == 0
    assert not media_in_tmp.exists() or not any(p.is_file() for p in media_in_tmp.rglob("*"))


def test_photo_metadata_is_stripped_and_orientation_applied(case, alice) -> None:
    image = Image.new("RGB", (40, 20), (0, 0, 255))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8769)[0x9003] = "2026:11:01 10:20:30"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (37.0, 30.0, 0.0), "E", (127.0, 2.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    original = buffer.getvalue()
    photo = photo_add(case=case, user=alice, photo=PhotoInput(original, "front", "face"))
    stored = photo.image.read()
    reopened = Image.open(io.BytesIO(stored))
    assert reopened.size == (20, 40) and (photo.width, photo.height) == (20, 40)
    assert not reopened.getexif()
    assert b"PhoneMaker" not in stored
    assert photo.sha256_original == hashlib.sha256(original).hexdigest()
    assert photo.sha256_stored == hashlib.sha256(stored).hexdigest()
    assert photo.taken_on == dt.date(2026, 11, 1)  # read from EXIF before it was removed
    assert not Image.open(io.BytesIO(photo.thumbnail.read())).getexif()


def test_errors_speak_the_readers_language(case, alice) -> None:
    from django.utils import translation

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with translation.override("ko"), pytest.raises(InvalidInput, match="미래"):
        checkin_add(case=case, user=alice, date=tomorrow)
    with translation.override("ko"), pytest.raises(InvalidInput, match="JPEG, PNG, WebP, HEIC"):
        photo_add(
            case=case, user=alice, photo=PhotoInput(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "front", "face")
        )
    with translation.override("en"), pytest.raises(InvalidInput, match="SVG"):  # English keeps the detail
        photo_add(
            case=case, user=alice, photo=PhotoInput(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "front", "face")
        )
