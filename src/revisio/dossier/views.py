"""Dossier pages: the list with build status, asking for a new one, and access-checked downloads.

Everyone who may see the case (its owner, and agencies or clinicians it is shared with) may list
and download its dossiers; only the owner may ask for a new one.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revisio.cases.selectors import case_get_for_user
from revisio.dossier import downloads, selectors, services
from revisio.web.errors import Conflict


@login_required
def dossier_list(request: HttpRequest, case_id: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id)
    dossiers = list(selectors.dossier_list(case=case))
    return render(
        request,
        "dossier/dossier_list.html",
        {
            "case": case,
            "dossiers": dossiers,
            "is_owner": case.owner_id == request.user.pk,
            "running": any(d.is_running for d in dossiers),
        },
    )


@login_required
@require_POST
def dossier_create(request: HttpRequest, case_id: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    try:
        services.dossier_request(case=case, user=request.user)  # type: ignore[arg-type]
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The dossier is being built. This page updates by itself."))
    return redirect("dossier:list", case_id=case.pk)


@login_required
def dossier_download(request: HttpRequest, case_id: str, dossier_id: str, kind: str) -> FileResponse:
    """Always an attachment, never shown inline, and never cached by a shared proxy."""
    case = case_get_for_user(user=request.user, case_id=case_id)
    return downloads.file_response(selectors.dossier_get(case=case, dossier_id=dossier_id), kind)
