"""Stored files against the rows that name them: what is missing, what is left over, and sweeping the latter.

Every service writes a file before the row that names it commits (``web.files.cleanup_on_failure``
deletes it again if the transaction fails), and deletes a file only after the row's deletion commits.
A process killed in between (SIGKILL, a power cut, the out-of-memory killer) cannot run that clean-up:
it leaves a file no row names. Such a file is found here by comparing the media folder with every
``FileField`` of every model, and deleted once it is older than a margin, since a younger one may
belong to a write whose transaction is still open in another process.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import models
from django.utils import timezone

#: Unreferenced files younger than this are left alone: their row may not have committed yet.
SWEEP_MARGIN = dt.timedelta(minutes=10)


class SweepRefused(Exception):
    """The sweep would delete files it has reason to think are not orphans; the message says why."""


@dataclass
class FileReport:
    unreferenced: list[str] = field(default_factory=list)  # on disk, named by no row (relative to MEDIA_ROOT)
    missing: list[str] = field(default_factory=list)  # named by a row, not on disk
    referenced: int = 0
    deleted: list[str] = field(default_factory=list)
    kept_young: list[str] = field(default_factory=list)  # unreferenced, but younger than the margin

    @property
    def ok(self) -> bool:
        return not self.unreferenced and not self.missing


def referenced_names() -> set[str]:
    """Every stored file name any row of any model names (``FileField`` and subclasses)."""
    names: set[str] = set()
    for model in apps.get_models():
        for file_field in model._meta.concrete_fields:
            if isinstance(file_field, models.FileField):
                values = model._base_manager.exclude(**{file_field.name: ""}).values_list(file_field.name, flat=True)
                names.update(value for value in values if value)
    return names


def _media_root() -> Path:
    if not isinstance(default_storage, FileSystemStorage):
        raise SweepRefused("the media files are not in a local folder (e.g. S3): use the storage's own lifecycle rules")
    return Path(settings.MEDIA_ROOT)


def _stored_files(root: Path) -> dict[str, float]:
    """Relative POSIX path -> modification time (seconds since the epoch) of every file under ``root``."""
    found: dict[str, float] = {}
    if not root.is_dir():
        return found
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found[path.relative_to(root).as_posix()] = path.stat().st_mtime
    return found


def files_check() -> FileReport:
    """Compare the media folder with the rows: unreferenced files and missing ones."""
    root = _media_root()
    referenced = referenced_names()
    stored = _stored_files(root)
    return FileReport(
        unreferenced=sorted(set(stored) - referenced),
        missing=sorted(referenced - set(stored)),
        referenced=len(referenced),
    )


def files_sweep(*, older_than: dt.timedelta = SWEEP_MARGIN, force: bool = False) -> FileReport:
    """Delete unreferenced files last changed more than ``older_than`` ago, and the folders they leave empty.

    Refuses when no row names any file at all while the media folder holds old files (``force``
    overrides): that is what a wrong ``DATABASE_URL`` or an empty database looks like, and sweeping
    would delete every file.
    """
    cutoff = (timezone.now() - older_than).timestamp()  # taken before the rows are read (see the module)
    root = _media_root()
    referenced = referenced_names()
    stored = _stored_files(root)
    orphans = sorted(name for name in stored if name not in referenced)
    old = [name for name in orphans if stored[name] < cutoff]
    if old and not referenced and not force:
        raise SweepRefused(
            f"the database names no stored file at all, yet the media folder holds {len(old)} old file(s): "
            "is DATABASE_URL right? If the database really is empty, run 'revisio files sweep --force'"
        )
    report = FileReport(unreferenced=orphans, missing=sorted(referenced - set(stored)), referenced=len(referenced))
    for name in orphans:
        if stored[name] >= cutoff:
            report.kept_young.append(name)
            continue
        (root / name).unlink(missing_ok=True)
        report.deleted.append(name)
    remove_empty_folders(root, cutoff=cutoff, emptied={(root / name).parent for name in report.deleted})
    return report


def remove_empty_folders(root: Path, *, cutoff: float, emptied: set[Path] | None = None) -> None:
    """Remove empty folders under ``root`` (never ``root`` itself), deepest first: those last changed
    before ``cutoff`` (a younger one may be about to receive a file) and those this process emptied."""
    if not root.is_dir():
        return
    emptied = set(emptied or ())
    for folder, _dirs, _names in sorted(os.walk(root), key=lambda entry: -len(Path(entry[0]).parts)):
        path = Path(folder)
        if path == root:
            continue
        try:
            if (path in emptied or path.stat().st_mtime < cutoff) and not any(path.iterdir()):
                path.rmdir()
                emptied.add(path.parent)
        except OSError:  # filled or removed meanwhile
            continue
