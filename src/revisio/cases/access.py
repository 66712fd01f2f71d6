"""What a person may see of a case: the owner everything; someone it is shared with what the share's
scope allows. Every case a view reaches comes through ``selectors.case_get_for_user``, which attaches a
``CaseAccess`` to the case and records the access (or the refusal) in the audit trail (``revisio.audit``).

A view names the part of the case it shows; a share whose scope does not include that part gets the same
404 as someone the case was never shared with.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext

from revisio.cases.models import Case, ShareScope


class Part(StrEnum):
    """The parts of a case a page or endpoint shows."""

    CLINICAL = "clinical"  # procedures, check-ins and assessments, timeline, measurements over time, the plan
    PHOTOS = "photos"  # photos, thumbnails and their measurements
    IDENTIFYING = "identifying"  # documents, messages and the log, applications, dossiers, FHIR: names and contacts


SCOPE_PARTS: dict[str, frozenset[Part]] = {
    ShareScope.FULL: frozenset(Part),
    ShareScope.PHOTOS: frozenset({Part.PHOTOS}),
    ShareScope.DEIDENTIFIED: frozenset({Part.CLINICAL, Part.PHOTOS}),
}


@dataclass(frozen=True)
class CaseAccess:
    """One person's access to one case, from ownership or the union of their active shares."""

    is_owner: bool
    parts: frozenset[Part]
    identified: bool  # may see the patient's name and contact details
    faces_visible: bool  # photos served as stored (else faces are blurred)
    scopes: frozenset[str] = frozenset()

    @classmethod
    def owner(cls) -> CaseAccess:
        return cls(is_owner=True, parts=frozenset(Part), identified=True, faces_visible=True)

    @classmethod
    def from_scopes(cls, scopes: Iterable[str]) -> CaseAccess:
        given = frozenset(scopes)
        parts = frozenset(part for scope in given for part in SCOPE_PARTS.get(scope, frozenset()))
        return cls(
            is_owner=False,
            parts=parts,
            identified=ShareScope.FULL in given,
            faces_visible=bool({ShareScope.FULL, ShareScope.PHOTOS} & given),
            scopes=given,
        )

    @property
    def deidentified(self) -> bool:
        return not self.identified

    @property
    def clinical(self) -> bool:
        """Sees the course of recovery (a photos-only share does not)."""
        return Part.CLINICAL in self.parts

    def allows(self, part: Part) -> bool:
        return part in self.parts


def deidentify(case: Case) -> None:
    """Blank, in this in-memory case, what could name the patient: the title she chose, her notes, her
    name and e-mail, and implant lot and serial numbers (traceable through the clinic). The instance can
    no longer be saved (only the owner writes, and the owner always sees everything)."""
    case.title = gettext("Shared case %(ref)s") % {"ref": case.pk.hex[:8]}
    case.notes = ""
    case.owner.display_name = gettext("the patient")
    case.owner.email = ""
    case.redacted = True  # type: ignore[attr-defined]  # Case.save refuses a redacted instance


def carry_access(source: Case, target: Case) -> Case:
    """``target`` (the same case read again, e.g. with more prefetched) with ``source``'s access and redaction."""
    access: CaseAccess = source.access  # type: ignore[attr-defined]
    target.access = access  # type: ignore[attr-defined]
    if access.deidentified:
        deidentify(target)
    return target
