"""Admin for staff: health data is read-mostly. Staff can see and delete (on a user's request) but not
edit a patient's clinical record, so an admin slip cannot silently change what a patient reported."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from revisio.audit import services as audit


class ReadMostlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        """The object, with staff's look at it (or deletion of it) recorded in the case's audit trail."""
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            audit.admin_access_record(user=request.user, obj=obj)
        return obj


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
