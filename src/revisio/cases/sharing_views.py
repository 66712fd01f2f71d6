"""Sharing pages: shares with their scope, invitation links for clinicians, accepting one, and clinicians'
second opinions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revisio.accounts.models import Role, User
from revisio.cases import selectors, services, sharing
from revisio.cases.access import Part
from revisio.cases.forms import InviteForm, ShareForm
from revisio.cases.models import Case, ShareScope
from revisio.web.errors import InvalidInput, NotFound
from revisio.web.forms import add_domain_error


def _page(request: HttpRequest, case: Case, form: ShareForm, invite_form: InviteForm, **extra: object) -> HttpResponse:
    return render(
        request,
        "cases/shares.html",
        {
            "case": case,
            "form": form,
            "invite_form": invite_form,
            "shares": case.shares.select_related("agency", "clinician"),
            "invites": selectors.invites_of(case=case),
            **extra,
        },
    )


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
            form.add_error(
                "clinician_email",
                _("No clinician has a Revisio account with this e-mail address: send them an invitation link instead."),
            )
        else:
            try:
                services.case_share_create(
                    case=case, agency=data["agency"], clinician=clinician, expires_at=expires_at, scope=data["scope"]
                )
            except InvalidInput as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The case is shared."))
                return redirect("cases:shares", case_id=case.pk)
    return _page(request, case, form, InviteForm())


@login_required
@require_POST
def share_revoke(request: HttpRequest, case_id: str, share_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    services.case_share_revoke(share=selectors.share_get(case=case, share_id=share_id))
    messages.success(request, _("Sharing is stopped."))
    return redirect("cases:shares", case_id=case.pk)


@login_required
@require_POST
def invite_create(request: HttpRequest, case_id: str) -> HttpResponse:
    """Make an invitation link and show it once: only its hash is kept, so it cannot be shown again."""
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    invite_form = InviteForm(request.POST)
    link = None
    if invite_form.is_valid():
        data = invite_form.cleaned_data
        try:
            _invite, secret = sharing.invite_create(
                case=case,
                scope=data["scope"],
                link_days=data["link_days"],
                share_until=data["share_until"],
                note=data["note"],
            )
        except InvalidInput as error:
            add_domain_error(invite_form, error)
        else:
            link = request.build_absolute_uri(reverse("invite", args=[secret]))
            invite_form = InviteForm()
    form = ShareForm(agencies=selectors.agencies_for_sharing())
    return _page(request, case, form, invite_form, new_link=link)


@login_required
@require_POST
def invite_revoke(request: HttpRequest, case_id: str, invite_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    sharing.invite_revoke(invite=selectors.invite_get(case=case, invite_id=invite_id))
    messages.success(request, _("The link no longer works."))
    return redirect("cases:shares", case_id=case.pk)


@login_required
def invite(request: HttpRequest, secret: str) -> HttpResponse:
    """An invitation link, opened by a signed-in person: a clinician accepts it; anyone else is told why not."""
    try:
        invitation = sharing.invite_open(secret=secret)
    except NotFound as error:
        return render(request, "cases/invite.html", {"error": error.message}, status=404)
    is_clinician = request.user.role == Role.CLINICIAN  # type: ignore[union-attr]
    if request.method == "POST" and is_clinician:
        try:
            share = sharing.invite_accept(secret=secret, user=request.user)  # type: ignore[arg-type]
        except (InvalidInput, NotFound) as error:
            return render(request, "cases/invite.html", {"error": error.message}, status=400)
        messages.success(request, _("The case is shared with you."))
        if share.scope == ShareScope.PHOTOS:
            return redirect("diary:photos", case_id=share.case_id)
        return redirect("cases:detail", case_id=share.case_id)
    status = 200 if is_clinician else 400
    return render(
        request,
        "cases/invite.html",
        {"invitation": invitation, "is_clinician": is_clinician, "scope": ShareScope(invitation.scope).label},
        status=status,
    )


@login_required
@require_POST
def opinion_add(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, part=Part.PHOTOS)
    try:
        sharing.opinion_add(case=case, author=request.user, text=request.POST.get("text", ""))  # type: ignore[arg-type]
    except NotFound:  # the patient, or a coordinator: no opinion to give here
        raise Http404 from None
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your opinion is with the patient."))
    if case.access.allows(Part.CLINICAL):  # type: ignore[attr-defined]
        return redirect("cases:detail", case_id=case.pk)
    return redirect("diary:photos", case_id=case.pk)
