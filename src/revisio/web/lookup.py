"""``one_or_404``: fetch by UUID within an already-authorised queryset, or 404."""

from __future__ import annotations

import uuid
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def parse_uuid(value: object) -> uuid.UUID:
    """The UUID, or 404: a malformed ID in a URL is simply something that does not exist."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def one_or_404(queryset: QuerySet[M], pk: object) -> M:
    found = queryset.filter(pk=parse_uuid(pk)).first()
    if found is None:
        raise Http404
    return found
