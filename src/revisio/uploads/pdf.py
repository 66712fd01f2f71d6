"""Finding active content in a PDF: actions a PDF reader may run when the file is opened.

Revisio never renders a PDF, but whoever downloads one (the patient, a clinician the case is
shared with) opens it in their own reader, so a PDF carrying JavaScript or a launch action is
refused. This is a scan for the dictionary keys that introduce such actions, not a PDF parser:

* names are compared after decoding ``#xx`` escapes (``/J#61vaScript`` is ``/JavaScript``);
* stream contents are skipped (compressed page and image data would match by chance), except
  compressed object streams (``/Type /ObjStm``, PDF 1.5), which hold dictionaries and are
  inflated, under a budget so that a small file cannot expand into gigabytes;
* encrypted object streams cannot be read and are not inspected.
"""

from __future__ import annotations

import re
import zlib

# The actions a reader runs by itself: JavaScript (as a name tree or an action's /JS entry), a
# program to launch, and Flash or 3D rich media. Links (/URI) and forms are left alone. In the order
# a refusal names them.
ACTIVE_NAMES = (b"JavaScript", b"JS", b"Launch", b"RichMedia")
INFLATE_BUDGET = 32 * 1024 * 1024  # bytes of object-stream content inflated per file, in total

_STREAM_START = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_STREAM_END = b"endstream"
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_DICTIONARY_REACH = 4096  # bytes before a stream searched for its object's dictionary


class UncheckablePdf(Exception):
    """An object stream inflates past ``INFLATE_BUDGET``: the file cannot be checked."""


def names(data: bytes | memoryview) -> set[bytes]:
    """Every PDF name in ``data`` (without its slash), ``#xx`` escapes decoded."""
    return {_HEX_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), m[1]) for m in _NAME.finditer(data)}


def active_content(data: bytes) -> bytes | None:
    """The first active-content name found in the PDF ``data``, or None when there is none.

    Raises ``UncheckablePdf`` when its object streams inflate past ``INFLATE_BUDGET``.
    """
    found: set[bytes] = set()
    budget = INFLATE_BUDGET
    view = memoryview(data)
    position = 0
    for start in _STREAM_START.finditer(data):
        if start.start() < position:
            continue  # "stream" inside the previous stream's data
        found |= names(view[position : start.start()])
        end = data.find(_STREAM_END, start.end())
        end = len(data) if end < 0 else end
        dictionary = names(view[max(position, start.start() - _DICTIONARY_REACH) : start.start()])
        if b"ObjStm" in dictionary and b"FlateDecode" in dictionary:
            content, budget = _inflate(view[start.end() : end], budget)
            found |= names(content)
        position = end
    found |= names(view[position:])
    return next((name for name in ACTIVE_NAMES if name in found), None)


def _inflate(compressed: memoryview, budget: int) -> tuple[bytes, int]:
    """The inflated stream and the budget left; a stream zlib cannot read is no content at all
    (a reader cannot read it either)."""
    inflater = zlib.decompressobj()
    try:
        content = inflater.decompress(compressed, budget + 1)
    except zlib.error:
        return b"", budget
    if len(content) > budget:
        raise UncheckablePdf(f"object streams inflate to more than {INFLATE_BUDGET} bytes")
    return content, budget - len(content)
