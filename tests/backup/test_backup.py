"""``revisio backup`` and ``revisio restore``: a round trip gives back every row and every file; a damaged
backup, an unsafe one, or one over a database that holds data is refused without changing anything.

These run on whichever database the suite runs on (SQLite, and PostgreSQL in ``make test``), with
real commits (``transaction=True``): a restore replaces the database underneath the test.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from pytest_django.fixtures import Settings

from revisio.backup import database
from revisio.backup.atomic import atomic_output
from revisio.backup.database import BackupRefused
from revisio.cases.models import Case
from revisio.cases.services import document_add
from revisio.demo.seed import DemoAccount, demo_seed
from tests.api.support import finished_dossier
from tests.cli.support import run
from tests.uploads.synthetic import MINIMAL_PDF

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded(settings: Settings) -> DemoAccount:
    """The demo patient (two check-ins with photos, measurements, messages) plus a document and a finished
    dossier (its row and three files as a build leaves them; building a real one takes seconds and
    tests/dossier covers it)."""
    account = demo_seed()
    case = account.case
    owner = case.owner
    document_add(
        case=case, user=owner, data=MINIMAL_PDF, original_name="consent.pdf", document_type="consent", title="Consent"
    )
    finished_dossier(case, owner)
    return account


def every_row() -> list[dict[str, Any]]:
    """Every row of every model (many-to-many links included), serialised and sorted."""
    rows = []
    for model in apps.get_models():
        rows += serializers.serialize("python", model._base_manager.order_by("pk"))
    return sorted(rows, key=lambda row: (row["model"], str(row["pk"])))


def every_file(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def wipe(media_root: Path) -> None:
    """As a fresh installation: an empty (migrated) database and no media folder."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root, ignore_errors=True)


def test_a_backup_restored_into_an_empty_installation_gives_back_every_row_and_file(
    seeded: DemoAccount, media_in_tmp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows, files = every_row(), every_file(media_in_tmp)
    assert len(files) >= 8  # photos, thumbnails, the document, the dossier's three files
    target = tmp_path / "revisio.tar"
    code, out, err = run(capsys, "backup", str(target))
    assert code == 0, err
    assert f"{len(files)} media file(s)" in out
    assert target.stat().st_mode & 0o077 == 0  # health data: readable by its owner only

    wipe(media_in_tmp)
    assert not Case.objects.exists() and not media_in_tmp.exists()
    code, out, err = run(capsys, "restore", str(target))
    assert code == 0, err

    assert every_row() == rows
    assert every_file(media_in_tmp) == files
    assert not [p for p in media_in_tmp.parent.iterdir() if p.name.startswith(".")]  # no staging left


def test_the_manifest_lists_every_file_with_its_checksum(
    seeded: DemoAccount, media_in_tmp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "revisio.tar"
    assert run(capsys, "backup", str(target))[0] == 0
    with tarfile.open(target) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        assert manifest["format"] == "revisio-backup/1"
        assert manifest["database"]["vendor"] == connection.vendor
        assert manifest["database"]["migrations"]["cases"]
        listed = {entry["path"]: entry["sha256"] for entry in manifest["media"]}
        assert {name.removeprefix("media/") for name in listed} == set(every_file(media_in_tmp))
        for name, sha256 in listed.items():
            assert hashlib.sha256(tar.extractfile(name).read()).hexdigest() == sha256  # type: ignore[union-attr]


def test_a_database_that_holds_data_is_replaced_only_with_force(
    seeded: DemoAccount, media_in_tmp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "revisio.tar"
    assert run(capsys, "backup", str(target))[0] == 0
    rows, files = every_row(), every_file(media_in_tmp)
    Case.objects.filter(pk=seeded.case.pk).update(title="Changed after the backup")
    (media_in_tmp / "added-after.txt").write_text("new")

    code, _, err = run(capsys, "restore", str(target))
    assert code == 2 and "already holds data" in err and "--force" in err
    assert Case.objects.get(pk=seeded.case.pk).title == "Changed after the backup"

    code, _, err = run(capsys, "restore", str(target), "--force")
    assert code == 0, err
    assert every_row() == rows
    assert every_file(media_in_tmp) == files


def _damaged(target: Path, tmp_path: Path) -> Path:
    """The backup with one byte changed inside one photo."""
    with tarfile.open(target) as tar:
        member = next(m for m in tar.getmembers() if "/photos/" in m.name)
    data = bytearray(target.read_bytes())
    data[member.offset_data + member.size // 2] ^= 0xFF
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(bytes(data))
    return damaged


def test_a_damaged_backup_is_refused_and_nothing_changes(
    seeded: DemoAccount, media_in_tmp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "revisio.tar"
    assert run(capsys, "backup", str(target))[0] == 0
    damaged = _damaged(target, tmp_path)
    wipe(media_in_tmp)

    code, _, err = run(capsys, "restore", str(damaged))

    assert code == 2 and "checksum" in err and "nothing was restored" in err
    assert not Case.objects.exists() and not media_in_tmp.exists()
    assert run(capsys, "restore", str(target))[0] == 0  # the undamaged one still restores


def _backup_with(tmp_path: Path, media_name: str) -> Path:
    """A hand-made backup whose manifest and member name a media file ``media_name``."""
    data = b"not a photo"
    entry = {"path": media_name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    db = tmp_path / "database.sqlite3"
    database.dump(db) if connection.vendor == "sqlite" else db.write_bytes(b"")
    db_bytes = db.read_bytes()
    manifest = {
        "format": "revisio-backup/1",
        "database": {
            "vendor": connection.vendor,
            "path": "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump",
            "sha256": hashlib.sha256(db_bytes).hexdigest(),
            "size": len(db_bytes),
        },
        "media": [entry],
    }
    target = tmp_path / "crafted.tar"
    with tarfile.open(target, "w") as tar:
        for name, content in (
            (manifest["database"]["path"], db_bytes),
            (media_name, data),
            ("manifest.json", json.dumps(manifest).encode()),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return target


@pytest.mark.parametrize("name", ["media/../../outside.txt", "/etc/revisio.txt", "media/", "elsewhere/file.txt"])
def test_a_backup_naming_a_file_outside_the_media_folder_is_refused(
    name: str, media_in_tmp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "restore", str(_backup_with(tmp_path, name)))
    assert code == 2 and "outside the media folder" in err
    assert not (tmp_path.parent / "outside.txt").exists()


def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_backup = tmp_path / "notes.tar"
    not_a_backup.write_text("hello")
    code, _, err = run(capsys, "restore", str(not_a_backup))
    assert code == 2 and "not a readable backup" in err


def test_a_missing_postgresql_tool_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupRefused, match="pg_dump is not installed"):
        database._tool("pg_dump")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite needs no external tool")
def test_without_pg_dump_the_backup_exits_2(
    seeded: DemoAccount, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    code, _, err = run(capsys, "backup", str(tmp_path / "x.tar"))
    assert code == 2 and "pg_dump is not installed" in err
    assert not (tmp_path / "x.tar").exists()


def test_a_failed_write_leaves_the_previous_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "revisio.tar"
    target.write_bytes(b"yesterday's backup")
    with pytest.raises(OSError), atomic_output(target) as out:
        out.write(b"half of today's")
        raise OSError("disk full")
    assert target.read_bytes() == b"yesterday's backup"
    assert [p.name for p in tmp_path.iterdir()] == ["revisio.tar"]
