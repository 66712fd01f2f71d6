"""Stored files that follow their rows: a write that fails leaves no file behind.

Services wrap their work in ``cleanup_on_failure()`` outside their transaction; files saved with
``save_file`` inside it are deleted if anything raises before the outermost block ends, including
the commit itself. Nested services share the outermost tracker.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from revisio.web.errors import InvalidInput

_saved: ContextVar[list[FieldFile] | None] = ContextVar("revisio_saved_files", default=None)


@contextlib.contextmanager
def cleanup_on_failure() -> Iterator[None]:
    if _saved.get() is not None:  # an outer block tracks and cleans up
        yield
        return
    token = _saved.set([])
    try:
        yield
    except BaseException:
        for field_file in _saved.get() or []:
            field_file.storage.delete(field_file.name)
        raise
    finally:
        _saved.reset(token)


def save_file(field_file: FieldFile, name: str, data: bytes) -> None:
    """Save ``data`` through the field's storage (its ``upload_to`` decides the path) and track it."""
    field_file.save(name, ContentFile(data), save=False)
    tracked = _saved.get()
    if tracked is not None:
        tracked.append(field_file)


def read_upload(upload: UploadedFile) -> bytes:
    """The file's bytes, refusing an over-size file before reading it into memory."""
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise InvalidInput(
            _("The file is %(size).1f MB; files can be at most %(limit)d MB.")
            % {"size": upload.size / 1048576, "limit": limit // 1048576},
            code="upload-too-large",
            field="file",
        )
    return upload.read(limit + 1)
