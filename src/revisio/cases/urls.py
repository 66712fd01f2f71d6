from django.urls import path

from revisio.cases import sharing_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("<str:case_id>/", views.case_detail, name="detail"),
    path("<str:case_id>/edit/", views.case_edit, name="edit"),
    path("<str:case_id>/delete/", views.case_delete, name="delete"),
    path("<str:case_id>/devices/new/", views.device_add, name="device_add"),
    path("<str:case_id>/devices/<str:device_id>/delete/", views.device_delete, name="device_delete"),
    path("<str:case_id>/documents/new/", views.document_add, name="document_add"),
    path("<str:case_id>/documents/<str:document_id>/", views.document_download, name="document_download"),
    path("<str:case_id>/documents/<str:document_id>/delete/", views.document_delete, name="document_delete"),
    path("<str:case_id>/sharing/", sharing_views.shares, name="shares"),
    path("<str:case_id>/sharing/<str:share_id>/revoke/", sharing_views.share_revoke, name="share_revoke"),
    path("<str:case_id>/invites/new/", sharing_views.invite_create, name="invite_create"),
    path("<str:case_id>/invites/<str:invite_id>/revoke/", sharing_views.invite_revoke, name="invite_revoke"),
    path("<str:case_id>/opinions/new/", sharing_views.opinion_add, name="opinion_add"),
]
