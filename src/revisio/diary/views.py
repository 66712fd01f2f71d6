"""Diary pages: add a check-in (with photos), see one, and fetch photos (only through access checks)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revisio.cases.access import Part
from revisio.cases.selectors import case_get_for_user, may_give_opinion, opinions_for_user
from revisio.diary import measuring, selectors, services
from revisio.diary.forms import CheckInForm, DatedPhotoFormSet, PhotoFormSet
from revisio.diary.models import MeasurementKind
from revisio.diary.services import PhotoInput
from revisio.diary.serving import photo_response
from revisio.engine.serialise import localise
from revisio.recovery.overview import photos_by_view
from revisio.recovery.trends import case_trends
from revisio.web.errors import InvalidInput
from revisio.web.files import read_upload
from revisio.web.forms import add_domain_error


@login_required
def checkin_add(request: HttpRequest, case_id: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    procedure_ids = [p.procedure for p in case.procedures.all()]
    form = CheckInForm(request.POST or None, procedure_ids=procedure_ids, initial={"date": timezone.localdate()})
    photos = PhotoFormSet(request.POST or None, request.FILES or None, prefix="photos")
    if request.method == "POST" and form.is_valid() and photos.is_valid():
        data = form.cleaned_data
        try:
            uploads = [
                PhotoInput(read_upload(f.cleaned_data["image"]), f.cleaned_data["view"], f.cleaned_data["body_area"])
                for f in photos.forms
                if f.cleaned_data.get("image")
            ]
            checkin = services.checkin_add(
                case=case,
                user=request.user,  # type: ignore[arg-type]
                date=data["date"],
                symptoms=data["symptoms"],
                concerns=data["concerns"],
                pain=data["pain"],
                temperature_c=data["temperature_c"],
                notes=data["notes"],
                photos=uploads,
            )
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Your check-in is saved."))
            return redirect("diary:checkin", case_id=case.pk, checkin_id=checkin.pk)
    return render(request, "diary/checkin_form.html", {"case": case, "form": form, "photos": photos})


@login_required
def photos_add(request: HttpRequest, case_id: str) -> HttpResponse:
    """Photos on their own (before the operation, or between check-ins), each with its date."""
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    photos = DatedPhotoFormSet(request.POST or None, request.FILES or None, prefix="photos")
    error = None
    if request.method == "POST" and photos.is_valid():
        try:
            uploads = [
                PhotoInput(
                    read_upload(f.cleaned_data["image"]),
                    f.cleaned_data["view"],
                    f.cleaned_data["body_area"],
                    f.cleaned_data["taken_on"],
                )
                for f in photos.forms
                if f.cleaned_data.get("image")
            ]
            services.photos_add(case=case, user=request.user, photos=uploads)  # type: ignore[arg-type]
        except InvalidInput as invalid:
            error = invalid.message
        else:
            messages.success(request, _("The photos are saved."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "diary/photos_form.html", {"case": case, "photos": photos, "error": error})


@login_required
def photo_gallery(request: HttpRequest, case_id: str) -> HttpResponse:
    """Every photo by view and date with its measurements over time: the page a photos-only share sees,
    and where a clinician the case is shared with writes a second opinion."""
    case = case_get_for_user(user=request.user, case_id=case_id, part=Part.PHOTOS)
    photos = list(selectors.photos_measured(case=case))
    clinical = case.access.allows(Part.CLINICAL)  # type: ignore[attr-defined]
    surgery_dates = [p.surgery_date for p in case.procedures.all()] if clinical else []
    return render(
        request,
        "diary/photo_gallery.html",
        {
            "case": case,
            "photos_by_view": photos_by_view(photos),
            "trends": case_trends(photos, surgery_dates),
            "clinical": clinical,
            "opinions": opinions_for_user(case=case, user=request.user),
            "may_give_opinion": may_give_opinion(case=case, user=request.user),
        },
    )


@login_required
def checkin_detail(request: HttpRequest, case_id: str, checkin_id: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id, part=Part.CLINICAL)
    checkin = selectors.checkin_get(case=case, checkin_id=checkin_id)
    assessment = localise(checkin.assessment, (get_language() or "en")[:2])
    return render(request, "diary/checkin_detail.html", {"case": case, "checkin": checkin, "assessment": assessment})


def _photo_file(request: HttpRequest, case_id: str, photo_id: str, *, thumbnail: bool) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id, part=Part.PHOTOS)
    return photo_response(case=case, photo=selectors.photo_get(case=case, photo_id=photo_id), thumbnail=thumbnail)


@login_required
def photo_image(request: HttpRequest, case_id: str, photo_id: str) -> HttpResponse:
    return _photo_file(request, case_id, photo_id, thumbnail=False)


@login_required
def photo_thumbnail(request: HttpRequest, case_id: str, photo_id: str) -> HttpResponse:
    return _photo_file(request, case_id, photo_id, thumbnail=True)


@login_required
def photo_measure(request: HttpRequest, case_id: str, photo_id: str) -> HttpResponse:
    """The photo with its landmarks drawn over it; the owner drags them to correct and saves."""
    case = case_get_for_user(user=request.user, case_id=case_id, part=Part.PHOTOS)
    photo = selectors.photo_get(case=case, photo_id=photo_id)
    is_owner = case.owner_id == request.user.pk
    kind = request.POST.get("kind") or request.GET.get("kind") or measuring.measurement_kind(photo)
    error = None
    if request.method == "POST":
        if not is_owner:
            raise Http404
        try:
            landmarks = json.loads(request.POST.get("landmarks") or "")
            if not isinstance(landmarks, dict):
                raise ValueError
        except ValueError:
            error = _("The corrected points could not be read; reload the page and try again.")
        else:
            try:
                measuring.photo_measure_manual(
                    photo=photo,
                    kind=str(kind),
                    landmarks=landmarks,
                    user=request.user,  # type: ignore[arg-type]
                )
            except InvalidInput as invalid:
                error = invalid.message
            else:
                messages.success(request, _("The corrected measurement is saved."))
                return redirect(request.path + f"?kind={kind}")
    history = [m for m in selectors.photo_measurements(photo=photo) if not kind or m.kind == kind]
    current = history[0] if history else None
    landmarks = current.landmarks if current and current.landmarks else measuring.initial_landmarks(photo, str(kind))
    return render(
        request,
        "diary/photo_measure.html",
        {
            "case": case,
            "photo": photo,
            "kind": kind,
            "kinds": MeasurementKind.choices,
            "current": current,
            "history": history,
            "landmarks": landmarks,
            "is_owner": is_owner,
            "error": error,
        },
    )


@login_required
@require_POST
def photo_delete(request: HttpRequest, case_id: str, photo_id: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    services.photo_delete(photo=selectors.photo_get(case=case, photo_id=photo_id))
    messages.success(request, _("The photo is deleted."))
    return redirect("cases:detail", case_id=case.pk)
