"""Forms for the directory pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from revisio import kb
from revisio.directory.csvfile import Kind
from revisio.directory.fields import clean_language
from revisio.directory.models import ReferralStatus
from revisio.web.countries import country_choices


def specialty_choices() -> list[tuple[str, str]]:
    language = (get_language() or "en")[:2]
    named = [(p.id, p.names.get(language)) for p in kb.load().procedures.values()]
    return [("", "—"), *sorted(named, key=lambda pair: pair[1])]


class LanguageField(forms.CharField):
    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        try:
            return clean_language(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class ClinicFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or address"), required=False, max_length=200)
    city = forms.CharField(label=_("City"), required=False, max_length=120)
    country = forms.ChoiceField(label=_("Country"), required=False)
    specialty = forms.ChoiceField(label=_("Procedure"), required=False)
    language = LanguageField(label=_("Language (code, e.g. en)"), required=False, max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()  # type: ignore[attr-defined]
        self.fields["specialty"].choices = specialty_choices()  # type: ignore[attr-defined]


class TranslatorFilterForm(forms.Form):
    language = LanguageField(label=_("Language (code, e.g. ru)"), required=False, max_length=20)


class ClinicSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a clinic by name or city"), required=False, max_length=200)


class TreatingForm(forms.Form):
    clinic = forms.UUIDField(widget=forms.HiddenInput)


class ReferralForm(forms.Form):
    clinic = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why you ask for a second opinion (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReferralStatusForm(forms.Form):
    referral = forms.UUIDField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=ReferralStatus.choices)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file lists"), choices=[(Kind.CLINICS, _("Clinics")), (Kind.TRANSLATORS, _("Translators"))]
    )
    file = forms.FileField(label=_("CSV file (UTF-8)"))
    skip_bad = forms.BooleanField(
        label=_("Import the good rows even if some are bad"),
        required=False,
        help_text=_("Otherwise nothing is imported while any row is bad."),
    )
