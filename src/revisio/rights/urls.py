from django.urls import path

from revisio.rights import views

app_name = "rights"

urlpatterns = [
    path("data/", views.data, name="data"),
    path("data/new/", views.export_create, name="export_create"),
    path("data/<str:export_id>/download/", views.export_download, name="export_download"),
    path("data/<str:export_id>/delete/", views.export_delete, name="export_delete"),
    path("delete/", views.account_delete, name="account_delete"),
]
