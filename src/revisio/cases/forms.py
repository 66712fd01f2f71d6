"""Forms for the case record. They check types; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from revisio import kb
from revisio.cases.models import Anaesthesia, Case, DeviceType, DocumentType, Fill, Placement, ShareScope, Side
from revisio.cases.services import CASE_FIELDS
from revisio.cases.sharing import MAX_LINK_DAYS
from revisio.web.countries import country_choices

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def procedure_choices() -> list[tuple[str, str]]:
    language = (get_language() or "en").split("-")[0]
    named = [(p.id, p.names.get(language)) for p in kb.load().procedures.values()]
    return [("", "—"), *sorted(named, key=lambda pair: pair[1])]


class CaseForm(forms.ModelForm):  # type: ignore[type-arg]
    clinic_country = forms.ChoiceField(label=_("Country"), required=False)
    clinic_website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Case
        fields = list(CASE_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinic_country"].choices = country_choices()  # type: ignore[attr-defined]


class CaseVersionForm(forms.Form):
    """The ``Case.version`` the edit page was loaded with (``services.case_update``'s ``expected_version``);
    a form posted without one saves over whatever is there."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class ProcedureForm(forms.Form):
    procedure = forms.ChoiceField(label=_("Procedure"))
    surgery_date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    anaesthesia = forms.ChoiceField(label=_("Anaesthesia"), choices=Anaesthesia.choices, initial=Anaesthesia.UNKNOWN)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = procedure_choices()  # type: ignore[attr-defined]


class BaseProcedureFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not filled:
            raise forms.ValidationError(_("Add at least one procedure."))


ProcedureFormSet = forms.formset_factory(
    ProcedureForm, formset=BaseProcedureFormSet, extra=2, can_delete=True, max_num=10, validate_max=True
)


class DeviceForm(forms.Form):
    device_type = forms.ChoiceField(label=_("Type"), choices=DeviceType.choices)
    procedure = forms.TypedChoiceField(label=_("Procedure"), required=False, coerce=int, empty_value=None)
    manufacturer = forms.CharField(label=_("Manufacturer"), max_length=200, required=False)
    model = forms.CharField(label=_("Model"), max_length=200, required=False)
    lot_number = forms.CharField(label=_("Lot number"), max_length=100, required=False)
    serial_number = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    size = forms.CharField(label=_("Size"), max_length=100, required=False, help_text=_("e.g. 350 cc"))
    placement = forms.ChoiceField(label=_("Placement"), choices=Placement.choices, initial=Placement.UNKNOWN)
    fill = forms.ChoiceField(label=_("Implant fill"), choices=Fill.choices, initial=Fill.UNKNOWN)
    side = forms.ChoiceField(label=_("Side of the body"), choices=Side.choices, initial=Side.NOT_APPLICABLE)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(procedure_choices())
        self.fields["procedure"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((p.pk, f"{names.get(p.procedure, p.procedure)} ({p.surgery_date})") for p in case.procedures.all()),
        ]


class DocumentForm(forms.Form):
    document_type = forms.ChoiceField(label=_("Type"), choices=DocumentType.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    document_date = forms.DateField(label=_("Date of the document"), required=False, widget=DATE_INPUT)
    file = forms.FileField(label=_("File (PDF or photo)"))


class ShareForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None, required=False)  # type: ignore[arg-type]
    clinician_email = forms.EmailField(label=_("or a clinician's e-mail address"), required=False)
    scope = forms.ChoiceField(label=_("What they see"), choices=ShareScope.choices, initial=ShareScope.FULL)
    expires_on = forms.DateField(label=_("Until (optional)"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("agency")) == bool(cleaned.get("clinician_email")):
            raise forms.ValidationError(_("Choose an agency or give a clinician's e-mail address, not both."))
        return cleaned


class InviteForm(forms.Form):
    prefix = "invite"  # beside ShareForm on one page: its own field IDs, so each label finds its field
    scope = forms.ChoiceField(label=_("What they see"), choices=ShareScope.choices, initial=ShareScope.FULL)
    link_days = forms.IntegerField(
        label=_("The link works for (days)"), min_value=1, max_value=MAX_LINK_DAYS, initial=7
    )
    share_until = forms.DateField(label=_("Sharing ends on (optional)"), required=False, widget=DATE_INPUT)
    note = forms.CharField(label=_("For whom (only you see this)"), required=False, max_length=200)
