"""Reads of the diary, always scoped to a case the caller already reached through
``case_get_for_user``: a check-in or photo of another case is a 404."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from revisio.cases.models import Case
from revisio.diary.models import CheckIn, Photo, PhotoMeasurement
from revisio.web.lookup import one_or_404


def checkin_get(*, case: Case, checkin_id: object) -> CheckIn:
    return one_or_404(CheckIn.objects.filter(case=case).prefetch_related("photos"), checkin_id)


def photo_get(*, case: Case, photo_id: object) -> Photo:
    return one_or_404(Photo.objects.filter(case=case), photo_id)


def photo_measurements(*, photo: Photo) -> list[PhotoMeasurement]:
    """A photo's measurements, newest first (corrections add rows; the newest counts)."""
    return list(photo.measurements.select_related("measured_by", "photo__case").order_by("-created_at"))


def photos_measured(*, case: Case) -> QuerySet[Photo]:
    """The case's photos by date with their measurements prefetched (newest first per photo)."""
    newest_first = PhotoMeasurement.objects.order_by("-created_at")
    return case.photos.order_by("taken_on", "created_at").prefetch_related(
        Prefetch("measurements", queryset=newest_first)
    )
