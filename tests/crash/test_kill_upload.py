"""SIGKILL of the whole server (gunicorn master and worker) during a photo upload, then a restart.

What must hold afterwards: no Photo row without its files, no stored file without its row (``revisio
files check`` exits 0, and the media folder holds exactly the files the rows name), no temporary
file of the dead server left after the restart, and the same upload succeeds.

Each kill is triggered by something the test observes, never by a sleep: the upload's spool file
growing in the server's temporary folder (mid-body), the stored photo appearing in the media folder
(body received, files being stored), the row being visible to another request while the upload's
response has not come (committed, the inline measuring job still running).
"""

from __future__ import annotations

import hashlib
import os
import re
import time

from revisio.backup.files import SWEEP_MARGIN
from tests.crash.server import Server, files_under, multipart, noise_jpeg, received_nothing, wait_for


def _upload(server: Server) -> tuple[bytes, str, bytes]:
    """(photo, content type, multipart body) of an upload of a 7 MB synthetic photo to the demo case's
    latest check-in, dated as that check-in (as the check-in form sends it)."""
    checkins = server.get(server.api("/checkins"))
    assert checkins.status == 200, checkins.body
    latest = checkins.json()[0]
    fields = {"view": "back", "body_area": "hips", "taken_on": latest["date"], "checkin_id": latest["id"]}
    photo = noise_jpeg()
    content_type, body = multipart(fields, file_field="file", file_name="hips.jpg", data=photo)
    return photo, content_type, body


def _photo_ids(server: Server) -> set[str]:
    answer = server.get(server.api("/photos"))
    assert answer.status == 200, answer.body
    return {photo["id"] for photo in answer.json()}


def _files_check(server: Server) -> str:
    check = server.revisio("files", "check")
    assert check.returncode == 0, f"revisio files check found something wrong:\n{check.stdout}{check.stderr}"
    return check.stdout


def _media_matches_rows(server: Server) -> None:
    """Every file in the media folder is named by a row and every row's file is there: the CLI's check,
    and the API's own view of the photos (each one's image is served)."""
    _files_check(server)
    for photo_id in _photo_ids(server):
        image = server.get(server.api(f"/photos/{photo_id}/image"))
        assert image.status == 200, f"photo {photo_id} has a row but its image cannot be served"


def _upload_again_succeeds(server: Server, photo: bytes, content_type: str, body: bytes) -> None:
    rows, files = _photo_ids(server), files_under(server.media)
    answer = server.request("POST", server.api("/photos"), body=body, content_type=content_type)
    assert answer.status == 201, answer.body
    created = answer.json()
    assert created["sha256_original"] == hashlib.sha256(photo).hexdigest(), "the server stored some other upload"
    assert _photo_ids(server) == rows | {created["id"]}
    assert len(files_under(server.media) - files) == 2, "one upload stores a photo and its thumbnail"
    _media_matches_rows(server)


def test_kill_mid_body_leaves_no_row_no_file_and_no_spool(server: Server) -> None:
    photo, content_type, body = _upload(server)
    rows, files = _photo_ids(server), files_under(server.media)
    leftover_temp = files_under(server.temp)

    upload = server.open_upload(content_type, body, server.api("/photos"))
    upload.sendall(body[: len(body) // 2])  # the rest never comes: the server is killed while it waits
    spooled = wait_for(
        lambda: [path for path in server.temp.iterdir() if path.is_file() and path.stat().st_size > 1 << 20],
        timeout=60,
        what="the upload to spool to the server's temporary folder",
    )
    server.kill()
    assert received_nothing(upload), "the server answered before it was killed"
    assert all(path.exists() for path in spooled), "a killed server cannot remove its spool file"
    assert files_under(server.media) == files, "a half-received upload stored a file"

    started = server.start()
    assert not any(path.exists() for path in spooled), "the spool file of the killed upload is still there"
    assert not (files_under(server.temp) & (leftover_temp | {path.name for path in spooled}))
    assert re.search(r"Removed \d+ temporary file\(s\) left by the previous server", started), started
    assert _photo_ids(server) == rows, "a half-received upload left a row"
    assert files_under(server.media) == files
    _media_matches_rows(server)
    _upload_again_succeeds(server, photo, content_type, body)


def test_kill_while_storing_leaves_files_the_start_up_sweep_removes(server: Server) -> None:
    """Killed as soon as the stored photo appears, before its thumbnail and row (in practice: the
    kill lands within a millisecond; a row that did commit must then be whole). The files written
    without a committed row are reported at an immediate restart and swept at a start once older than
    the sweep's margin (a later restart is simulated by dating them back)."""
    photo, content_type, body = _upload(server)
    rows, files = _photo_ids(server), files_under(server.media)
    photos = server.media / "cases" / server.case_id / "photos"
    before = files_under(photos)

    upload = server.open_upload(content_type, body, server.api("/photos"))
    upload.sendall(body)
    wait_for(lambda: files_under(photos) - before, timeout=120, every=0.001, what="the stored photo to appear")
    server.kill()
    assert received_nothing(upload), "the server answered before it was killed"

    written = files_under(server.media) - files
    assert all(name.startswith(f"cases/{server.case_id}/") for name in written), written
    offline = server.revisio("files", "check")  # the server is dead: what did it leave?
    assert not [line for line in offline.stdout.splitlines() if line.startswith("missing")], offline.stdout
    orphans = {line.split()[1] for line in offline.stdout.splitlines() if line.startswith("unreferenced")}
    assert orphans <= written, "something other than the killed upload left a file"
    assert not orphans or orphans == written, "a row names some but not all of the files its upload wrote"

    started = server.start()  # at once: the files are younger than the margin, a write may still commit
    if orphans:
        assert f"Kept {len(orphans)} stored file(s) no row names" in started, started
        assert _photo_ids(server) == rows, "an upload whose transaction never committed left a row"
        check = server.revisio("files", "check")
        assert check.returncode == 1, "revisio files check must list the kept files until they are swept"
        assert {line.split()[1] for line in check.stdout.splitlines() if line.startswith("unreferenced")} == orphans
    else:
        assert len(_photo_ids(server) - rows) == 1
        assert len(written) == 2, "a committed photo has its image and thumbnail"
        _media_matches_rows(server)

    server.kill()
    back_then = time.time() - SWEEP_MARGIN.total_seconds() - 60
    for name in written:
        os.utime(server.media / name, (back_then, back_then))
    started = server.start()
    if orphans:
        assert files_under(server.media) == files, "the start-up sweep left files of the killed upload"
        assert _photo_ids(server) == rows
        assert f"Removed {len(orphans)} stored file(s) no row names" in started, started
    _media_matches_rows(server)
    _upload_again_succeeds(server, photo, content_type, body)


def test_kill_after_commit_before_response_keeps_the_photo_whole(server: Server) -> None:
    """Killed once the row is visible to another request but before the upload's response (the
    inline measuring job runs between the two): the photo is kept whole, and the interrupted job can
    be run again by asking for the measurement."""
    photo, content_type, body = _upload(server)
    rows, files = _photo_ids(server), files_under(server.media)

    upload = server.open_upload(content_type, body, server.api("/photos"))
    upload.sendall(body)
    new = wait_for(lambda: _photo_ids(server) - rows, timeout=120, every=0.02, what="the photo row to commit")
    server.kill()
    assert received_nothing(upload), "the upload was answered before the kill: nothing ran between commit and reply"

    server.start()
    (photo_id,) = new
    assert _photo_ids(server) == rows | new
    stored = server.get(server.api(f"/photos/{photo_id}")).json()
    assert stored["sha256_original"] == hashlib.sha256(photo).hexdigest()
    assert len(files_under(server.media) - files) == 2, "the committed photo lost its image or thumbnail"
    _media_matches_rows(server)
    measured = server.request(
        "POST",
        server.api(f"/photos/{photo_id}/measurements"),
        body=b'{"kind": "body"}',
        content_type="application/json",
    )
    assert measured.status == 201, measured.body
    _upload_again_succeeds(server, photo, content_type, body)
