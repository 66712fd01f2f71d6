"""Dossiers through the API: ask for one, follow it, download its files; one build at a time."""

from __future__ import annotations

import hashlib

from revisio.accounts.models import User
from revisio.dossier.jobs import dossier_build
from revisio.dossier.models import Dossier
from tests.api.support import World, assert_not_found, content_of, error_of, snapshot
from tests.cast import client_for

API = "/api/v1"


def test_a_dossier_is_built_and_its_files_downloaded(world: World, alice: User) -> None:
    client = client_for(alice)
    url = f"{API}/cases/{world.case.pk}/dossiers"

    asked = client.post(url)

    assert asked.status_code == 202, asked.content
    queued = asked.json()
    assert (queued["status"], queued["files"], queued["language"], queued["second_language"]) == (
        "queued",
        [],
        "en",
        "ko",
    )
    dossier_build(queued["id"])  # jobs run inline after commit; the tests turn them off and run it here
    listed = client.get(url).json()
    assert listed[0]["id"] == queued["id"]  # newest first
    done = listed[0]
    assert (done["status"], done["progress"], done["stalled"]) == ("done", 100, False)
    assert [f["kind"] for f in done["files"]] == ["pdf", "zip", "draft"]
    for item in done["files"]:
        response = client.get(item["url"])
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        data = content_of(response)
        assert hashlib.sha256(data).hexdigest() == item["sha256"]
    pdf = content_of(client.get(done["files"][0]["url"]))
    assert pdf.startswith(b"%PDF")


def test_one_build_at_a_time(world: World, alice: User) -> None:
    client = client_for(alice)
    url = f"{API}/cases/{world.case.pk}/dossiers"
    assert client.post(url).status_code == 202
    before = snapshot()
    error = error_of(client.post(url), 409, "dossier-running")
    assert "already being built" in error["message"]
    assert snapshot() == before


def test_an_unfinished_dossier_or_an_unknown_file_is_not_found(world: World, alice: User) -> None:
    client = client_for(alice)
    queued = client.post(f"{API}/cases/{world.case.pk}/dossiers").json()
    assert_not_found(client.get(f"{API}/cases/{world.case.pk}/dossiers/{queued['id']}/pdf"))
    assert_not_found(client.get(f"{API}/cases/{world.case.pk}/dossiers/{world.dossier.pk}/passwords"))
    assert Dossier.objects.filter(case=world.case).count() == 2
