"""Escalation pages: the plan as a checklist, writing to the clinic, the communications log, applications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revisio import kb
from revisio.cases.access import Part
from revisio.cases.selectors import case_get_for_user
from revisio.engine.messages import Question, compose_pair
from revisio.escalation import selectors, services
from revisio.escalation.forms import ApplicationForm, CommunicationForm, FeeForm, WriteForm
from revisio.escalation.models import Channel, Counterpart, Direction
from revisio.escalation.state import message_facts
from revisio.recovery.adapter import emergency_country
from revisio.recovery.overview import emergency_numbers
from revisio.web.errors import DomainError, InvalidInput
from revisio.web.forms import add_domain_error


@login_required
def plan_page(request: HttpRequest, case_id: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id, part=Part.CLINICAL)
    today = timezone.localdate()
    case, planned, states = services.plan_seen(case=case, user=request.user, today=today)
    return render(
        request,
        "escalation/plan.html",
        {
            "case": case,
            "rows": selectors.plan_rows(planned, states),
            "done_earlier": selectors.done_earlier(planned, states),
            "emergency_numbers": emergency_numbers(emergency_country(case.owner.current_country)),
            "today": today,
            "is_owner": case.owner_id == request.user.pk,
        },
    )


@login_required
@require_POST
def step_toggle(request: HttpRequest, case_id: str, step: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    try:
        services.step_set_done(case=case, step=step, done=request.POST.get("done") == "1", user=request.user)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    if request.POST.get("back") == "case":
        return redirect("cases:detail", case_id=case.pk)
    return redirect("escalation:plan", case_id=case.pk)


@login_required
def write(request: HttpRequest, case_id: str) -> HttpResponse:
    """Compose a message to the clinic in the patient's language and Korean, side by side. Those the
    case is shared with may compose it (a coordinator often writes for the patient); only the owner logs it."""
    case = case_get_for_user(user=request.user, case_id=case_id)
    is_owner = case.owner_id == request.user.pk
    photos = {str(p.pk): p for p in case.photos.prefetch_related("measurements").order_by("taken_on")}
    choices = [(pk, f"{p.taken_on} · {p.get_view_display()} · {p.get_body_area_display()}") for pk, p in photos.items()]
    owner = case.owner
    language = next((lang[:2] for lang in owner.languages if lang[:2] in ("en", "zh", "ja", "ko")), "en")
    form = WriteForm(
        request.POST or None, photo_choices=choices, initial={"language": language, "question": "is-this-normal"}
    )
    pair = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        facts = message_facts(
            case,
            question=Question(data["question"]),
            photos=[photos[pk] for pk in data["photos"]],
            free_text=data["free_text"],
            contact=data["contact"],
        )
        pair = compose_pair(facts, data["language"])
        if request.POST.get("action") == "log":
            if not is_owner:
                raise Http404
            own, korean = pair
            body = own.body if own.language == "ko" else f"{own.body}\n\n----- 한국어 -----\n\n{korean.body}"
            services.communication_add(
                case=case,
                user=request.user,
                direction=Direction.SENT,
                channel=Channel.EMAIL,  # type: ignore[arg-type]
                counterpart=Counterpart.CLINIC,
                counterpart_name=case.clinic_name,
                occurred_on=timezone.localdate(),
                summary=own.subject,
                body=body,
                language=own.language,
                photo_ids=data["photos"],
            )
            messages.success(request, _("The message is saved in the log as sent today."))
            return redirect("escalation:log", case_id=case.pk)
    return render(request, "escalation/write.html", {"case": case, "form": form, "pair": pair, "is_owner": is_owner})


@login_required
def log(request: HttpRequest, case_id: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id)
    is_owner = case.owner_id == request.user.pk
    form = CommunicationForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST":
        if not is_owner:
            raise Http404
        if form.is_valid():
            try:
                services.communication_add(case=case, user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except InvalidInput as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The exchange is in the log."))
                return redirect("escalation:log", case_id=case.pk)
    entries = case.communications.prefetch_related("photos", "documents").order_by("-occurred_on", "-created_at")
    return render(
        request, "escalation/log.html", {"case": case, "entries": entries, "form": form, "is_owner": is_owner}
    )


@login_required
def applications(request: HttpRequest, case_id: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id)
    is_owner = case.owner_id == request.user.pk
    directory = selectors.bodies_for_case(case)
    form = ApplicationForm(
        request.POST if request.method == "POST" else None,
        initial={"status": "preparing"},
        first=[body.id for body in directory],
    )
    fee_form = FeeForm(request.GET or None)
    fee = None
    kmedi = kb.load().complaint_bodies.get("k-medi")
    if fee_form.is_valid() and kmedi is not None and kmedi.fee_schedule is not None:
        fee = kmedi.fee_schedule.fee(fee_form.cleaned_data["claim"])
    if request.method == "POST":
        if not is_owner:
            raise Http404
        if form.is_valid():
            try:
                services.application_save(case=case, **form.cleaned_data)
            except InvalidInput as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The application is saved."))
                return redirect("escalation:applications", case_id=case.pk)
    return render(
        request,
        "escalation/applications.html",
        {
            "case": case,
            "form": form,
            "fee_form": fee_form,
            "fee": fee,
            "kmedi": kmedi,
            "is_owner": is_owner,
            "rows": case.applications.all(),
            "bodies": kb.load().complaint_bodies,
            "directory": directory,
        },
    )
