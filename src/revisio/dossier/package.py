"""The dossier ZIP: the PDF, the K-medi draft, every readable stored file, and ``manifest.json``.

Each file's SHA-256 in the manifest is computed from the very bytes written into the ZIP, so the
manifest cannot disagree with the files beside it. A stored file is copied in chunks straight from
storage; if its bytes differ from what was read when the PDF was laid out (the storage changed
under the build), the build fails rather than ship a manifest the PDF contradicts.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from revisio.dossier.attachments import CheckedFile, CheckedFiles, document_storage, photo_storage
from revisio.dossier.document import DRAFT_NAME, PDF_NAME
from revisio.dossier.facts import Facts

Stamp = tuple[int, int, int, int, int, int]
MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "revisio-dossier-manifest/1"
_CHUNK = 1 << 20


class FileChangedError(Exception):
    """A stored file's bytes changed between checking it and packing it."""


@dataclass(frozen=True)
class Packed:
    data: bytes
    manifest: dict[str, Any]


def pack(facts: Facts, files: CheckedFiles, *, pdf: bytes, draft: bytes) -> Packed:
    local = facts.made_at_local  # a ZIP stores local time, without a zone
    stamp = (local.year, local.month, local.day, local.hour, local.minute, local.second)
    details = _details(facts)
    buffer = io.BytesIO()
    entries: list[dict[str, Any]] = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        entries.append(_write(archive, PDF_NAME, pdf, stamp) | {"kind": "dossier"})
        entries.append(_write(archive, DRAFT_NAME, draft, stamp) | {"kind": "kmedi-draft"})
        for file in files.files:
            if file.ok:
                entries.append(_copy(archive, file, stamp) | details[file.id])
        manifest = _manifest(facts, entries, files.unreadable, details)
        info = zipfile.ZipInfo(MANIFEST_NAME, stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return Packed(buffer.getvalue(), manifest)


def _write(archive: zipfile.ZipFile, path: str, data: bytes, stamp: Stamp) -> dict[str, Any]:
    archive.writestr(zipfile.ZipInfo(path, stamp), data)
    return {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def _copy(archive: zipfile.ZipFile, file: CheckedFile, stamp: Stamp) -> dict[str, Any]:
    storage = photo_storage() if file.kind == "photo" else document_storage()
    digest, size = hashlib.sha256(), 0
    with (
        storage.open(file.storage_name, "rb") as source,
        archive.open(zipfile.ZipInfo(file.zip_path, stamp), "w") as target,
    ):
        for chunk in iter(lambda: source.read(_CHUNK), b""):
            digest.update(chunk)
            target.write(chunk)
            size += len(chunk)
    if digest.hexdigest() != file.sha256:
        raise FileChangedError(f"{file.zip_path} changed while the dossier was being built; build it again")
    return {"path": file.zip_path, "sha256": digest.hexdigest(), "size": size}


def _details(facts: Facts) -> dict[str, dict[str, Any]]:
    """What the manifest says of each photo and document besides its path and hash."""
    details: dict[str, dict[str, Any]] = {}
    for p in facts.photos:
        details[p.id] = {
            "kind": "photo",
            "id": p.id,
            "taken_on": p.taken_on.isoformat(),
            "view": p.view,
            "sha256_recorded": p.sha256_stored,
            "sha256_as_uploaded": p.sha256_original,
        }
    for d in facts.documents:
        details[d.id] = {
            "kind": "document",
            "id": d.id,
            "title": d.title,
            "date": d.document_date.isoformat() if d.document_date else None,
            "sha256_recorded": d.sha256,
            "sha256_as_uploaded": d.sha256_original,
        }
    return details


def _manifest(
    facts: Facts, entries: list[dict[str, Any]], unreadable: list[CheckedFile], details: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    return {
        "format": MANIFEST_FORMAT,
        "dossier_id": facts.dossier_id,
        "case_id": facts.case_id,
        "made_at": facts.made_at.isoformat().replace("+00:00", "Z"),
        "time_zone": facts.time_zone,
        "languages": [facts.language, "ko"] if facts.language != "ko" else ["ko"],
        "kb_version": facts.kb_version,
        "kb_versions_of_assessments": dict(facts.kb_versions),
        "dossier_pdf": next(e for e in entries if e["path"] == PDF_NAME),
        "files": entries,
        "unreadable": [
            {"path": f.zip_path, "reason": f.status.value, "in_zip": False} | details[f.id] for f in unreadable
        ],
        "note": "sha256 is of each file exactly as it is in this ZIP. The PDF cannot contain its own hash: "
        "dossier_pdf.sha256 is it. A file listed under unreadable could not be read or did not match the "
        "hash recorded when it was stored, and is not in the ZIP.",
    }
