"""``revisio backup`` and ``revisio restore``: the database and the media folder in one tar file.

Layout of the tar::

    database.sqlite3 | database.pgdump     a consistent snapshot of the database (see ``database``)
    media/<path>                           every file under MEDIA_ROOT, copied one by one
    manifest.json                          format, date, versions, and the SHA-256 and size of every file

The database is snapshotted first, then the media folder copied: files are written before the rows
that name them commit and deleted only after the rows' deletion commits, so every file a snapshotted
row names is still there when the media folder is read (unless a row deleted meanwhile took its file
with it; ``revisio files check`` after a restore lists any such row). A file added after the snapshot
is copied too and is then unreferenced; the start-up sweep removes it.

A backup is written to a temporary file beside the target and renamed once complete. A restore first
reads the whole tar and checks every SHA-256 against the manifest, and refuses (changing nothing) if
one differs, if a path could escape the media folder, or if the database already holds data and
``force`` was not given. It then unpacks the media into a folder beside MEDIA_ROOT, verifying each file
again as it is written, restores the database, and only then swaps the media folders.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tarfile
import tempfile
import uuid
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage

from revisio.backup import database
from revisio.backup.atomic import atomic_output
from revisio.backup.database import BackupRefused

FORMAT = "revisio-backup/1"
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Summary:
    database: str  # vendor
    files: int
    bytes: int  # of the database snapshot and media together


class _Hashing:
    """A file read through: counts and hashes every byte tarfile takes from it."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source, self.digest, self.size = source, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _media_root() -> Path:
    if not isinstance(default_storage, FileSystemStorage):
        raise BackupRefused(
            "the media files are not in a local folder (e.g. S3 storage): back them up with the storage's "
            "own versioning or replication; 'revisio backup' covers a local MEDIA_ROOT"
        )
    return Path(settings.MEDIA_ROOT)


def _revisio_version() -> str:
    try:
        return version("revisio")
    except PackageNotFoundError:
        return "unknown"


def backup_create(*, target: Path) -> Summary:
    """Write a backup of the configured database and media folder to ``target``."""
    media_root = _media_root()
    vendor = database.vendor()
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".revisio-backup-") as scratch:
        snapshot = Path(scratch) / database.file_name()
        database.dump(snapshot)
        with atomic_output(target) as out, tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
            db_entry = _add_file(tar, snapshot, database.file_name())
            media = [
                _add_file(tar, path, MEDIA_PREFIX + path.relative_to(media_root).as_posix())
                for path in _media_files(media_root)
            ]
            manifest = {
                "format": FORMAT,
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "revisio_version": _revisio_version(),
                "database": {"vendor": vendor, **db_entry, "migrations": database.migration_state()},
                "media": media,
            }
            data = (json.dumps(manifest, indent=2) + "\n").encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(data), 0o600, int(dt.datetime.now(dt.UTC).timestamp())
            tar.addfile(info, _BytesReader(data))
    total = db_entry["size"] + sum(entry["size"] for entry in media)
    return Summary(database=vendor, files=len(media), bytes=total)


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data, self.offset = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk, self.offset = self.data[self.offset : end], min(end, len(self.data))
        return chunk


def _media_files(root: Path) -> list[Path]:
    """Every regular file under the media folder, in a stable order (links are not followed)."""
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    with path.open("rb") as source:
        info = tar.gettarinfo(fileobj=source, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o600
        reader = _Hashing(source)
        tar.addfile(info, reader)  # type: ignore[arg-type]
    if reader.size != info.size:
        raise database.BackupFailed(f"{path} changed size while it was being backed up; run the backup again")
    return {"path": name, "sha256": reader.digest.hexdigest(), "size": reader.size}


# --- restore ---------------------------------------------------------------------------------------------


def backup_restore(*, source: Path, force: bool = False) -> Summary:
    """Restore the backup at ``source`` into the configured database and media folder.

    Precondition: the server is stopped. Refuses (``BackupRefused``, nothing changed) a backup that fails
    any check, and a database that already holds data unless ``force``.
    """
    media_root = _media_root()
    with _open(source) as tar:
        manifest = _read_manifest(tar)
        expected = _expected_files(manifest)
        _verify_members(tar, expected)
        vendor = str(manifest["database"]["vendor"])
        db_name = str(manifest["database"]["path"])
        if database.holds_data() and not force:
            raise BackupRefused(
                "the configured database already holds data: restoring would replace all of it. "
                "Run 'revisio restore --force' if that is what you want (back it up first)"
            )
        media_root.parent.mkdir(parents=True, exist_ok=True)
        staging = media_root.parent / f".{media_root.name}.restoring-{uuid.uuid4().hex[:8]}"
        with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".revisio-restore-") as scratch:
            try:
                snapshot = Path(scratch) / Path(db_name).name
                _extract(tar, db_name, snapshot, expected[db_name])
                database.check(snapshot, vendor)
                staging.mkdir(mode=0o700)
                for name, (sha256, size) in expected.items():
                    if name.startswith(MEDIA_PREFIX):
                        _extract(tar, name, staging / name.removeprefix(MEDIA_PREFIX), (sha256, size))
                database.restore(snapshot)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    _swap_media(staging, media_root)
    media = [(name, size) for name, (_, size) in expected.items() if name.startswith(MEDIA_PREFIX)]
    return Summary(database=vendor, files=len(media), bytes=sum(size for _, size in expected.values()))


def _open(source: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(source, mode="r:")
    except (OSError, tarfile.TarError) as error:
        raise BackupRefused(f"{source} is not a readable backup (tar file): {error}") from None


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.getmember(MANIFEST)
        handle = tar.extractfile(member)
        if handle is None:
            raise KeyError(MANIFEST)
        manifest = json.loads(handle.read())
    except (KeyError, ValueError):
        raise BackupRefused(f"the backup has no readable {MANIFEST}: it is not a Revisio backup") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(f"the backup's format is {manifest.get('format')!r}, not {FORMAT!r}")
    return manifest


def _safe_media_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        name.startswith(MEDIA_PREFIX)
        and not path.is_absolute()
        and ".." not in path.parts
        and "\\" not in name
        and len(path.parts) > 1
    )


def _expected_files(manifest: dict[str, Any]) -> dict[str, tuple[str, int]]:
    """Name -> (SHA-256, size) of every file the manifest lists, each path checked to stay inside."""
    try:
        db = manifest["database"]
        files = {str(db["path"]): (str(db["sha256"]), int(db["size"]))}
        if db["path"] not in ("database.sqlite3", "database.pgdump"):
            raise BackupRefused(f"the backup's database file {db['path']!r} is not one Revisio writes")
        for entry in manifest["media"]:
            name = str(entry["path"])
            if not _safe_media_name(name):
                raise BackupRefused(f"the backup names a file outside the media folder: {name!r}")
            files[name] = (str(entry["sha256"]), int(entry["size"]))
    except (KeyError, TypeError, ValueError):
        raise BackupRefused(f"the backup's {MANIFEST} is incomplete") from None
    return files


def _verify_members(tar: tarfile.TarFile, expected: dict[str, tuple[str, int]]) -> None:
    """Every member a regular file the manifest lists with the same SHA-256 and size, and none missing."""
    seen = set()
    for member in tar.getmembers():
        if member.name == MANIFEST:
            continue
        if member.name not in expected or not member.isfile():
            raise BackupRefused(f"the backup holds {member.name!r}, which its manifest does not list")
        sha256, size = _hash_member(tar, member)
        if (sha256, size) != expected[member.name]:
            raise BackupRefused(
                f"{member.name} in the backup does not match its checksum in the manifest: "
                "the backup is damaged, and nothing was restored"
            )
        seen.add(member.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupRefused(f"the backup lacks {len(missing)} file(s) its manifest lists, e.g. {missing[0]}")


def _hash_member(tar: tarfile.TarFile, member: tarfile.TarInfo) -> tuple[str, int]:
    handle = tar.extractfile(member)
    if handle is None:
        raise BackupRefused(f"{member.name} in the backup cannot be read")
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: handle.read(_CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _extract(tar: tarfile.TarFile, name: str, target: Path, expected: tuple[str, int]) -> None:
    """Write one member to ``target``, checking its SHA-256 again on the bytes actually written."""
    handle = tar.extractfile(tar.getmember(name))
    if handle is None:
        raise BackupRefused(f"{name} in the backup cannot be read")
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with target.open("xb") as out:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if (digest.hexdigest(), size) != expected:
        raise BackupRefused(f"{name} changed while it was being restored; nothing was restored")


def _swap_media(staging: Path, media_root: Path) -> None:
    """Put the restored media folder in place of the current one (two renames, then the old one goes)."""
    old = None
    if media_root.exists():
        old = media_root.parent / f".{media_root.name}.replaced-{uuid.uuid4().hex[:8]}"
        media_root.rename(old)
    staging.rename(media_root)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
