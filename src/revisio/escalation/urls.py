from django.urls import path

from revisio.escalation import views

app_name = "escalation"

urlpatterns = [
    path("<str:case_id>/plan/", views.plan_page, name="plan"),
    path("<str:case_id>/plan/<slug:step>/", views.step_toggle, name="step_toggle"),
    path("<str:case_id>/write/", views.write, name="write"),
    path("<str:case_id>/log/", views.log, name="log"),
    path("<str:case_id>/applications/", views.applications, name="applications"),
]
