"""Export everything: the ZIP's contents, its manifest, the summary, who may download it, and retention."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import stat
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from revisio.accounts.models import User
from revisio.diary.models import Photo
from revisio.rights import services
from revisio.rights.models import DataExport, ExportStatus
from tests.api.support import World
from tests.cast import client_for
from tests.cli.support import run


def _zip(export: DataExport) -> zipfile.ZipFile:
    with export.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def _built(user: User) -> DataExport:
    export = services.export_build(export_id=services.export_create(user=user).pk)
    assert export is not None and export.status == ExportStatus.DONE, export and export.error
    return export


def test_the_zip_holds_every_file_of_the_case_as_stored_with_a_manifest_of_their_hashes(
    world: World, bob_world: World, alice: User
) -> None:
    export = _built(alice)
    archive = _zip(export)
    names = set(archive.namelist())
    base = f"cases/{world.case.pk}"
    manifest = json.loads(archive.read("manifest.json"))

    # Every file but the manifest is listed in it, with the SHA-256 and size of the bytes in the ZIP.
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == names - {"manifest.json"}
    for path, entry in listed.items():
        data = archive.read(path)
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (entry["sha256"], entry["size"]), path
    assert manifest["missing"] == []

    # The photo as stored (already stripped of metadata), not its thumbnail; the document; the dossier's three files.
    photo = world.photo
    photo_paths = [n for n in names if n.startswith(f"{base}/photos/")]
    assert len(photo_paths) == 1 and photo_paths[0].endswith(f"-back-{photo.pk.hex[:8]}.jpg")
    assert hashlib.sha256(archive.read(photo_paths[0])).hexdigest() == photo.sha256_stored
    assert not any("thumbnail" in n for n in names)
    [document] = [n for n in names if n.startswith(f"{base}/documents/")]
    assert hashlib.sha256(archive.read(document)).hexdigest() == world.document.sha256
    assert len([n for n in names if n.startswith(f"{base}/dossiers/")]) == 3

    # The case as a FHIR Bundle, who it is shared with, and the second opinion alice received.
    bundle = json.loads(archive.read(f"{base}/bundle.json"))
    assert bundle["resourceType"] == "Bundle" and bundle["identifier"]["value"] == str(world.case.pk)
    kinds = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert {"Patient", "Procedure", "Observation", "Media", "DocumentReference", "Communication"} <= kinds
    sharing = json.loads(archive.read(f"{base}/sharing.json"))
    assert {share["with"] for share in sharing["shares"]} == {"Seoul Care Agency", "dave@example.org"}
    opinions = json.loads(archive.read(f"{base}/second-opinions.json"))
    assert opinions[0]["author"] == "Dr Dave Example"

    # Nothing of bob's.
    assert not any(str(bob_world.case.pk) in n for n in names)
    assert b"Bob's nose" not in b"".join(archive.read(n) for n in names)


def test_the_profile_and_tokens_are_there_but_never_a_secret(world: World, alice: User) -> None:
    archive = _zip(_built(alice))
    account = json.loads(archive.read("account.json"))
    assert account["email"] == "alice@example.org"
    assert account["display_name"] == "Alice"
    assert account["role"] == "patient"
    assert account["languages"] == ["en"]
    assert account["current_country"] == "GB"
    assert account["time_zone"] == "UTC"
    assert account["created"].startswith(alice.date_joined.date().isoformat())
    [token] = json.loads(archive.read("api-tokens.json"))
    stored = alice.api_tokens.get()
    assert token["name"] == "my script" and token["prefix"] == stored.prefix
    everything = b"".join(archive.read(n) for n in archive.namelist())
    assert stored.digest.encode() not in everything
    assert alice.password.encode() not in everything


def test_the_summary_is_self_contained_and_bilingual(world: World, alice: User) -> None:
    archive = _zip(_built(alice))
    summary = archive.read("summary.html").decode()
    for heading in ("Cases", "케이스", "Procedures", "시술·수술", "Check-ins", "체크인 기록", "Files", "파일"):
        assert heading in summary
    assert world.case.title in summary
    assert "Hourglass hip" in summary or "hourglass" in summary.lower()
    assert "See your surgeon" in summary or "Monitor" in summary  # the check-in's level, in words
    # No external resource: no scripts, images, frames, stylesheets or fonts to fetch, and every link
    # points at a file inside the ZIP.
    assert not re.search(r"<(script|img|iframe|link|object|embed)\b", summary, re.IGNORECASE)
    assert "url(" not in summary and "@import" not in summary
    links = re.findall(r'href="([^"]*)"', summary)
    assert links and all(link in archive.namelist() for link in links)


def test_a_stored_file_that_cannot_be_read_is_listed_as_missing_not_fatal(world: World, alice: User) -> None:
    Path(world.photo.image.path).unlink()
    export = _built(alice)
    manifest = json.loads(_zip(export).read("manifest.json"))
    assert len(manifest["missing"]) == 1 and "/photos/" in manifest["missing"][0]


def test_the_page_builds_it_and_only_the_owner_downloads_it(
    world: World,
    alice: User,
    bob: User,
    erin: User,
    settings: Settings,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    settings.REVISIO_JOBS_ENABLED = True
    owner = client_for(alice)
    assert owner.get("/account/data/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post("/account/data/new/")
    assert response.status_code == 302
    export = DataExport.objects.get(user=alice)
    assert export.status == ExportStatus.DONE
    assert export.file.name.startswith("exports/") and len(Path(export.file.name).stem) == 32  # a random name
    page = owner.get("/account/data/").content.decode()
    url = f"/account/data/{export.pk}/download/"
    assert url in page
    download = owner.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Cache-Control"] == "private, no-store"
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == export.sha256
    for other in (bob, erin):
        assert client_for(other).get(url).status_code == 404
        assert client_for(other).post(f"/account/data/{export.pk}/delete/").status_code == 404
    assert client_for(None).get(url).status_code == 302  # to sign in
    assert DataExport.objects.filter(pk=export.pk).exists()


def test_a_second_export_waits_for_the_first(world: World, alice: User) -> None:
    services.export_create(user=alice)
    with pytest.raises(services.Conflict):
        services.export_create(user=alice)


def test_expired_exports_go_with_their_files_at_the_next_request_or_by_the_command(
    world: World,
    alice: User,
    bob: User,
    capsys: pytest.CaptureFixture[str],
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    old = _built(alice)
    path = Path(old.file.path)
    DataExport.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.export_create(user=bob)  # anyone's request prunes
    assert not DataExport.objects.filter(pk=old.pk).exists() and not path.exists()

    DataExport.objects.all().delete()
    kept = _built(alice)
    gone = _built(bob)
    gone_path = Path(gone.file.path)
    DataExport.objects.filter(pk=gone.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        code, out, _ = run(capsys, "export-user", "--prune")
    assert code == 0 and "1 expired export" in out
    assert list(DataExport.objects.all()) == [kept]
    assert not gone_path.exists() and Path(kept.file.path).exists()


def test_a_deleted_export_takes_its_file(
    world: World,
    alice: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    export = _built(alice)
    path = Path(export.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(f"/account/data/{export.pk}/delete/")
    assert response.status_code == 302
    assert not DataExport.objects.exists() and not path.exists()


def test_the_command_writes_the_same_zip_readable_only_by_its_owner(
    world: World, alice: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "alice.zip"
    code, stdout, stderr = run(capsys, "export-user", "--email", "ALICE@example.org", "--out", str(out))
    assert code == 0, stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    archive = zipfile.ZipFile(out)
    assert f"cases/{world.case.pk}/bundle.json" in archive.namelist()
    assert hashlib.sha256(out.read_bytes()).hexdigest() in stdout
    assert not DataExport.objects.exists()  # the file handed over is the only copy
    assert not list(tmp_path.glob(".alice.zip*"))  # no temporary file left beside it


def test_the_command_names_what_is_wrong(alice: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export-user", "--email", "nobody@example.org", "--out", str(tmp_path / "x.zip"))
    assert code == 2 and "no account" in err
    code, _, err = run(capsys, "export-user", "--email", "alice@example.org")
    assert code == 2 and "--out" in err
    code, _, err = run(capsys, "export-user", "--email", "alice@example.org", "--out", str(tmp_path / "no" / "x.zip"))
    assert code == 2 and "does not exist" in err
    assert not (tmp_path / "x.zip").exists()


def test_photos_in_the_zip_carry_no_metadata(world: World, alice: User) -> None:
    from PIL import Image

    archive = _zip(_built(alice))
    [name] = [n for n in archive.namelist() if "/photos/" in n]
    image = Image.open(io.BytesIO(archive.read(name)))
    assert not image.getexif() and Photo.objects.count() == 1
