"""Sign-up, profile and personal access tokens. Sign-in, sign-out and password reset are Django's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revisio.accounts import selectors, services
from revisio.accounts.forms import ProfileForm, SignUpForm, TokenForm
from revisio.accounts.models import Role, User


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.user_create(
            email=data["email"],
            password=data["password1"],
            display_name=data["display_name"],
            role=Role(data["role"]),
            languages=data["languages"],
            current_country=data["current_country"],
            country_of_residence=data["country_of_residence"],
            time_zone=data["time_zone"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Revisio."))
        return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    initial = {
        "display_name": user.display_name,
        "languages": user.languages,
        "current_country": user.current_country,
        "country_of_residence": user.country_of_residence,
        "time_zone": user.time_zone,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.user_update_preferences(user=user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = services.api_token_create(user=user, name=form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "secret": secret, "tokens": selectors.api_tokens_for_user(user=user)},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    token = selectors.api_token_get_for_user(user=request.user, token_id=token_id)  # type: ignore[arg-type]
    services.api_token_revoke(token=token)
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:tokens")
