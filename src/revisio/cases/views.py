"""Pages of the case record. Thin: forms check types, services write, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revisio.audit import services as audit
from revisio.audit.models import Action
from revisio.cases import selectors, services
from revisio.cases.access import Part
from revisio.cases.forms import CaseForm, CaseVersionForm, DeviceForm, DocumentForm, ProcedureFormSet
from revisio.cases.models import Case
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


def _procedure_initial(case: Case) -> list[dict[str, object]]:
    return [
        {"procedure": p.procedure, "surgery_date": p.surgery_date, "anaesthesia": p.anaesthesia}
        for p in case.procedures.all()
    ]


def _unsaved_changes(form: CaseForm, procedures: ProcedureFormSet, current: Case) -> list[tuple[str, str]]:
    """What the person typed that differs from the case as it is now: shown beside the current values
    after a conflict, so nothing they typed is lost."""
    unsaved = []
    for name, value in form.cleaned_data.items():
        typed, saved = ("" if value is None else str(value).strip()), getattr(current, name)
        if typed != ("" if saved is None else str(saved)):
            unsaved.append((str(form.fields[name].label), typed))
    typed_procedures = [(p.procedure, p.surgery_date, p.anaesthesia) for p in _procedure_inputs(procedures)]
    saved_procedures = [(p.procedure, p.surgery_date, p.anaesthesia) for p in current.procedures.all()]
    if sorted(typed_procedures) != sorted(saved_procedures):
        listed = "; ".join(f"{procedure} ({date.isoformat()})" for procedure, date, _a in typed_procedures)
        unsaved.append((_("Procedures"), listed))
    return unsaved


@login_required
def case_edit(request: HttpRequest, case_id: str) -> HttpResponse:
    """The edit form carries the case's version; a save over a newer version shows what the case holds
    now and what was typed (409), instead of silently undoing the other change."""
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    form = CaseForm(request.POST or None, instance=case)
    procedures = ProcedureFormSet(request.POST or None, prefix="procedures", initial=_procedure_initial(case))
    version = CaseVersionForm(request.POST or None, initial={"version": case.version})
    context: dict[str, object] = {}
    if request.method == "POST" and form.is_valid() and procedures.is_valid() and version.is_valid():
        try:
            services.case_update(
                case=case,
                expected_version=version.cleaned_data["version"],
                procedures=_procedure_inputs(procedures),
                **form.cleaned_data,
            )
        except services.CaseChanged as changed:
            current = changed.current
            context = {"conflict": changed.message, "unsaved": _unsaved_changes(form, procedures, current)}
            form = CaseForm(instance=current)
            procedures = ProcedureFormSet(prefix="procedures", initial=_procedure_initial(current))
            version = CaseVersionForm(initial={"version": current.version})
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The case is saved."))
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "cases/case_form.html",
        {"form": form, "procedures": procedures, "case": case, "version": version, **context},
        status=409 if context else 200,
    )


@login_required
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_page(case=selectors.case_get_for_user(user=request.user, case_id=case_id, part=Part.CLINICAL))
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
            "opinions": selectors.opinions_for_user(case=case, user=request.user),
            "may_give_opinion": selectors.may_give_opinion(case=case, user=request.user),
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
    audit.access_detail(
        action=Action.DOWNLOAD, object_type="document", object_id=document.pk, date=document.document_date
    )
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
