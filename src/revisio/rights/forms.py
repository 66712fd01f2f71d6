"""The form that confirms an account deletion: the password, and a word typed by hand."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from revisio.accounts.models import User

#: The word typed to confirm, in English; the page also accepts it in the language it is shown in.
CONFIRMATION_WORD = "delete"


def confirmation_words() -> set[str]:
    # Translators: the word a person types to confirm deleting their account; keep it one short word.
    return {CONFIRMATION_WORD, pgettext("confirmation word", "delete").strip().lower()}


class AccountDeleteForm(forms.Form):
    password = forms.CharField(label=_("Your password"), strip=False, widget=forms.PasswordInput)
    confirmation = forms.CharField(label=_("Type the word shown above to confirm"), max_length=40)

    def __init__(self, *args: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request, self.user = request, user

    def clean_confirmation(self) -> str:
        word = str(self.cleaned_data["confirmation"]).strip().lower()
        if word not in confirmation_words():
            raise forms.ValidationError(_("Type the word exactly as shown to confirm."))
        return word

    def clean_password(self) -> str:
        # Through authenticate(), so wrong guesses count towards the sign-in lockout like any other.
        password = str(self.cleaned_data["password"])
        found = authenticate(self.request, username=self.user.email, password=password)
        if found is None or found.pk != self.user.pk:
            raise forms.ValidationError(_("That is not your password."))
        return password
