"""Showing a service's ``InvalidInput`` on the form field it names (or the whole form)."""

from __future__ import annotations

from django import forms

from revisio.web.errors import InvalidInput


def add_domain_error(form: forms.BaseForm, error: InvalidInput) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
