"""User-facing wording for errors that start in the pure core (which speaks English only).

English keeps the core's detailed sentence; other languages get a translated sentence per error
code, so a Korean reader is never shown an English-only refusal.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from revisio.kb import UnknownIdError
from revisio.uploads import RejectionCode, UploadRejected


def _english() -> bool:
    return (get_language() or "en").startswith("en")


def upload_rejection(rejected: UploadRejected, *, document: bool = False) -> str:
    if _english():
        return rejected.message
    limit_mb = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
    megapixels = settings.MAX_PHOTO_PIXELS // 1_000_000
    messages = {
        RejectionCode.EMPTY: _("This file is empty. Choose it again; if it is kept in the cloud, download it first."),
        RejectionCode.TOO_LARGE: _("This file is too large: files can be at most %(limit)s MB.") % {"limit": limit_mb},
        RejectionCode.UNSUPPORTED_TYPE: _(
            "This is not a file Revisio accepts: upload a PDF, or a JPEG, PNG, WebP or HEIC photo."
        )
        if document
        else _("This is not a photo Revisio accepts: upload a JPEG, PNG, WebP or HEIC photo."),
        RejectionCode.TOO_MANY_PIXELS: _(
            "This image is too large: at most %(megapixels)s megapixels. Export a smaller copy and try again."
        )
        % {"megapixels": megapixels},
        RejectionCode.CORRUPT: _("This file is damaged or incomplete. Export or download it again and try again."),
        RejectionCode.ACTIVE_CONTENT: _(
            "This PDF contains JavaScript or another action a PDF reader could run, so we do not accept it."
            " Print it to a new PDF or scan it, and upload that."
        ),
    }
    return messages.get(rejected.code, rejected.message)


def unknown_id(error: UnknownIdError) -> str:
    kinds = {"procedure": _("procedure"), "symptom": _("symptom"), "concern": _("concern"), "country": _("country")}
    kind = kinds.get(error.kind, error.kind)
    if error.suggestions:
        return _("Unknown %(kind)s '%(given)s'; did you mean %(suggestions)s?") % {
            "kind": kind,
            "given": error.given,
            "suggestions": ", ".join(error.suggestions),
        }
    return _("Unknown %(kind)s '%(given)s'.") % {"kind": kind, "given": error.given}
