"""Sign-up, sign-in, profile and two-factor forms."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from revisio.accounts.models import Role, User
from revisio.web.countries import country_choices

# Languages a patient may read, first those Revisio's messages to clinics are written in.
READING_LANGUAGES = ["en", "ko", "zh-hans", "ja", "zh-hant", "ru", "vi", "th", "id", "mn", "ar", "es", "fr", "de"]


def language_choices() -> list[tuple[str, str]]:
    return [
        (code, f"{get_language_info(code)['name_local']} ({get_language_info(code)['name_translated']})")
        for code in READING_LANGUAGES
    ]


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name or name == "UTC"]


class PreferencesMixin(forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("Languages you read"), required=False, widget=forms.CheckboxSelectMultiple
    )
    current_country = forms.ChoiceField(
        label=_("Country you are in now"),
        required=False,
        help_text=_("Used to name the right emergency number."),
    )
    country_of_residence = forms.ChoiceField(label=_("Country you live in"), required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), initial="UTC")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]
        self.fields["current_country"].choices = country_choices()  # type: ignore[attr-defined]
        self.fields["country_of_residence"].choices = country_choices()  # type: ignore[attr-defined]
        self.fields["time_zone"].choices = time_zone_choices()  # type: ignore[attr-defined]


class SignUpForm(PreferencesMixin):
    email = forms.EmailField(label=_("E-mail address"))
    display_name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    role = forms.ChoiceField(
        label=_("I am"),
        choices=[(Role.PATIENT, _("a patient")), (Role.CLINICIAN, _("a clinician"))],
        initial=Role.PATIENT,
        widget=forms.RadioSelect,
    )
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    field_order = [
        "email",
        "display_name",
        "role",
        "password1",
        "password2",
        "languages",
        "current_country",
        "country_of_residence",
        "time_zone",
    ]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists. Sign in instead."))
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = User(email=cleaned.get("email", ""), display_name=cleaned.get("display_name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(PreferencesMixin):
    display_name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    field_order = ["display_name", "languages", "current_country", "country_of_residence", "time_zone"]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What is this token for?"), max_length=100)


class EmailAuthenticationForm(AuthenticationForm):
    """Sign-in with the e-mail address, which accounts store lower-cased."""

    def clean_username(self) -> str:
        return str(self.cleaned_data.get("username", "")).strip().lower()


def normalise_code(raw: str) -> str:
    """A code as typed ("123 456", "abcd-efgh") without spaces or dashes, lower-cased."""
    return "".join(raw.split()).replace("-", "").lower()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Enter the code."))
        return code


class PasswordForm(forms.Form):
    """The account's current password, asked again before a change to how the account is protected."""

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password


class ConfirmDeviceForm(PasswordForm):
    code = forms.CharField(
        label=_("The 6-digit code your app shows now"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    field_order = ["code", "password"]

    def clean_code(self) -> str:
        return normalise_code(self.cleaned_data["code"])
