"""Pages of the case record. Thin: forms check types, services write, selectors read."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revisio.accounts.models import Role, User
from revisio.cases import selectors, services
from revisio.cases.forms import CaseForm, DeviceForm, DocumentForm, ProcedureFormSet, ShareForm
from revisio.cases.services import ProcedureInput
from revisio.escalation import selectors as escalation_selectors
from revisio.escalation import services as escalation_services
from revisio.recovery.overview import case_overview
from revisio.web.errors import InvalidInput
from revisio.web.files import read_upload
from revisio.web.forms import add_domain_error


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = selectors.case_list_for_user(user=request.user)
    return render(request, "cases/case_list.html", {"cases": cases})


def _procedure_inputs(formset: ProcedureFormSet) -> list[ProcedureInput]:
    return [
        ProcedureInput(f.cleaned_data["procedure"], f.cleaned_data["surgery_date"], f.cleaned_data["anaesthesia"])
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    form = CaseForm(request.POST or None)
    procedures = ProcedureFormSet(request.POST or None, prefix="procedures")
    if request.method == "POST" and form.is_valid() and procedures.is_valid():
        try:
            case = services.case_create(
                owner=request.user,  # type: ignore[arg-type]
                procedures=_procedure_inputs(procedures),
                **form.cleaned_data,
            )
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Your case is created. Add a first check-in when you are ready."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "procedures": procedures, "creating": True})


@login_required
def case_edit(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    initial = [
        {"procedure": p.procedure, "surgery_date": p.surgery_date, "anaesthesia": p.anaesthesia}
        for p in case.procedures.all()
    ]
    form = CaseForm(request.POST or None, instance=case)
    procedures = ProcedureFormSet(request.POST or None, prefix="procedures", initial=initial)
    if request.method == "POST" and form.is_valid() and procedures.is_valid():
        try:
            services.case_update(case=case, procedures=_procedure_inputs(procedures), **form.cleaned_data)
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The case is saved."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "procedures": procedures, "case": case})


@login_required
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_page(case=selectors.case_get_for_user(user=request.user, case_id=case_id))
    today = timezone.localdate()
    overview = case_overview(case, today=today, language=(get_language() or "en")[:2])
    _, planned, states = escalation_services.plan_seen(case=case, user=request.user, today=today)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "overview": overview,
            "plan_rows": escalation_selectors.plan_rows(planned, states),
            "is_owner": case.owner_id == request.user.pk,
        },
    )


@login_required
def case_delete(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    if request.method == "POST":
        services.case_delete(case=case)
        messages.success(request, _("The case and all its files are deleted."))
        return redirect("home")
    return render(request, "cases/case_confirm_delete.html", {"case": case})


@login_required
def device_add(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    form = DeviceForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        procedure_id = data.pop("procedure")
        try:
            services.device_add(case=case, procedure_id=procedure_id, **data)
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The implant or device is saved."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/device_form.html", {"form": form, "case": case})


@login_required
@require_POST
def device_delete(request: HttpRequest, case_id: str, device_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    services.device_delete(device=selectors.device_get(case=case, device_id=device_id))
    messages.success(request, _("The implant or device is removed."))
    return redirect("cases:detail", case_id=case.pk)


@login_required
def document_add(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.document_add(
                case=case,
                user=request.user,  # type: ignore[arg-type]
                data=read_upload(upload),
                original_name=upload.name or "",
                document_type=form.cleaned_data["document_type"],
                title=form.cleaned_data["title"],
                document_date=form.cleaned_data["document_date"],
            )
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The document is saved."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/document_form.html", {"form": form, "case": case})


@login_required
def document_download(request: HttpRequest, case_id: str, document_id: str) -> FileResponse:
    """Always a download, never rendered inline: a PDF is opened by the reader's own program."""
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    document = selectors.document_get(case=case, document_id=document_id)
    extension = document.file.name[document.file.name.rfind(".") :] if "." in document.file.name else ""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.get_document_type_display()}-{document.pk.hex[:8]}{extension}",
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_delete(request: HttpRequest, case_id: str, document_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    services.document_delete(document=selectors.document_get(case=case, document_id=document_id))
    messages.success(request, _("The document is deleted."))
    return redirect("cases:detail", case_id=case.pk)


@login_required
def shares(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    form = ShareForm(request.POST or None, agencies=selectors.agencies_for_sharing())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        clinician = None
        if data["clinician_email"]:
            clinician = User.objects.filter(email=data["clinician_email"].lower(), role=Role.CLINICIAN).first()
        expires_at = None
        if data["expires_on"]:
            expires_at = timezone.make_aware(dt.datetime.combine(data["expires_on"], dt.time.max))
        if data["clinician_email"] and clinician is None:
            form.add_error("clinician_email", _("No clinician has a Revisio account with this e-mail address."))
        else:
            try:
                services.case_share_create(case=case, agency=data["agency"], clinician=clinician, expires_at=expires_at)
            except InvalidInput as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The case is shared."))
                return redirect("cases:shares", case_id=case.pk)
    return render(
        request,
        "cases/shares.html",
        {"case": case, "form": form, "shares": case.shares.select_related("agency", "clinician")},
    )


@login_required
@require_POST
def share_revoke(request: HttpRequest, case_id: str, share_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    services.case_share_revoke(share=selectors.share_get(case=case, share_id=share_id))
    messages.success(request, _("Sharing is stopped."))
    return redirect("cases:shares", case_id=case.pk)
