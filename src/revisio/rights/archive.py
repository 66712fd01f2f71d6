"""Build a person's data export: one ZIP of everything they stored, written to a file object.

Layout of the ZIP::

    manifest.json                   SHA-256 and size of every other file in the ZIP
    summary.html                    a readable overview (English and Korean headings), no external resources
    account.json                    the profile: e-mail, name, role, languages, countries, time zone, created
    api-tokens.json                 names, prefixes and dates of the API tokens (never a secret)
    cases/<case id>/bundle.json     the case as a FHIR R4B Bundle (procedures, devices, check-ins,
                                    measurements, communications, plan steps, applications, ...)
    cases/<case id>/sharing.json    who the case is shared with, and the invite links (never their secrets)
    cases/<case id>/second-opinions.json
    cases/<case id>/<photos|documents|dossiers|...>/<file>
                                    every stored file of the case as stored (photos already stripped of
                                    their metadata), except thumbnails, and only finished dossiers

Stored files are found through every model that points at the case, like ``cases.services.case_delete``
finds them, so a file added by a later app is exported without a change here. A stored file that cannot
be read is listed under ``missing`` in the manifest rather than failing the whole export.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import models
from django.db.models import Count
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from revisio import kb
from revisio.accounts.models import User
from revisio.cases.models import Case, CaseShare, SecondOpinion, ShareInvite
from revisio.diary.models import Level
from revisio.fhir import case_bundle

Report = Callable[[int, str], None]
MANIFEST_FORMAT = "revisio-data-export/1"
_CHUNK = 1 << 20
#: Files already compressed (photos, PDFs, ZIPs) are stored as they are; text is deflated.
_STORED_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".heic", ".pdf", ".zip"})
#: File fields not exported: derived from another exported file.
_SKIPPED_FIELDS = frozenset({"thumbnail"})

STAGE_QUEUED = gettext_noop("Waiting to start")
STAGE_READING = gettext_noop("Reading your account")
STAGE_CASES = gettext_noop("Copying your cases and files")
STAGE_SUMMARY = gettext_noop("Writing the summary")
STAGE_SAVING = gettext_noop("Saving")
STAGE_DONE = gettext_noop("Done")
STAGE_FAILED = gettext_noop("Failed")


@dataclass(frozen=True)
class Entry:
    path: str
    sha256: str
    size: int  # bytes
    description: str = ""


@dataclass(frozen=True)
class StoredFile:
    """One stored file of a case, with the name it gets in the export and what it is."""

    folder: str  # e.g. "photos"
    name: str  # e.g. "2026-01-07-back-1a2b3c4d.jpg"
    file: FieldFile
    description: str


@dataclass
class CaseSummary:
    case: Case
    procedures: list[dict[str, Any]] = field(default_factory=list)
    checkins: list[dict[str, Any]] = field(default_factory=list)
    files: list[Entry] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


class _Writer:
    """A ZIP being written, recording the path, SHA-256 and size of every file put into it."""

    def __init__(self, out: IO[bytes], stamp: tuple[int, int, int, int, int, int]) -> None:
        self.archive = zipfile.ZipFile(out, "w", allowZip64=True)
        self.stamp = stamp
        self.entries: list[Entry] = []

    def _info(self, path: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, self.stamp)
        suffix = path[path.rfind(".") :].lower() if "." in path else ""
        info.compress_type = zipfile.ZIP_STORED if suffix in _STORED_SUFFIXES else zipfile.ZIP_DEFLATED
        return info

    def add_bytes(self, path: str, data: bytes, description: str = "") -> Entry:
        self.archive.writestr(self._info(path), data)
        entry = Entry(path, hashlib.sha256(data).hexdigest(), len(data), description)
        self.entries.append(entry)
        return entry

    def add_json(self, path: str, value: Any, description: str = "") -> Entry:
        text = json.dumps(value, indent=2, ensure_ascii=False, default=_json_default) + "\n"
        return self.add_bytes(path, text.encode(), description)

    def add_stored(self, path: str, stored: FieldFile, description: str) -> Entry:
        """Copy a stored file in chunks, hashing the very bytes written into the ZIP."""
        digest, size = hashlib.sha256(), 0
        with stored.open("rb") as source, self.archive.open(self._info(path), "w", force_zip64=True) as target:
            for chunk in iter(lambda: source.read(_CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        entry = Entry(path, digest.hexdigest(), size, description)
        self.entries.append(entry)
        return entry

    def close(self) -> None:
        self.archive.close()


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def build(*, user: User, out: IO[bytes], made_at: dt.datetime, report: Report) -> list[Entry]:
    """Write the export of ``user`` to ``out`` (a writable, seekable binary file); returns its entries.

    Precondition: called outside a transaction or inside one that sees the user's committed data.
    """
    report(2, STAGE_READING)
    local = timezone.localtime(made_at, _zone(user))
    writer = _Writer(out, (local.year, local.month, local.day, local.hour, local.minute, local.second))
    writer.add_json("account.json", account_data(user), "Your account")
    writer.add_json("api-tokens.json", token_data(user), "Your API tokens (names and dates, never the secrets)")
    cases = list(Case.objects.filter(owner=user).order_by("created_at"))
    summaries = []
    for number, case in enumerate(cases):
        report(5 + 85 * number // max(len(cases), 1), STAGE_CASES)
        summaries.append(_write_case(writer, case))
    report(92, STAGE_SUMMARY)
    summary = render_summary(user=user, made_at=local, summaries=summaries, account_files=writer.entries[:2])
    writer.add_bytes("summary.html", summary.encode(), "This overview")
    missing = [path for s in summaries for path in s.missing]
    manifest = {
        "format": MANIFEST_FORMAT,
        "made_at": made_at.isoformat(),
        "account": user.email,
        "files": [{"path": e.path, "sha256": e.sha256, "size": e.size} for e in writer.entries],
        "missing": missing,
    }
    entries = list(writer.entries)
    writer.add_json("manifest.json", manifest)
    writer.close()
    return entries


def _zone(user: User) -> Any:
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def account_data(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "languages": list(user.languages),
        "country_of_residence": user.country_of_residence,
        "current_country": user.current_country,
        "time_zone": user.time_zone,
        "created": user.date_joined,
        "last_sign_in": user.last_login,
        "agencies": [m.agency.name for m in user.memberships.select_related("agency").order_by("created_at")],
    }


def token_data(user: User) -> list[dict[str, Any]]:
    return [
        {
            "name": token.name,
            "prefix": token.prefix,
            "created": token.created_at,
            "last_used": token.last_used_at,
            "revoked": token.revoked_at,
        }
        for token in user.api_tokens.order_by("created_at")
    ]


def _write_case(writer: _Writer, case: Case) -> CaseSummary:
    base = f"cases/{case.pk}"
    summary = CaseSummary(case=case)
    bundle = case_bundle(case=case).model_dump_json(indent=2, exclude_none=True)
    summary.files.append(writer.add_bytes(f"{base}/bundle.json", bundle.encode(), "The case as a FHIR R4B Bundle"))
    summary.files.append(writer.add_json(f"{base}/sharing.json", sharing_data(case), "Who the case is shared with"))
    opinions = list(SecondOpinion.objects.filter(case=case).order_by("created_at"))
    if opinions:
        rows = [{"author": o.author_name, "written": o.created_at, "text": o.text} for o in opinions]
        summary.files.append(writer.add_json(f"{base}/second-opinions.json", rows, "Second opinions you received"))
    for stored in stored_files(case):
        path = f"{base}/{stored.folder}/{stored.name}"
        try:
            summary.files.append(writer.add_stored(path, stored.file, stored.description))
        except OSError:
            summary.missing.append(path)
    summary.procedures = _procedures(case)
    summary.checkins = _checkins(case)
    return summary


def sharing_data(case: Case) -> dict[str, Any]:
    shares = CaseShare.objects.filter(case=case).select_related("agency", "clinician").order_by("created_at")
    invites = ShareInvite.objects.filter(case=case).order_by("created_at")
    return {
        "shares": [
            {
                "with": share.agency.name if share.agency else (share.clinician.email if share.clinician else ""),
                "kind": "agency" if share.agency_id else "clinician",
                "scope": share.scope,
                "created": share.created_at,
                "expires": share.expires_at,
                "revoked": share.revoked_at,
            }
            for share in shares
        ],
        "invites": [
            {
                "note": invite.note,
                "scope": invite.scope,
                "created": invite.created_at,
                "link_expires": invite.expires_at,
                "accepted": invite.accepted_at,
                "revoked": invite.revoked_at,
            }
            for invite in invites
        ],
    }


def stored_files(case: Case) -> Iterator[StoredFile]:
    """Every stored file of the case, through every model pointing at it (thumbnails and unfinished
    dossiers left out), in a stable order."""
    for relation in sorted(Case._meta.related_objects, key=lambda r: r.get_accessor_name() or ""):
        model = relation.related_model
        fields = [
            f.name for f in model._meta.fields if isinstance(f, models.FileField) and f.name not in _SKIPPED_FIELDS
        ]
        if not fields:
            continue
        rows = model._default_manager.filter(**{relation.field.name: case}).order_by("pk")
        if any(f.name == "status" for f in model._meta.fields):
            rows = rows.filter(status="done")  # a dossier still being built, or failed, has no files to give
        folder = relation.get_accessor_name() or model._meta.model_name
        for row in rows:
            for name in fields:
                stored = getattr(row, name)
                if stored and stored.name:
                    yield StoredFile(folder, _file_name(row, name, stored.name), stored, _describe(row, name))


def _suffix(stored_name: str) -> str:
    base = stored_name.rsplit("/", 1)[-1]
    return base[base.rfind(".") :].lower() if "." in base else ""


def _file_name(row: Any, field_name: str, stored_name: str) -> str:
    """A readable, unique name: what the file is, its date, and the start of its row's ID."""
    short = row.pk.hex[:8] if hasattr(row.pk, "hex") else str(row.pk)
    label = row._meta.label_lower
    if label == "diary.photo":
        stem = f"{row.taken_on}-{row.view}-{short}"
    elif label == "cases.document":
        stem = f"{row.document_type}-{row.document_date or row.uploaded_at.date()}-{short}"
    elif label == "dossier.dossier":
        kind = {"pdf": "dossier", "zip_file": "dossier-originals", "draft_pdf": "kmedi-draft"}.get(
            field_name, field_name
        )
        stem = f"{row.created_at.date()}-{short}-{kind}"
    else:
        stem = f"{short}-{field_name}"
    return stem + _suffix(stored_name)


def _describe(row: Any, field_name: str) -> str:
    label = row._meta.label_lower
    if label == "diary.photo":
        return f"Photo, {row.get_view_display()} view, {row.get_body_area_display()}, taken {row.taken_on}"
    if label == "cases.document":
        return f"{row.get_document_type_display()}: {row.title}"
    if label == "dossier.dossier":
        kinds = {"pdf": "Evidence dossier (PDF)", "zip_file": "Evidence dossier: original files and manifest (ZIP)"}
        return kinds.get(field_name, "K-medi draft: account of the medical accident (PDF)")
    return f"{row._meta.verbose_name}: {field_name}"


def _procedures(case: Case) -> list[dict[str, Any]]:
    base = kb.load()
    rows = []
    for procedure in case.procedures.order_by("surgery_date", "pk"):
        record = base.procedures.get(procedure.procedure)
        rows.append(
            {
                "en": record.names.en if record else procedure.procedure,
                "ko": record.names.ko if record else "",
                "date": procedure.surgery_date,
                "anaesthesia": procedure.get_anaesthesia_display(),
            }
        )
    return rows


def _checkins(case: Case) -> list[dict[str, Any]]:
    korean_levels = _labels_in("ko", Level.choices)
    return [
        {
            "date": checkin.date,
            "level": checkin.level,
            "level_en": checkin.get_level_display(),
            "level_ko": korean_levels.get(checkin.level, ""),
            "symptoms": ", ".join(checkin.symptoms),
            "concerns": ", ".join(checkin.concerns),
            "pain": checkin.pain,
            "temperature_c": checkin.temperature_c,
            "photos": checkin.photo_count,
        }
        for checkin in case.checkins.annotate(photo_count=Count("photos")).order_by("date", "created_at")
    ]


def _labels_in(language: str, choices: list[tuple[str, Any]]) -> dict[str, str]:
    with translation.override(language):
        return {value: str(label) for value, label in choices}


def render_summary(
    *, user: User, made_at: dt.datetime, summaries: list[CaseSummary], account_files: list[Entry]
) -> str:
    """``summary.html``: self-contained (styles inline, no scripts, images or links outside the ZIP)."""
    with translation.override("en"):
        return render_to_string(
            "rights/summary.html",
            {
                "user": user,
                "account": account_data(user),
                "tokens": token_data(user),
                "made_at": made_at,
                "summaries": summaries,
                "account_files": account_files,
            },
        )
