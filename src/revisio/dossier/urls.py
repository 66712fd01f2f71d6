from django.urls import path

from revisio.dossier import views

app_name = "dossier"

urlpatterns = [
    path("<str:case_id>/dossiers/", views.dossier_list, name="list"),
    path("<str:case_id>/dossiers/new/", views.dossier_create, name="create"),
    path("<str:case_id>/dossiers/<str:dossier_id>/<slug:kind>/", views.dossier_download, name="download"),
]
