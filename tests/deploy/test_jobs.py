"""Background jobs inline (the embedded default) and through Redis to a Celery worker store the same results;
with Celery, nothing is sent before the transaction that asked for it commits."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
import redis
from django.db import transaction
from django.utils import timezone

from revisio import jobs
from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.cases.services import ProcedureInput, case_create
from revisio.diary.models import MeasurementStatus, Photo
from revisio.diary.services import PhotoInput, checkin_add
from revisio.dossier.models import Dossier, DossierStatus
from revisio.dossier.services import dossier_request
from tests.deploy.conftest import REDIS_URL, Finished, forget_connections
from tests.dossier.support import manifest_of, pdf_text, sha256, zip_members
from tests.landmarks.photos import GRACE_HOPPER

MEASURE = "revisio.diary.measuring.photo_measure_auto"
DOSSIER = "revisio.dossier.jobs.dossier_build"
MEASUREMENT_FIELDS = (
    "kind",
    "status",
    "metrics",
    "units",
    "landmarks",
    "landmarks_source",
    "method",
    "validated",
    "validation",
    "warnings",
    "error",
)


def face_case(owner: User) -> Case:
    """A case with one check-in holding the portrait (a face: measured automatically)."""
    case = case_create(
        owner=owner,
        title="Eyelids",
        clinic_name="Example Clinic",
        clinic_country="KR",
        procedures=[ProcedureInput("hourglass-hip", timezone.localdate() - dt.timedelta(days=21))],
    )
    checkin_add(
        case=case,
        user=owner,
        date=timezone.localdate(),
        symptoms=["swelling"],
        concerns=["asymmetry"],
        photos=[PhotoInput(GRACE_HOPPER.read_bytes(), "front", "face")],
    )
    return case


def measured(case: Case) -> dict[str, Any]:
    photo = Photo.objects.get(case=case)
    rows = list(photo.measurements.values(*MEASUREMENT_FIELDS))
    assert len(rows) == 1, f"expected one measurement of the photo, found {rows}"
    return rows[0]


def dossier_of(case: Case) -> Dossier:
    dossier = Dossier.objects.get(case=case)
    assert dossier.status == DossierStatus.DONE, dossier.error
    return dossier


def comparable(dossier: Dossier) -> dict[str, Any]:
    """What a build stored, with what must differ between two builds (IDs, the time it was made, the draft
    that prints the IDs) replaced: everything else must be the same to the byte or the word."""
    case = dossier.case
    ids = {str(dossier.pk): "<dossier>", str(case.pk): "<case>"}
    for photo in case.photos.all():
        ids |= {str(photo.pk): "<photo>", photo.pk.hex[:8]: "<photo>"}
    draft_size = dossier.draft_pdf.size
    ids |= {dossier.draft_sha256: "<draft sha256>", f"{draft_size:,} B ({draft_size / 1024:.1f} KB)": "<draft size>"}

    def anonymous(text: str) -> str:
        for value, placeholder in ids.items():
            text = text.replace(value, placeholder)
        return re.sub(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?Z?)?", "<time>", text)

    data = dossier.zip_file.read()
    members = zip_members(data)
    manifest = manifest_of(data)
    manifest["dossier_pdf"] = manifest["files"][0] = "<the PDF, which prints the dossier's ID>"
    for entry in manifest["files"][1:]:
        if entry["kind"] == "kmedi-draft":
            entry["sha256"] = entry["size"] = "<prints the IDs>"
    return {
        "row": (dossier.status, dossier.progress, dossier.stage, dossier.error, dossier.kb_version, dossier.language),
        "pdf text": anonymous(" ".join(pdf_text(dossier.pdf.read(), layout=False).split())),
        "members": sorted(anonymous(name) for name in members),
        "photos": sorted(sha256(body) for name, body in members.items() if name.startswith("photos/")),
        "manifest": json.loads(anonymous(json.dumps(manifest))),
    }


@pytest.mark.django_db(transaction=True)
def test_celery_and_inline_jobs_store_the_same_results(alice: User, settings: Any, worker: Finished) -> None:
    """The same jobs (measuring a photo, building a dossier) on two identical cases: one inline, one by a
    Celery worker fed through Redis."""
    settings.CELERY_BROKER_URL = ""  # inline first, in this thread, once each transaction commits
    inline_case = face_case(alice)
    dossier_request(case=inline_case, user=alice)
    assert worker.jobs == [], "the inline path must not use the worker"

    settings.CELERY_BROKER_URL = REDIS_URL
    celery_case = face_case(alice)
    worker.wait_for(MEASURE)
    dossier_request(case=celery_case, user=alice)
    worker.wait_for(DOSSIER)

    inline_measure, celery_measure = measured(inline_case), measured(celery_case)
    assert inline_measure["status"] == MeasurementStatus.DONE, inline_measure["error"]
    assert inline_measure["metrics"], "the portrait must give measurements, or there is nothing to compare"
    assert celery_measure == inline_measure
    inline_dossier, celery_dossier = comparable(dossier_of(inline_case)), comparable(dossier_of(celery_case))
    assert "Dossier ID / 자료집 ID: <dossier>" in inline_dossier["pdf text"]
    assert len(inline_dossier["photos"]) == 1
    for part in inline_dossier:
        assert celery_dossier[part] == inline_dossier[part], f"{part} differs between the inline and the Celery job"


@pytest.mark.django_db(transaction=True)
def test_a_job_is_sent_only_once_its_transaction_commits(
    case: Case, broker: str, redis_client: redis.Redis, settings: Any
) -> None:
    """No worker runs here: the job waits in Redis, where the queue depth counts it."""
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    with transaction.atomic():
        jobs.enqueue("revisio.dossier.jobs.dossier_build", "a-dossier-id")
        assert redis_client.llen(queue) == 0, "a job must not be sent before its transaction commits"
    assert redis_client.llen(queue) == 1
    message = json.loads(redis_client.lindex(queue, 0))  # type: ignore[arg-type]
    assert message["headers"]["task"] == "revisio.run_job"
    assert message["content-type"] == "application/json"  # never pickle

    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue("revisio.dossier.jobs.dossier_build", "rolled-back")
        raise RuntimeError("the request failed")
    assert redis_client.llen(queue) == 1, "a rolled-back transaction must send nothing"

    with jobs.paused():
        jobs.enqueue("revisio.dossier.jobs.dossier_build", "paused")
    assert redis_client.llen(queue) == 1, "nothing is queued while jobs are paused"


def test_job_arguments_must_be_plain_ids(case: Case) -> None:
    """Caught inline too (the default in development and tests), not first in production with Celery."""
    with pytest.raises(TypeError, match="plain IDs"):
        jobs.enqueue("revisio.dossier.jobs.dossier_build", case)
    with pytest.raises(TypeError, match="UUID"):
        jobs.enqueue("revisio.dossier.jobs.dossier_build", case.pk)


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_broker_never_breaks_the_request(case: Case, settings: Any) -> None:
    """Redis is down: the row the request wrote stays, the failure is counted and logged."""
    from revisio.celery import app
    from revisio.web.metrics import JOBS_NOT_SENT

    settings.REVISIO_JOBS_ENABLED = True
    settings.CELERY_BROKER_URL = url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    previous = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url = url
    app.conf.broker_transport_options = {**previous[1], "max_retries": 0}
    forget_connections()
    counter = JOBS_NOT_SENT.labels(job="revisio.dossier.jobs.dossier_build")
    before = counter._value.get()
    try:
        dossier = dossier_request(case=case, user=case.owner)
    finally:
        forget_connections()
        app.conf.broker_url, app.conf.broker_transport_options = previous
    assert Dossier.objects.filter(pk=dossier.pk).exists()
    assert counter._value.get() == before + 1
