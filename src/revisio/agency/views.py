"""Agency pages: the dashboard of shared cases, and the agency's panel of one case. Coordinators only;
everyone else gets 404, as for any case they cannot see."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revisio.agency import selectors, services
from revisio.agency.forms import AssignmentForm, FilterForm, NoteForm
from revisio.audit import services as audit
from revisio.cases.access import Part
from revisio.web.errors import InvalidInput
from revisio.web.forms import add_domain_error
from revisio.web.templatetags.revisio import procedure_name


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    agency = selectors.agency_for_coordinator(user=request.user, agency_id=request.GET.get("agency"))
    coordinators = list(selectors.agency_coordinators(agency=agency))
    procedures = [(p, procedure_name(p)) for p in selectors.dashboard_procedures(agency=agency)]
    form = FilterForm(request.GET or None, procedures=procedures, coordinators=coordinators)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400  # a filter that names nothing on offer: say which, show nothing rather than everything
        cases = selectors.dashboard_cases(agency=agency).none()
    else:
        cases = selectors.dashboard_cases(agency=agency, filters=form.filters() if form.is_bound else None)
    page = Paginator(cases, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = selectors.dashboard_rows(agency=agency, cases=list(page.object_list), today=today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "agency/dashboard.html",
        {
            "agency": agency,
            "agencies": list(selectors.coordinator_agencies(request.user)),
            "alerts": selectors.alerts_for_display(selectors.unread_alerts(agency=agency), agency=agency),
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "today": today,
        },
        status=status,
    )


@login_required
@require_POST
def alerts_read(request: HttpRequest) -> HttpResponse:
    """Mark one alert (``alert``) or every unread alert (``all``) of the agency read."""
    agency = selectors.agency_for_coordinator(user=request.user, agency_id=request.POST.get("agency"))
    back = f"{reverse('agency:dashboard')}?agency={agency.pk}"
    if request.POST.get("case"):  # marked on the case's panel: back there
        selectors.agency_case_get(user=request.user, case_id=request.POST["case"], agency_id=agency.pk)
        back = f"{reverse('agency:case', kwargs={'case_id': request.POST['case']})}?agency={agency.pk}"
    if request.POST.get("all"):
        count = services.alerts_mark_read(agency=agency, user=request.user)  # type: ignore[arg-type]
    else:
        try:
            alert_id = int(request.POST.get("alert", ""))
        except ValueError:
            messages.error(request, _("Choose the alert to mark as read."))
            return redirect(back)
        count = services.alerts_mark_read(agency=agency, user=request.user, alert_ids=[alert_id])  # type: ignore[arg-type]
    if count:
        messages.success(request, _("Marked as read."))
    return redirect(back)


@login_required
def case_panel(request: HttpRequest, case_id: str) -> HttpResponse:
    """The agency's side of one case: who is on it, the agency's notes, its unread alerts."""
    agency, case = selectors.agency_case_get(user=request.user, case_id=case_id, agency_id=request.GET.get("agency"))
    access = case.access  # type: ignore[attr-defined]
    audit.case_access_record(
        user=request.user,
        case_id=case.pk,
        owner_id=case.owner_id,
        write=request.method == "POST",
        part=Part.IDENTIFYING if access.identified else Part.CLINICAL if access.clinical else Part.PHOTOS,
    )
    coordinators = list(selectors.agency_coordinators(agency=agency))
    translators = list(selectors.translators_to_assign(agency=agency))
    assignment = selectors.case_assignment(agency=agency, case=case)
    initial = {
        "coordinator": assignment.coordinator_id if assignment else None,
        "translator": getattr(assignment, "translator_id", None),
    }
    action = request.POST.get("action") if request.method == "POST" else None
    assign_form = AssignmentForm(
        request.POST if action == "assign" else None,
        initial=initial,
        coordinators=coordinators,
        translators=translators,
    )
    note_form = NoteForm(request.POST if action == "note" else None)
    here = f"{reverse('agency:case', kwargs={'case_id': case.pk})}?agency={agency.pk}"
    status = 200
    if action == "assign":
        if assign_form.is_valid():
            try:
                services.assignment_set(
                    agency=agency,
                    case=case,
                    coordinator_id=assign_form.cleaned_data["coordinator"],
                    translator_id=assign_form.cleaned_data["translator"],
                )
            except InvalidInput as error:
                add_domain_error(assign_form, error)
            else:
                messages.success(request, _("Saved who is on this case."))
                return redirect(here)
        status = 400
    elif action == "note":
        if note_form.is_valid():
            try:
                services.note_add(agency=agency, case=case, author=request.user, text=note_form.cleaned_data["text"])  # type: ignore[arg-type]
            except InvalidInput as error:
                add_domain_error(note_form, error)
            else:
                messages.success(request, _("The note is saved for your agency."))
                return redirect(here)
        status = 400
    elif request.method == "POST":
        messages.error(request, _("Nothing was saved: use the form for the assignment or for a note."))
        status = 400
    return render(
        request,
        "agency/case.html",
        {
            "agency": agency,
            "case": case,
            "access": access,
            "latest": selectors.latest_checkin(case=case),
            "assignment": assignment,
            "assign_form": assign_form,
            "note_form": note_form,
            "notes": list(selectors.agency_notes(agency=agency, case=case)),
            "alerts": selectors.alerts_for_display(selectors.unread_alerts(agency=agency, case=case), agency=agency),
        },
        status=status,
    )
