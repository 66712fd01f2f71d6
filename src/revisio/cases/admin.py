from django.contrib import admin

from revisio.cases.models import Case, CaseProcedure, CaseShare, Device, Document
from revisio.web.admin_mixins import ReadMostlyAdmin, ReadOnlyInline


class ProcedureInline(ReadOnlyInline):
    model = CaseProcedure


class DeviceInline(ReadOnlyInline):
    model = Device


class DocumentInline(ReadOnlyInline):
    model = Document
    exclude = ["file"]


class ShareInline(ReadOnlyInline):
    model = CaseShare


@admin.register(Case)
class CaseAdmin(ReadMostlyAdmin):
    list_display = ["title", "owner", "clinic_name", "clinic_country", "created_at"]
    list_filter = ["clinic_country"]
    search_fields = ["title", "owner__email", "clinic_name"]
    inlines = [ProcedureInline, DeviceInline, DocumentInline, ShareInline]
