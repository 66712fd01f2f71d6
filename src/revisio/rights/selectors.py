"""Reads of data exports: a person sees only their own."""

from __future__ import annotations

from django.db.models import QuerySet

from revisio.accounts.models import User
from revisio.rights.models import DataExport
from revisio.web.lookup import one_or_404


def exports_for_user(*, user: User) -> QuerySet[DataExport]:
    return DataExport.objects.filter(user=user).order_by("-created_at")


def export_get_for_user(*, user: User, export_id: object) -> DataExport:
    """The person's own export, else 404 (staff included: an export is only ever its owner's)."""
    return one_or_404(DataExport.objects.filter(user=user), export_id)
