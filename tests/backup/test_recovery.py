"""Start-up recovery after a crash: interrupted builds are failed only where no one else can be building them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from revisio.accounts.models import User
from revisio.backup.recovery import INTERRUPTED, recover_at_start
from revisio.cases.models import Case
from revisio.dossier.models import Dossier, DossierStatus
from tests.api.support import finished_dossier


@pytest.fixture
def building(case: Case, alice: User) -> Dossier:
    dossier = finished_dossier(case, alice)
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.BUILDING, progress=62)
    return dossier


@pytest.mark.django_db(transaction=True)  # the files go once the recovery's transaction commits
def test_inline_jobs_an_interrupted_build_is_failed_and_its_files_removed(
    building: Dossier, settings: Settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    settings.REVISIO_JOBS_ENABLED = True  # the tests' media fixture turns jobs off
    files = [Path(getattr(building, name).path) for name in ("pdf", "zip_file", "draft_pdf")]
    recovery = recover_at_start()
    building.refresh_from_db()
    assert (building.status, building.error, building.pdf.name) == (DossierStatus.FAILED, INTERRUPTED, "")
    assert not any(path.exists() for path in files)
    assert sum(recovery.failed_jobs.values()) == 1
    assert recovery.temp_dir.is_dir()


@pytest.mark.django_db(transaction=True)
def test_with_celery_workers_elsewhere_a_build_is_left_to_them(
    building: Dossier, settings: Settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    settings.REVISIO_JOBS_ENABLED = True
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    recovery = recover_at_start()
    building.refresh_from_db()
    assert building.status == DossierStatus.BUILDING and building.pdf.name
    assert recovery.failed_jobs == {}
