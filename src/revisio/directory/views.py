"""Directory pages: clinics for everyone signed in, translators for coordinators and staff, the case's
treating clinic and referrals for its owner, the referrals an agency sees, and the staff's CSV import."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from revisio.accounts.models import Role
from revisio.cases.models import Case
from revisio.cases.selectors import case_get_for_user
from revisio.directory import selectors, services
from revisio.directory.csvfile import MAX_BYTES, Kind
from revisio.directory.forms import (
    ClinicFilterForm,
    ClinicSearchForm,
    ImportForm,
    ReferralForm,
    ReferralStatusForm,
    TranslatorFilterForm,
    TreatingForm,
)
from revisio.directory.models import ReferralStatus
from revisio.web.errors import DomainError

FOUND_ON_CASE_PAGE = 20


@login_required
def clinics(request: HttpRequest) -> HttpResponse:
    form = ClinicFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.clinics_search(
        text=filters.get("q", ""),
        city=filters.get("city", ""),
        country=filters.get("country", ""),
        specialty=filters.get("specialty", ""),
        language=filters.get("language", ""),
    )
    page = Paginator(found, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/clinics.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_see_translators": selectors.may_see_translators(request.user),
            "is_coordinator": getattr(request.user, "role", None) == Role.COORDINATOR,
        },
    )


@login_required
def clinic(request: HttpRequest, clinic_id: str) -> HttpResponse:
    return render(request, "directory/clinic.html", {"clinic": selectors.clinic_get(clinic_id=clinic_id)})


@login_required
def translators(request: HttpRequest) -> HttpResponse:
    form = TranslatorFilterForm(request.GET or None)
    language = form.cleaned_data["language"] if form.is_valid() else ""
    found = selectors.translators_for_user(user=request.user, language=language)
    page = Paginator(found, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({"language": language}) if language else ""
    return render(request, "directory/translators.html", {"form": form, "page": page, "query": query})


@login_required
def case_clinic(request: HttpRequest, case_id: str) -> HttpResponse:
    """The case's treating clinic and second-opinion referrals (the owner only)."""
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    if request.method == "POST":
        _case_clinic_change(request, case)
        return redirect("directory:case_clinic", case_id=case.pk)
    search = ClinicSearchForm(request.GET or None)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    treating = selectors.treating_clinic_of(case=case)
    return render(
        request,
        "directory/case_clinic.html",
        {
            "case": case,
            "treating": treating,
            "search": search,
            "searched": bool(text),
            "found": list(selectors.clinics_search(text=text)[:FOUND_ON_CASE_PAGE]) if text else [],
            "referrals": selectors.referrals_of(case=case),
            "referral_form": ReferralForm(),
            "statuses": ReferralStatus,
        },
    )


def _case_clinic_change(request: HttpRequest, case: Case) -> None:
    """One change the case clinic page's forms ask for, reported as a message."""
    action = request.POST.get("action")
    forms = {"treating": TreatingForm, "refer": ReferralForm, "status": ReferralStatusForm, "clear": None}
    if action not in forms:
        messages.error(request, _("Choose what to do: mark a treating clinic, or ask a clinic for a second opinion."))
        return
    form_class = forms[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        problems = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        messages.error(request, _("Nothing was changed: %(problems)s") % {"problems": problems})
        return
    data = form.cleaned_data if form is not None else {}
    user = request.user
    try:
        if action == "treating":
            chosen = selectors.clinic_get(clinic_id=data["clinic"])
            services.treating_clinic_set(case=case, clinic=chosen, user=user)  # type: ignore[arg-type]
            messages.success(request, _("%(clinic)s is marked as your treating clinic.") % {"clinic": chosen})
        elif action == "clear":
            services.treating_clinic_clear(case=case)
            messages.success(request, _("No clinic is marked as treating this case now."))
        elif action == "refer":
            chosen = selectors.clinic_get(clinic_id=data["clinic"])
            services.referral_request(case=case, clinic=chosen, user=user, reason=data["reason"])  # type: ignore[arg-type]
            messages.success(
                request, _("Your request for a second opinion at %(clinic)s is recorded.") % {"clinic": chosen}
            )
        else:
            referral = selectors.referral_get(case=case, referral_id=data["referral"])
            services.referral_status_set(referral=referral, status=ReferralStatus(data["status"]))
            messages.success(request, _("The referral is updated."))
    except DomainError as error:
        messages.error(request, error.message)


@login_required
def referrals(request: HttpRequest) -> HttpResponse:
    """Referrals of the cases shared with the coordinator's agencies (read-only)."""
    found = selectors.referrals_for_coordinator(user=request.user)
    page = Paginator(found, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [selectors.shared_referral(referral) for referral in page.object_list]
    return render(request, "directory/referrals.html", {"page": page, "rows": rows})


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Staff upload a CSV of clinics or translators; the report lists every bad row."""
    if not request.user.is_staff:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_BYTES:
                form.add_error("file", _("The file is larger than %(max)s MB: split it.") % {"max": MAX_BYTES >> 20})
            else:
                try:
                    report = services.directory_import(
                        kind=Kind(form.cleaned_data["kind"]), data=upload.read(), skip_bad=form.cleaned_data["skip_bad"]
                    )
                except DomainError as error:
                    form.add_error("file", error.message)
        refused = report is not None and report.errors and not report.imported
        status = 400 if form.errors or refused else 200
    return render(request, "directory/import.html", {"form": form, "report": report}, status=status)
