from django.contrib import admin

from revisio.diary.models import CheckIn, Photo
from revisio.web.admin_mixins import ReadMostlyAdmin


@admin.register(CheckIn)
class CheckInAdmin(ReadMostlyAdmin):
    list_display = ["case", "date", "level", "kb_version", "created_at"]
    list_filter = ["level"]
    date_hierarchy = "date"


@admin.register(Photo)
class PhotoAdmin(ReadMostlyAdmin):
    list_display = ["case", "view", "body_area", "taken_on", "content_type", "width", "height"]
    exclude = ["image", "thumbnail"]
