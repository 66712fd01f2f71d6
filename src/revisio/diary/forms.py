"""The check-in form: symptoms and concerns offered for the case's procedures, and photos."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from revisio.cases.forms import DATE_INPUT
from revisio.diary.models import BodyArea, View
from revisio.recovery.vocabulary import vocabulary_for


class CheckInForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    symptoms = forms.MultipleChoiceField(label=_("Symptoms"), required=False, widget=forms.CheckboxSelectMultiple)
    concerns = forms.MultipleChoiceField(
        label=_("What worries you about how it looks or feels"), required=False, widget=forms.CheckboxSelectMultiple
    )
    pain = forms.TypedChoiceField(
        label=_("Pain (0 = none, 10 = worst)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *((n, str(n)) for n in range(11))],
    )
    temperature_c = forms.DecimalField(
        label=_("Temperature (°C)"),
        required=False,
        min_value=30,
        max_value=45,
        decimal_places=1,
        max_digits=3,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args: Any, procedure_ids: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = (get_language() or "en")[:2]
        symptoms, concerns = vocabulary_for(procedure_ids)
        self.descriptions = {item.id: item.description.get(language) for item in [*symptoms, *concerns]}
        self.fields["symptoms"].choices = [(s.id, s.label.get(language)) for s in symptoms]  # type: ignore[attr-defined]
        self.fields["concerns"].choices = [(c.id, c.label.get(language)) for c in concerns]  # type: ignore[attr-defined]


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic,.heic"}),
    )
    view = forms.ChoiceField(label=pgettext_lazy("photo", "View"), choices=View.choices, initial=View.FRONT)
    body_area = forms.ChoiceField(label=_("Body area"), choices=BodyArea.choices)


PhotoFormSet = forms.formset_factory(PhotoForm, extra=3, max_num=12, validate_max=True)


class DatedPhotoForm(PhotoForm):
    """A photo added on its own, e.g. one taken before the operation, with the day it was taken."""

    taken_on = forms.DateField(
        label=_("Date taken"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty to use the date the camera recorded, or today."),
    )


DatedPhotoFormSet = forms.formset_factory(DatedPhotoForm, extra=3, max_num=12, validate_max=True)
