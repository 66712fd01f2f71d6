"""The evidence dossier PDF: what each section is given to lay out (``templates/dossier/pdf/``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from revisio.diary.models import View
from revisio.dossier.attachments import CheckedFile, CheckedFiles, Readability
from revisio.dossier.facts import CheckInFact, DocumentFact, Facts, MeasurementFact, PhotoFact
from revisio.dossier.labels import Bi, label
from revisio.dossier.render import PHOTO_SCHEME, render_pdf
from revisio.dossier.story import day_label, summary, timeline

TEMPLATE = "dossier/pdf/dossier.html"
GRID_COLUMNS = 3  # photos side by side: about 58 mm each on A4
DRAFT_NAME = "kmedi-draft.pdf"
PDF_NAME = "dossier.pdf"

# (anchor, wording key) of each section, in the order printed; the cover's contents list them.
SECTIONS = (
    ("summary", "summary"),
    ("timeline", "timeline"),
    ("symptom-log", "symptom_log"),
    ("photos", "photos"),
    ("assessments", "assessments"),
    ("communications", "communications"),
    ("documents", "documents"),
    ("devices", "devices"),
    ("escalation", "escalation"),
    ("sources", "sources"),
    ("manifest", "manifest"),
)
_REASONS = {
    Readability.MISSING: "reason_missing",
    Readability.MISMATCH: "reason_mismatch",
    Readability.CORRUPT: "reason_corrupt",
    Readability.UNREADABLE: "reason_unreadable",
}


@dataclass(frozen=True)
class FileRow:
    """An attachment as the PDF lists it: what it is, where it is in the ZIP, whether it was read."""

    kind: Bi
    file: CheckedFile
    title: str
    status: Bi  # "read, matches" or "UNREADABLE: why"

    @property
    def ok(self) -> bool:
        return self.file.ok


@dataclass(frozen=True)
class PhotoRow:
    photo: PhotoFact
    row: FileRow
    src: str  # empty when the photo could not be read
    day: Bi | None


@dataclass(frozen=True)
class MeasureTable:
    """The measurements of one kind on the photos of one view: a row per photo, a column per metric,
    so change over time reads across one table (and the labels are printed once, not per photo)."""

    kind: Bi
    validated: bool
    columns: list[Bi]
    rows: list[tuple[PhotoRow, list[str]]]
    notes: list[str]  # the distinct methods and warnings of these measurements


@dataclass(frozen=True)
class ViewGroup:
    view: Bi
    grid: list[list[PhotoRow]]  # rows of ``GRID_COLUMNS`` photos
    tables: list[MeasureTable]


@dataclass(frozen=True)
class DocumentRow:
    document: DocumentFact
    row: FileRow


@dataclass(frozen=True)
class Draft:
    """The K-medi draft as the manifest lists it (built first, so its hash can be printed here)."""

    path: str
    sha256: str
    size: int


def file_status(file: CheckedFile, language: str) -> Bi:
    if file.ok:
        return label("readable", language)
    reason = label(_REASONS[file.status], language)
    unreadable = label("unreadable", language)
    return Bi(f"{unreadable.primary}: {reason.primary}", f"{unreadable.korean}: {reason.korean}", language)


def dossier_pdf(facts: Facts, files: CheckedFiles, draft: Draft) -> bytes:
    lang = facts.language
    photos = [_photo_row(p, files, lang) for p in facts.photos]
    documents = [
        DocumentRow(d, _file_row("kind_document", files.get("document", d.id), d.title, lang)) for d in facts.documents
    ]
    rows = [r.row for r in photos] + [r.row for r in documents]
    context: dict[str, Any] = {
        "facts": facts,
        "language": lang,
        "sections": [(anchor, label(key, lang)) for anchor, key in SECTIONS],
        "summary": summary(facts),
        "timeline": timeline(facts),
        "checkins": [(c, day_label(c.day, lang)) for c in facts.checkins],
        "assessments": _assessments(facts),
        "photo_groups": _by_view(photos),
        "documents": documents,
        "files": rows,
        "unreadable": [r for r in rows if not r.ok],
        "draft": draft,
        "draft_kind": label("kind_draft", lang),
        "pdf_name": PDF_NAME,
        "title": f"{label('dossier', lang)} — {facts.case_title}",
        **{key: label(key, lang) for key in ("disclaimer", "prepared_by", "verify_note", "manifest_intro")},
    }
    return render_pdf(TEMPLATE, context, language=lang, photos=files.print_photos)


@dataclass(frozen=True)
class AssessmentRow:
    checkin: CheckInFact
    day: Bi | None
    same_steps_as: str  # the date of the previous check-in that gave the very same next steps, if any


def _assessments(facts: Facts) -> list[AssessmentRow]:
    """Each check-in's assessment; next steps identical to the previous check-in's are referred to,
    not repeated (milestone steps stay the same for weeks and would fill pages)."""
    rows = []
    previous = None
    for checkin in facts.checkins:
        same = previous is not None and previous.next_steps == checkin.next_steps and bool(checkin.next_steps)
        rows.append(
            AssessmentRow(
                checkin, day_label(checkin.day, facts.language), previous.date.isoformat() if same and previous else ""
            )
        )
        if not same:
            previous = checkin
    return rows


def _file_row(kind: str, file: CheckedFile, title: str, language: str) -> FileRow:
    return FileRow(label(kind, language), file, title, file_status(file, language))


def _photo_row(photo: PhotoFact, files: CheckedFiles, language: str) -> PhotoRow:
    row = _file_row("kind_photo", files.get("photo", photo.id), photo.zip_path, language)
    src = f"{PHOTO_SCHEME}{photo.id}" if row.ok and photo.id in files.print_photos else ""
    return PhotoRow(photo, row, src, day_label(photo.day, language))


def _by_view(rows: list[PhotoRow]) -> list[ViewGroup]:
    """Photos grouped by standard view (in the order of ``View``), each group oldest first."""
    groups: defaultdict[str, list[PhotoRow]] = defaultdict(list)
    for row in rows:
        groups[row.photo.view].append(row)
    ordered = [v for v in View.values if v in groups] + [v for v in groups if v not in View.values]
    return [
        ViewGroup(
            groups[v][0].photo.view_label,
            [groups[v][i : i + GRID_COLUMNS] for i in range(0, len(groups[v]), GRID_COLUMNS)],
            _measure_tables(groups[v]),
        )
        for v in ordered
    ]


def _measure_tables(rows: list[PhotoRow]) -> list[MeasureTable]:
    by_kind: defaultdict[str, list[tuple[PhotoRow, MeasurementFact]]] = defaultdict(list)
    for row in rows:
        if row.photo.measurement is not None and row.photo.measurement.metrics:
            by_kind[row.photo.measurement.kind.primary].append((row, row.photo.measurement))
    tables = []
    for measured in by_kind.values():
        columns: dict[str, Bi] = {}
        notes: dict[str, None] = {}  # ordered and distinct
        for _, m in measured:
            for metric in m.metrics:
                unit = f" ({metric.unit})" if metric.unit else ""
                columns.setdefault(
                    metric.name, Bi(metric.label.primary + unit, metric.label.korean + unit, metric.label.language)
                )
            notes.update(dict.fromkeys([m.method, *m.warnings]))
        values = [
            (row, [{x.name: x.value for x in m.metrics}.get(name, "—") for name in columns]) for row, m in measured
        ]
        kind = measured[0][1].kind
        validated = all(m.validated for _, m in measured)
        tables.append(MeasureTable(kind, validated, list(columns.values()), values, [n for n in notes if n]))
    return tables
