from django.urls import path

from revisio.diary import views

app_name = "diary"

urlpatterns = [
    path("<str:case_id>/checkins/new/", views.checkin_add, name="checkin_add"),
    path("<str:case_id>/checkins/<str:checkin_id>/", views.checkin_detail, name="checkin"),
    path("<str:case_id>/photos/", views.photo_gallery, name="photos"),
    path("<str:case_id>/photos/new/", views.photos_add, name="photos_add"),
    path("<str:case_id>/photos/<str:photo_id>/", views.photo_image, name="photo"),
    path("<str:case_id>/photos/<str:photo_id>/thumbnail/", views.photo_thumbnail, name="photo_thumbnail"),
    path("<str:case_id>/photos/<str:photo_id>/measure/", views.photo_measure, name="photo_measure"),
    path("<str:case_id>/photos/<str:photo_id>/delete/", views.photo_delete, name="photo_delete"),
]
