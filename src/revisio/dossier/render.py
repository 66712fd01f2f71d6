"""HTML to PDF with WeasyPrint, loading nothing but the dossier's own photos.

Photos reach the renderer as ``revisio-photo:<id>`` URLs answered from memory; every other URL is
refused, so no text in a case (a link a patient pasted, say) can make the renderer read a local
file or the network. WeasyPrint is imported on first use: it is slow to import and only the
process that builds dossiers needs it (not every web worker serving pages).
"""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

PHOTO_SCHEME = "revisio-photo:"
#: WeasyPrint's image options apply only when given to ``write_pdf``. Photos arrive as print-sized
#: JPEGs (``attachments.print_jpeg``): not re-encoded (no quality, no optimising), and only an
#: image finer than ``dpi`` where it is printed would be downsampled.
PDF_OPTIONS: dict[str, Any] = {"optimize_images": False, "jpeg_quality": None, "dpi": 300}


def render_pdf(template: str, context: dict[str, Any], *, language: str, photos: dict[str, bytes]) -> bytes:
    """Render ``template`` with ``context`` (choice labels in ``language``) to PDF bytes."""
    # WeasyPrint logs every step at INFO (some on import); the dossier's own progress says enough.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from PIL import ImageFile
    from weasyprint import HTML

    # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES; the dossier's images are
    # JPEGs Revisio made itself, and uploads in the same process must go on refusing truncated files.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    with translation.override(language):
        html = render_to_string(template, context)
    document = HTML(string=html, url_fetcher=_fetcher(photos))
    pdf: bytes = document.write_pdf(**PDF_OPTIONS)
    return pdf


def _fetcher(photos: dict[str, bytes]) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PhotoFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            data = photos.get(url.removeprefix(PHOTO_SCHEME)) if url.startswith(PHOTO_SCHEME) else None
            if data is None:
                raise ValueError(f"a dossier loads nothing from {url[:80]!r}")
            return URLFetcherResponse(url, data, {"Content-Type": "image/jpeg"})

    return PhotoFetcher()
