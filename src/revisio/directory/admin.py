"""Staff edit single clinics and translators here; lists come in through the CSV import
(``/directory/import/``). Treating clinics and referrals are the patient's and are not shown."""

from django.contrib import admin
from django.db import models

from revisio.directory.models import Clinic, Translator


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name_en", "name_ko", "city", "country", "foreign_patient_registration", "updated_at"]
    list_filter = ["country"]
    search_fields = ["name_en", "name_ko", "city", "address"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # a bare example.org means https


@admin.register(Translator)
class TranslatorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "agency", "availability", "active", "updated_at"]
    list_filter = ["active", "agency"]
    search_fields = ["name", "email"]
