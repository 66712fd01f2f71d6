"""The agency dashboard: alerts, assignments and notes for coordinators."""

from django.urls import path

from revisio.agency import views

app_name = "agency"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("alerts/read/", views.alerts_read, name="alerts_read"),
    path("cases/<str:case_id>/", views.case_panel, name="case"),
]
