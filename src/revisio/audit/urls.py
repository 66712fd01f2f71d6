from django.urls import path

from revisio.audit import views

app_name = "audit"

urlpatterns = [
    path("<str:case_id>/audit/", views.case_audit, name="case"),
]
