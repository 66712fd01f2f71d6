"""The "Your data" page (export everything, download it) and deleting the account. Owner only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from revisio.accounts.models import User
from revisio.rights import selectors, services
from revisio.rights.forms import AccountDeleteForm
from revisio.web.errors import Conflict


@login_required
def data(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    exports = list(selectors.exports_for_user(user=user))
    return render(
        request,
        "rights/data.html",
        {"exports": exports, "running": any(e.is_running for e in exports), "keep_days": services.KEEP_DAYS},
    )


@login_required
@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    try:
        services.export_request(user=request.user)  # type: ignore[arg-type]
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your data is being prepared. This page updates by itself."))
    return redirect("rights:data")


@login_required
def export_download(request: HttpRequest, export_id: str) -> FileResponse:
    """Always an attachment, never cached by a shared proxy; 404 unless finished and not expired."""
    export = selectors.export_get_for_user(user=request.user, export_id=export_id)  # type: ignore[arg-type]
    if not export.is_downloadable:
        raise Http404
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"revisio-data-{timezone.localdate(export.finished_at or export.created_at)}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def export_delete(request: HttpRequest, export_id: str) -> HttpResponse:
    services.export_delete(export=selectors.export_get_for_user(user=request.user, export_id=export_id))  # type: ignore[arg-type]
    messages.success(request, _("The copy of your data is deleted."))
    return redirect("rights:data")


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = AccountDeleteForm(request.POST or None, request=request, user=user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=user)
        # Not logout(): it would announce a sign-out of an account that no longer exists. The session
        # row is already gone with the others; this drops the cookie's session too.
        request.session.flush()
        request.user = AnonymousUser()
        messages.success(request, _("Your account and everything in it are deleted."))
        return redirect("home")
    return render(
        request,
        "rights/account_delete.html",
        {
            "form": form,
            "word": pgettext("confirmation word", "delete"),
            "cases": user.cases.count(),
            "role": user.role,
            "data_url": reverse("rights:data"),
        },
    )
