"""Sign-up, sign-in, the lockout page, password change and reset, profile and personal access tokens.
The second sign-in step and its set-up are in ``two_factor_views``."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revisio.accounts import lockout, selectors, services
from revisio.accounts.forms import EmailAuthenticationForm, ProfileForm, SignUpForm, TokenForm
from revisio.accounts.models import Role, User
from revisio.accounts.selectors import SignInStep


def next_url(request: HttpRequest, default: str = "home") -> str:
    """The ``next`` address from the query or form if it stays on this site, else ``default`` (a URL name)."""
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


def session_is_verified(request: HttpRequest) -> bool:
    """The session has passed every sign-in step the account has (``TwoFactorMiddleware`` keeps any other
    session away from most pages; views that hand out lasting access check again)."""
    user = request.user
    verified = bool(getattr(user, "is_verified", lambda: False)())
    return selectors.sign_in_step(user=user, verified=verified) is SignInStep.COMPLETE  # type: ignore[arg-type]


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The page for a locked-out e-mail address and client address (django-axes' ``AXES_LOCKOUT_CALLABLE``).

    The time is shown in UTC: the visitor is not signed in, and naming the account's own time zone would
    tell a stranger something about it.
    """
    email = lockout.username_of(request, credentials)
    ends = lockout.lockout_ends_at(request, email=email) or timezone.now() + settings.AXES_COOLOFF_TIME
    minutes = max(1, -(-int((ends - timezone.now()).total_seconds()) // 60))
    context = {"until": ends.astimezone(dt.UTC).strftime("%H:%M"), "minutes": minutes}
    return render(request, "accounts/locked_out.html", context, status=429)


def password_failure_counts(request: HttpRequest, form: Form) -> HttpResponse | None:
    """A wrong current password on a form of a signed-in session counts like a failed sign-in, so a stolen
    session cannot be used to guess the password; returns the lockout page once the limit is reached."""
    if not form.has_error("password", "wrong_password") and not form.has_error("old_password", "password_incorrect"):
        return None
    user: User = request.user  # type: ignore[assignment]
    if lockout.failure_record(request, email=user.email):
        logout(request)
        return locked_out(request, None, {"username": user.email})
    return None


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = EmailAuthenticationForm

    def form_valid(self, form: EmailAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        user: User = form.get_user()
        if selectors.sign_in_step(user=user, verified=False) is SignInStep.NEEDS_CODE:
            return redirect(
                reverse("accounts:two_factor_verify") + "?" + urlencode({REDIRECT_FIELD_NAME: self.get_success_url()})
            )
        lockout.failures_forget(self.request, email=user.email)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view: the new password must pass the validators, and ``update_session_auth_hash`` keeps this
    session while every other session of the account ends (their stored password hash no longer matches)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(
            self.request, _("Your password is changed. Everywhere else you were signed in, you are now signed out.")
        )
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        return password_failure_counts(self.request, form) or super().form_invalid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; a successful reset also lifts a lockout of the account from every address, since whoever
    reads the mailbox has proved who they are."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        lockout.failures_forget_everywhere(email=form.user.email)
        return response


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
    context = {
        "form": form,
        "two_factor_enabled": selectors.two_factor_enabled(user),
        "two_factor_required": selectors.two_factor_required(user),
    }
    return render(request, "accounts/profile.html", context)


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and not session_is_verified(request):
        # A token outlives the session and skips the second factor: only a fully signed-in session may make one.
        return redirect(reverse("accounts:two_factor_verify") + "?" + urlencode({REDIRECT_FIELD_NAME: request.path}))
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
