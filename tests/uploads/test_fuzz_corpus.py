"""Every broken or hostile file of ``corpus.CORPUS``, and seeded random mutations of valid ones, fed
to every way a file reaches Revisio: the check-in form's photos, the "Add photos" page, the
document page, and the API's ``POST …/photos`` and ``POST …/documents``.

A refused file gets a 4xx from the API, or the form again with its error on a page, never a 500;
it leaves no row (photo, document, check-in) and no file under MEDIA_ROOT. An accepted one is
stored under a random name with an extension from its content, without what was smuggled into it.
``pytest -s tests/uploads/test_fuzz_corpus.py`` prints how many inputs each path was given.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms.formsets import BaseFormSet
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given, seed
from hypothesis import settings as hypothesis_settings

from revisio.accounts.models import User
from revisio.cases.models import Case, Document
from revisio.diary.models import CheckIn, Photo
from tests.api.support import errors_of, token_client
from tests.cast import client_for
from tests.uploads.corpus import CORPUS, MAX_UPLOAD_BYTES, Expect, Upload, mutated

MUTATIONS = 30  # seeded random mutations per path
TRIED: dict[str, Counter[str]] = {}  # path -> {"corpus": n, "mutations": n}


@dataclass(frozen=True)
class Sent:
    data: bytes
    filename: str
    content_type: str

    def file(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(self.filename, self.data, content_type=self.content_type)


@dataclass(frozen=True)
class UploadPath:
    """One way a file reaches Revisio: ``post`` sends it for ``case`` and returns the response."""

    name: str
    document: bool
    api: bool
    post: Callable[[Client, Case, Sent], HttpResponse]

    def __str__(self) -> str:
        return self.name


def _photo_formset(prefix: str, sent: Sent, **extra: str) -> dict[str, Any]:
    return {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "12",
        f"{prefix}-0-image": sent.file(),
        f"{prefix}-0-view": "front",
        f"{prefix}-0-body_area": "hips",
        **{f"{prefix}-0-{key}": value for key, value in extra.items()},
    }


def _web_checkin(client: Client, case: Case, sent: Sent) -> HttpResponse:
    data = {"date": timezone.localdate().isoformat(), **_photo_formset("photos", sent)}
    return client.post(reverse("diary:checkin_add", kwargs={"case_id": case.pk}), data)


def _web_photos(client: Client, case: Case, sent: Sent) -> HttpResponse:
    url = reverse("diary:photos_add", kwargs={"case_id": case.pk})
    return client.post(url, _photo_formset("photos", sent, taken_on=""))


def _web_document(client: Client, case: Case, sent: Sent) -> HttpResponse:
    data = {"document_type": "receipt", "title": "", "document_date": "", "file": sent.file()}
    return client.post(reverse("cases:document_add", kwargs={"case_id": case.pk}), data)


def _api_photo(client: Client, case: Case, sent: Sent) -> HttpResponse:
    data = {"file": sent.file(), "view": "front", "body_area": "hips"}
    return client.post(f"/api/v1/cases/{case.pk}/photos", data)


def _api_document(client: Client, case: Case, sent: Sent) -> HttpResponse:
    return client.post(f"/api/v1/cases/{case.pk}/documents", {"file": sent.file(), "document_type": "receipt"})


PATHS = [
    UploadPath("web-checkin-photos", document=False, api=False, post=_web_checkin),
    UploadPath("web-add-photos", document=False, api=False, post=_web_photos),
    UploadPath("web-document", document=True, api=False, post=_web_document),
    UploadPath("api-photo", document=False, api=True, post=_api_photo),
    UploadPath("api-document", document=True, api=True, post=_api_document),
]
# What an accepted upload leaves behind: rows of these models, files under these folders.
STORED = {False: ({Photo, CheckIn}, {"photos", "thumbnails"}), True: ({Document}, {"documents"})}
STORED_EXTENSIONS = {".jpg", ".png", ".webp", ".pdf"}


def media_listing() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def rows() -> dict[str, set[Any]]:
    return {model.__name__: set(model.objects.values_list("pk", flat=True)) for model in (Photo, Document, CheckIn)}


def form_errors(response: HttpResponse) -> list[str]:
    """The errors a page shows on its forms (``form``, the ``photos`` formset) or as ``error``."""
    context = response.context
    errors: list[str] = []
    for key in ("form", "photos"):
        form = context.get(key)
        if isinstance(form, BaseFormSet):
            errors += [str(e) for e in form.non_form_errors()]
            errors += [str(e) for field_errors in form.errors for messages in field_errors.values() for e in messages]
        elif form is not None:
            errors += [str(e) for messages in form.errors.values() for e in messages]
    if context.get("error"):
        errors.append(str(context["error"]))
    return errors


def check_refused(path: UploadPath, response: HttpResponse, before: tuple[Any, set[str]]) -> None:
    if path.api:
        assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
        errors_of(response, response.status_code)
    else:
        assert response.status_code == 200, (response.status_code, response.get("Location"))
        errors = form_errors(response)
        assert errors, "the form came back without saying what is wrong"
        assert any(escape(error) in response.content.decode() for error in errors), errors
    assert (rows(), media_listing()) == before, "a refused upload left a row or a file behind"


def check_accepted(
    path: UploadPath, case: Case, response: HttpResponse, before: tuple[Any, set[str]], item: Upload
) -> None:
    expected_status = 201 if path.api else 302
    assert response.status_code == expected_status, (response.status_code, response.content[:500])
    models, folders = STORED[path.document]
    after = rows()
    new_rows = {name: after[name] - pks for name, pks in before[0].items() if after[name] - pks}
    assert set(new_rows) <= {model.__name__ for model in models} and new_rows, new_rows
    new_files = media_listing() - before[1]
    assert new_files, "accepted, but no file was stored"
    name = re.compile(rf"cases/{case.pk}/({'|'.join(folders)})/[0-9a-f]{{32}}(\.[a-z]+)")
    for stored in new_files:
        match = name.fullmatch(stored)
        assert match and match[2] in STORED_EXTENSIONS, f"stored as {stored!r} from {item.filename!r}"
        if item.payload:
            assert item.payload not in (Path(settings.MEDIA_ROOT) / stored).read_bytes(), f"{stored} kept the payload"


def remove_new_files(before: set[str]) -> None:
    for stored in media_listing() - before:
        (Path(settings.MEDIA_ROOT) / stored).unlink()


def send(path: UploadPath, client: Client, case: Case, item: Upload, sent: Sent, expect: Expect | None) -> None:
    """Post ``sent`` and check the outcome (``expect``, or whatever the response says when None) in a
    savepoint that is rolled back, and remove what was stored: every input meets the same case."""
    before = (rows(), media_listing())
    try:
        with transaction.atomic():
            response = path.post(client, case, sent)
            if expect is None:
                expect = Expect.ACCEPTED if response.status_code in (201, 302) else Expect.REFUSED
            if expect is Expect.REFUSED:
                check_refused(path, response, before)
            else:
                check_accepted(path, case, response, before, item)
            transaction.set_rollback(True)
    finally:
        remove_new_files(before[1])


@pytest.fixture
def clients(alice: User) -> dict[bool, Client]:
    """alice's browser (signed in) and her API client (a token), by ``api``."""
    return {False: client_for(alice), True: token_client(alice)}


def test_the_corpus_is_tested_at_the_size_limit_in_force() -> None:
    assert settings.MAX_UPLOAD_BYTES == MAX_UPLOAD_BYTES


@pytest.mark.parametrize("path", PATHS, ids=str)
def test_every_corpus_file_is_refused_or_stored_safely(
    path: UploadPath, case: Case, clients: dict[bool, Client], subtests: Any
) -> None:
    client = clients[path.api]
    for item in CORPUS:
        with subtests.test(msg=item.id):
            # Made here and dropped after: the oversized items are 25 MB each.
            sent = Sent(item.data(), item.filename, item.content_type)
            send(path, client, case, item, sent, item.expect(document=path.document))
        TRIED.setdefault(path.name, Counter())["corpus"] += 1


@pytest.mark.parametrize("path", PATHS, ids=str)
def test_mutated_valid_files_are_refused_or_stored_safely(
    path: UploadPath, case: Case, clients: dict[bool, Client]
) -> None:
    """Bit flips, truncations and chunk shuffles of valid files: whatever Pillow makes of them, the
    answer is a clean refusal or a clean store, never a 500 or a half-written upload."""
    client = clients[path.api]

    @seed(20260301)
    @hypothesis_settings(
        max_examples=MUTATIONS, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(mutated())
    def fuzz(sample: tuple[str, bytes]) -> None:
        how, data = sample
        item = Upload(how, lambda: data, Expect.ACCEPTED, Expect.ACCEPTED)
        send(path, client, case, item, Sent(data, "photo.jpg", "image/jpeg"), expect=None)
        TRIED.setdefault(path.name, Counter())["mutations"] += 1

    fuzz()


def test_inputs_tried_per_path(pytestconfig: pytest.Config) -> None:
    """Runs last (file order): every path got the whole corpus and its mutations (the counts are
    reported with ``pytest -s``)."""
    if set(TRIED) != {path.name for path in PATHS}:
        pytest.skip("run the whole module: not every path was fuzzed in this session")
    report = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    if report is not None and pytestconfig.getoption("capture") == "no":
        report.write_line(f"upload fuzzing: {len(CORPUS)} corpus files and up to {MUTATIONS} mutations per path")
        for name, counts in TRIED.items():
            report.write_line(f"  {name}: {counts['corpus']} corpus + {counts['mutations']} mutated = {counts.total()}")
    for name, counts in TRIED.items():
        assert counts["corpus"] == len(CORPUS), name
        assert counts["mutations"] >= MUTATIONS // 2, name
