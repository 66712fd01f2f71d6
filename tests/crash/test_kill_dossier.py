"""SIGKILL of the whole server while a dossier is being built, then a restart.

What must hold afterwards: the dossier the dead server was building is FAILED with the "Interrupted"
message and offers no file, no partial PDF or ZIP is left in the media folder, and asking for a new
dossier succeeds: its PDF is served, and its SHA-256 is the one the row records.
"""

from __future__ import annotations

import hashlib
from typing import Any

from revisio.backup.recovery import INTERRUPTED
from tests.crash.server import Server, files_under, received_nothing, wait_for

#: Progress (per cent) of the layout stage, the longest of a build: killed there, the build has read
#: the case, checked every photo and written the K-medi draft in memory, and stored nothing yet.
LAYING_OUT = 62


def _dossiers(server: Server) -> list[dict[str, Any]]:
    answer = server.get(server.api("/dossiers"))
    assert answer.status == 200, answer.body
    return answer.json()  # type: ignore[no-any-return]


def _dossier(server: Server, dossier_id: str) -> dict[str, Any]:
    (found,) = [dossier for dossier in _dossiers(server) if dossier["id"] == dossier_id]
    return found


def test_kill_mid_build_fails_the_dossier_and_a_new_one_builds(server: Server) -> None:
    files = files_under(server.media)
    dossiers = server.media / "cases" / server.case_id / "dossiers"

    # With jobs inline the POST is answered once the build is done: it is sent, never waited for.
    request = server.open_upload("application/json", b"", server.api("/dossiers"))
    building = wait_for(
        lambda: [d for d in _dossiers(server) if d["status"] == "building" and d["progress"] >= LAYING_OUT],
        timeout=120,
        every=0.02,
        what="the dossier to be laid out",
    )
    server.kill()
    assert received_nothing(request), "the build finished before the kill"
    (interrupted,) = building
    assert not files_under(dossiers), "a dossier file was stored before the build was done"

    started = server.start()
    failed = _dossier(server, interrupted["id"])
    assert (failed["status"], failed["error"], failed["files"]) == ("failed", INTERRUPTED, [])
    assert not failed["stalled"], "a dossier failed at start-up is not left looking stalled"
    assert "Recovered 1 interrupted dossier build(s)" in started, started
    assert files_under(server.media) == files, "the killed build left a file in the media folder"
    check = server.revisio("files", "check")
    assert check.returncode == 0, check.stdout + check.stderr

    asked = server.request("POST", server.api("/dossiers"), body=b"", content_type="application/json")
    assert asked.status == 202, asked.body
    new_id = asked.json()["id"]
    done = wait_for(
        lambda: (dossier := _dossier(server, new_id))["status"] in ("done", "failed") and dossier,
        timeout=180,
        every=0.2,
        what="the new dossier to be built",
    )
    assert done["status"] == "done", done["error"]
    files_by_kind = {file["kind"]: file for file in done["files"]}
    assert set(files_by_kind) == {"pdf", "zip", "draft"}
    pdf = server.get(files_by_kind["pdf"]["url"])
    assert pdf.status == 200, pdf.body[:500]
    assert pdf.body.startswith(b"%PDF-")
    assert hashlib.sha256(pdf.body).hexdigest() == files_by_kind["pdf"]["sha256"]
    stored = {path.read_bytes() for path in dossiers.iterdir()}
    assert pdf.body in stored, "the PDF served is not the one stored in the media folder"
    assert len(files_under(dossiers)) == 3, "the new dossier stores its PDF, ZIP and draft, and nothing else"
    assert _dossier(server, interrupted["id"])["status"] == "failed"
    check = server.revisio("files", "check")
    assert check.returncode == 0, check.stdout + check.stderr
