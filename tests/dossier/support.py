"""Reading what a dossier build produced, with poppler's tools (as a person checking it would)."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tempfile
import zipfile
from typing import Any


def _poppler(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return subprocess.run(
            [tool, *args, file.name, *(["-"] if tool == "pdftotext" else [])],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def pdf_text(pdf: bytes, *, layout: bool = True) -> str:
    """The text of a PDF; in layout mode a table row stays on one line, otherwise each cell's text
    stays together."""
    return _poppler("pdftotext", pdf, *(["-layout"] if layout else []))


def pdf_fonts(pdf: bytes) -> list[dict[str, str]]:
    lines = _poppler("pdffonts", pdf).splitlines()[2:]
    return [{"name": line.split()[0], "embedded": line.split()[-5]} for line in lines if line.strip()]


def pdf_image_count(pdf: bytes) -> int:
    return len(_poppler("pdfimages", pdf, "-list").splitlines()[2:])


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def manifest_of(data: bytes) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(zip_members(data)["manifest.json"])
    return manifest


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
