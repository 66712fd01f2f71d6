"""The directory: clinics and translators, treating clinics and referrals."""

from django.urls import path

from revisio.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.clinics, name="clinics"),
    path("clinics/<str:clinic_id>/", views.clinic, name="clinic"),
    path("translators/", views.translators, name="translators"),
    path("cases/<str:case_id>/clinic/", views.case_clinic, name="case_clinic"),
    path("referrals/", views.referrals, name="referrals"),
    path("import/", views.import_page, name="import"),
]
