"""Forms for the escalation pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from revisio import kb
from revisio.cases.forms import DATE_INPUT
from revisio.engine.messages import Question
from revisio.escalation.models import ApplicationStatus, Channel, Counterpart, Direction

QUESTIONS = [
    (Question.IS_THIS_NORMAL.value, _("Is this normal at this stage, or should it be checked?")),
    (Question.SEE_ME.value, _("Can you see me, or recommend a doctor near me?")),
    (Question.RECORDS.value, _("Please send my medical records, operative note and imaging.")),
    (Question.CORRECTION.value, _("What are the options to correct this, and from when?")),
    (Question.IMPLANT_DETAILS.value, _("Please give me the details of my implants.")),
]
MESSAGE_LANGUAGES = [("en", "English"), ("zh", "中文（简体）"), ("ja", "日本語"), ("ko", "한국어")]


class WriteForm(forms.Form):
    question = forms.ChoiceField(label=_("Your question"), choices=QUESTIONS, widget=forms.RadioSelect)
    language = forms.ChoiceField(label=_("Your language"), choices=MESSAGE_LANGUAGES)
    photos = forms.MultipleChoiceField(label=_("Photos to attach"), required=False, widget=forms.CheckboxSelectMultiple)
    free_text = forms.CharField(
        label=_("Anything to add in your own words"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent as you write it, marked as not translated."),
    )
    contact = forms.CharField(label=_("How the clinic can reach you"), required=False, max_length=200)

    def __init__(self, *args: Any, photo_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"].choices = photo_choices  # type: ignore[attr-defined]
        if not photo_choices:
            self.fields["photos"].help_text = _("This case has no photos yet: add them with a check-in.")


class CommunicationForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    direction = forms.ChoiceField(label=_("Sent or received"), choices=Direction.choices)
    counterpart = forms.ChoiceField(label=_("With"), choices=Counterpart.choices)
    counterpart_name = forms.CharField(label=_("Name"), required=False, max_length=200)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    summary = forms.CharField(label=_("Summary"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(
        label=_("Message text (optional)"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )


def body_choices(first: list[str]) -> list[tuple[str, str]]:
    """Every complaint body, those in ``first`` (the case's countries) at the top."""
    language = (get_language() or "en")[:2]
    bodies = sorted(
        kb.load().complaint_bodies.values(),
        key=lambda b: (first.index(b.id) if b.id in first else len(first), b.country, b.id),
    )
    return [(b.id, f"{b.names.get(language)} ({b.country.upper()})") for b in bodies]


class ApplicationForm(forms.Form):
    body = forms.ChoiceField(label=_("Body"))
    status = forms.ChoiceField(label=_("Status"), choices=ApplicationStatus.choices)
    filed_on = forms.DateField(label=_("Filed on"), required=False, widget=DATE_INPUT)
    reference = forms.CharField(label=_("Reference number"), required=False, max_length=100)
    claim_amount = forms.IntegerField(label=_("Amount claimed"), required=False, min_value=0)
    claim_currency = forms.CharField(label=_("Currency"), required=False, max_length=3, initial="KRW")
    note = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, first: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = body_choices(first or [])  # type: ignore[attr-defined]


class FeeForm(forms.Form):
    claim = forms.IntegerField(label=_("Amount you claim (won)"), min_value=0, max_value=10**13)
