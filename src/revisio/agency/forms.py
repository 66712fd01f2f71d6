"""Forms of the agency pages: the dashboard's filters, assigning people to a case, and notes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from revisio.accounts.forms import language_choices
from revisio.agency.selectors import UNASSIGNED, DashboardFilters
from revisio.agency.services import NOTE_MAX_CHARS


class FilterForm(forms.Form):
    """The dashboard's filters, read from the query string; a value that is not offered is an error."""

    procedure = forms.ChoiceField(label=_("Procedure"), required=False)
    clinic = forms.CharField(label=_("Clinic"), required=False, max_length=200)
    coordinator = forms.ChoiceField(label=_("Coordinator"), required=False)
    language = forms.ChoiceField(label=_("Patient's language"), required=False)

    def __init__(self, *args: Any, procedures: list[tuple[str, str]], coordinators: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["procedure"].choices = everything + procedures  # type: ignore[attr-defined]
        self.fields["coordinator"].choices = (  # type: ignore[attr-defined]
            everything + [(UNASSIGNED, _("Nobody yet"))] + [(str(c.pk), str(c)) for c in coordinators]
        )
        self.fields["language"].choices = everything + language_choices()  # type: ignore[attr-defined]

    def filters(self) -> DashboardFilters:
        """Precondition: the form is valid."""
        return DashboardFilters(**{name: self.cleaned_data[name] or "" for name in self.fields})


class AssignmentForm(forms.Form):
    """Who is on the case. The lists offer the agency's coordinators and the directory's translators;
    the service checks the choice (``services.assignment_set``) and says what is wrong with another."""

    coordinator = forms.IntegerField(label=_("Coordinator"), required=False, widget=forms.Select)
    translator = forms.UUIDField(label=_("Translator"), required=False, widget=forms.Select)

    def __init__(self, *args: Any, coordinators: list[Any], translators: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        nobody = [("", _("Nobody"))]
        self.fields["coordinator"].widget.choices = nobody + [(c.pk, str(c)) for c in coordinators]  # type: ignore[attr-defined]
        self.fields["translator"].widget.choices = nobody + [(t.pk, str(t)) for t in translators]  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note for your agency"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_CHARS,
        help_text=_("Only coordinators of your agency see it: not the patient, not clinicians, not other agencies."),
    )
