"""Photos are measured after upload when a model can; people correct the points; the case page
plots the measurements over time."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import matplotlib
import pytest
from django.urls import reverse
from django.utils import timezone

from revisio.demo.images import back_view_figure, silhouette_back_view
from revisio.diary.measuring import measurement_kind, photo_measure_manual
from revisio.diary.models import MeasurementStatus, Photo, PhotoMeasurement
from revisio.diary.services import PhotoInput, checkin_add, photo_add
from tests.cast import client_for, jpeg

GRACE_HOPPER = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"


@pytest.mark.parametrize(
    ("view", "area", "kind"),
    [
        ("front", "face", "face"),
        ("front", "nose", "face"),
        ("top", "head", "head-top"),
        ("front", "breasts", "breast"),
        ("back", "hips", "body"),
        ("front", "abdomen", "body"),
        ("left", "face", None),
        ("close-up", "skin", None),
    ],
)
def test_the_measure_that_fits_a_photo(view: str, area: str, kind: str | None) -> None:
    assert measurement_kind(Photo(view=view, body_area=area)) == kind


def test_photos_are_measured_after_upload(case, alice, settings, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    settings.REVISIO_JOBS_ENABLED = True
    with django_capture_on_commit_callbacks(execute=True):
        face = photo_add(case=case, user=alice, photo=PhotoInput(GRACE_HOPPER.read_bytes(), "front", "face"))
        drawing = photo_add(case=case, user=alice, photo=PhotoInput(jpeg(200, 300), "back", "hips"))
        breast = photo_add(case=case, user=alice, photo=PhotoInput(jpeg(200, 300), "front", "breasts"))
    measured = face.measurements.get()
    assert measured.status == MeasurementStatus.DONE and measured.landmarks_source == "auto"
    assert measured.kind == "face" and "brow_height_left_mm" in measured.metrics
    failed = drawing.measurements.get()
    assert failed.status == MeasurementStatus.FAILED and failed.error  # says why, so a person can mark points
    assert not breast.measurements.exists()  # breast points are always marked by hand


def test_a_failed_job_never_breaks_the_upload(
    case, alice, settings, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    settings.REVISIO_JOBS_ENABLED = True

    def explode(photo_id: str) -> None:
        raise RuntimeError("model crashed")

    monkeypatch.setattr("revisio.diary.measuring.photo_measure_auto", explode)
    with django_capture_on_commit_callbacks(execute=True):
        photo = photo_add(case=case, user=alice, photo=PhotoInput(GRACE_HOPPER.read_bytes(), "front", "face"))
    assert Photo.objects.filter(pk=photo.pk).exists()


def _drawn_photo(case, alice, shape):  # type: ignore[no-untyped-def]
    return photo_add(case=case, user=alice, photo=PhotoInput(silhouette_back_view(**shape), "back", "hips"))


def test_correcting_points_on_the_photo_page(case, alice, carol, agency) -> None:  # type: ignore[no-untyped-def]
    from revisio.cases.services import case_share_create

    case_share_create(case=case, agency=agency)
    shape = {"hip_left": 0.9, "hip_right": 1.1}
    photo = _drawn_photo(case, alice, shape)
    url = reverse("diary:photo_measure", args=[case.pk, photo.pk])
    client = client_for(alice)
    page = client.get(url)
    assert page.status_code == 200 and 'id="landmarks-data"' in page.content.decode()
    landmarks = back_view_figure(**shape).landmarks()
    response = client.post(url, {"kind": "body", "landmarks": json.dumps(landmarks)})
    assert response.status_code == 302
    saved = photo.measurements.get()
    assert saved.landmarks_source == "manual" and saved.measured_by == alice
    assert saved.metrics["hip_width_right"] > saved.metrics["hip_width_left"]  # back view: the right hip is bigger
    assert saved.landmarks["outline"]  # the silhouette is kept, so it can be corrected again
    shown = client.get(response["Location"]).content.decode()
    assert "Hip asymmetry index" in shown and "Not validated" in shown
    # A coordinator the case is shared with sees the measurement but cannot change it.
    assert client_for(carol).get(url).status_code == 200
    assert client_for(carol).post(url, {"kind": "body", "landmarks": json.dumps(landmarks)}).status_code == 404
    assert photo.measurements.count() == 1


@pytest.mark.parametrize(
    ("landmarks", "message"),
    [
        ("not json", "could not be read"),
        (json.dumps([1, 2]), "could not be read"),
        (json.dumps({"outline": [[1, 1], [2, 2], [1, 2]]}), "shoulder_left"),
    ],
)
def test_bad_corrections_are_explained_and_store_nothing(case, alice, landmarks: str, message: str) -> None:  # type: ignore[no-untyped-def]
    photo = _drawn_photo(case, alice, {})
    url = reverse("diary:photo_measure", args=[case.pk, photo.pk])
    response = client_for(alice).post(url, {"kind": "body", "landmarks": landmarks})
    assert response.status_code == 200 and message in response.content.decode()
    assert not PhotoMeasurement.objects.exists()


def test_breast_points_start_where_they_usually_are(case, alice) -> None:  # type: ignore[no-untyped-def]
    photo = photo_add(case=case, user=alice, photo=PhotoInput(jpeg(300, 400), "front", "breasts"))
    page = client_for(alice).get(reverse("diary:photo_measure", args=[case.pk, photo.pk])).content.decode()
    data = json.loads(page.split('id="landmarks-data" type="application/json">')[1].split("</script>")[0])
    assert set(data) == {"sternal_notch", "nipple_left", "nipple_right", "contour_lowest_left", "contour_lowest_right"}
    assert data["nipple_left"][0] > data["nipple_right"][0]  # the patient's left on the image's right


def test_case_page_plots_measurements_and_compares_first_and_latest(case, alice, surgery_date) -> None:  # type: ignore[no-untyped-def]
    for days, shape in ((3, {"swelling": 1.0}), (14, {"swelling": 0.5, "hip_left": 0.9, "hip_right": 1.1})):
        checkin = checkin_add(
            case=case,
            user=alice,
            date=surgery_date + dt.timedelta(days=days),
            photos=[PhotoInput(silhouette_back_view(**shape), "back", "hips")],
        )
        photo_measure_manual(
            photo=checkin.photos.get(), kind="body", landmarks=back_view_figure(**shape).landmarks(), user=alice
        )
    html = client_for(alice).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="charts-body"' in html and html.count('<svg class="chart"') == 3
    assert "not validated" in html
    assert 'data-testid="compare"' in html
    assert timezone.localdate() >= surgery_date


def test_photos_from_before_the_operation_can_be_added(case, alice, surgery_date) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = (surgery_date - dt.timedelta(days=20)).isoformat()
    data = {
        "photos-TOTAL_FORMS": "2",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "12",
        "photos-0-image": SimpleUploadedFile("pre.jpg", jpeg(200, 300)),
        "photos-0-view": "back",
        "photos-0-body_area": "hips",
        "photos-0-taken_on": before,
        "photos-1-view": "front",
        "photos-1-body_area": "hips",
    }
    response = client_for(alice).post(reverse("diary:photos_add", args=[case.pk]), data)
    assert response.status_code == 302
    photo = case.photos.get()
    assert photo.taken_on.isoformat() == before and photo.checkin is None
    bad = dict(data, **{"photos-0-image": SimpleUploadedFile("x.jpg", b"%PDF-1.4 not a photo")})
    page = client_for(alice).post(reverse("diary:photos_add", args=[case.pk]), bad)
    assert page.status_code == 200 and case.photos.count() == 1
