"""Photos as files for the web pages and the API alike: as stored for those who may see faces, with faces
obscured for a de-identified share (``cases.access``)."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse

from revisio.audit import services as audit
from revisio.audit.models import Action
from revisio.cases.models import Case
from revisio.diary.models import Photo
from revisio.uploads.photos import THUMBNAIL_SIZE


def photo_response(*, case: Case, photo: Photo, thumbnail: bool = False) -> HttpResponse:
    """The photo (or its thumbnail) inline and privately cacheable. Precondition: ``case`` came through
    ``case_get_for_user`` with the photos part, and ``photo`` belongs to it."""
    audit.access_detail(
        action=Action.READ if thumbnail else Action.DOWNLOAD,
        object_type="photo",
        object_id=photo.pk,
        taken_on=photo.taken_on,
        thumbnail=thumbnail,
        blurred=not case.access.faces_visible,  # type: ignore[attr-defined]
    )
    if not case.access.faces_visible:  # type: ignore[attr-defined]
        # Imported here: it loads the face detector (MediaPipe), which only this path needs.
        from revisio.landmarks.faces import blurred_jpeg

        with photo.image.open("rb") as stored:
            data = blurred_jpeg(stored.read(), max_side=THUMBNAIL_SIZE if thumbnail else None)
        response: HttpResponse = HttpResponse(data, content_type="image/jpeg")
        response["Cache-Control"] = "private, no-store"  # a share can end: never keep the copy around
    else:
        stored_file = photo.thumbnail if thumbnail else photo.image
        response = FileResponse(stored_file.open("rb"), content_type="image/jpeg" if thumbnail else photo.content_type)
        response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response
