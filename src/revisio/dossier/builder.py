"""Build a dossier's three files in memory, reporting progress: nothing is stored here.

The service (``services.dossier_build``) stores what this returns, so a build that fails at any
point leaves no file behind. Progress is a percentage with a short stage text (English, marked for
translation, shown translated on the dossier page).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_noop

from revisio.cases.models import Case
from revisio.dossier.attachments import check_files
from revisio.dossier.collect import collect
from revisio.dossier.document import DRAFT_NAME, Draft, dossier_pdf
from revisio.dossier.kmedi import kmedi_pdf
from revisio.dossier.package import pack

Report = Callable[[int, str], None]

STAGE_QUEUED = gettext_noop("Waiting to start")
STAGE_READING = gettext_noop("Reading the case")
STAGE_FILES = gettext_noop("Checking photos and documents")
STAGE_DRAFT = gettext_noop("Writing the K-medi draft")
STAGE_LAYOUT = gettext_noop("Laying out the PDF")
STAGE_ZIP = gettext_noop("Packing the ZIP")
STAGE_SAVING = gettext_noop("Saving")
STAGE_DONE = gettext_noop("Done")
STAGE_FAILED = gettext_noop("Failed")


@dataclass(frozen=True)
class Built:
    pdf: bytes
    zip: bytes
    draft: bytes
    manifest: dict[str, Any]
    kb_version: str

    @property
    def pdf_sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def build(*, case: Case, dossier_id: str, language: str, made_at: dt.datetime, report: Report) -> Built:
    """The dossier PDF, the ZIP and the K-medi draft of ``case`` (fetched by ``selectors.dossier_case``)."""
    report(2, STAGE_READING)
    facts = collect(case=case, dossier_id=dossier_id, language=language, made_at=made_at)
    files = check_files(facts, progress=lambda done, total: report(5 + 50 * done // total, STAGE_FILES))
    report(56, STAGE_DRAFT)
    # The draft is always Korean and English, whatever language the dossier is in.
    english = facts if language == "en" else collect(case=case, dossier_id=dossier_id, language="en", made_at=made_at)
    draft = kmedi_pdf(english)
    report(62, STAGE_LAYOUT)
    pdf = dossier_pdf(facts, files, Draft(DRAFT_NAME, hashlib.sha256(draft).hexdigest(), len(draft)))
    report(88, STAGE_ZIP)
    packed = pack(facts, files, pdf=pdf, draft=draft)
    return Built(pdf=pdf, zip=packed.data, draft=draft, manifest=packed.manifest, kb_version=facts.kb_version)
