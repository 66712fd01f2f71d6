"""The access log in plain words: who ("you", "Carol Lee, coordinator at Seoul Care Agency") and what
("opened the case page", "downloaded a photo of 7 Nov 2026").

What an entry did is worded from its route (the page or endpoint) and method; a route without words of
its own falls back to its action ("opened a page of the case", "changed the case").
``tests/audit/test_wording.py`` lists the routes that reach a case and have no words yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from revisio.audit.models import Action, ActorKind, AuditEntry

ANY = "*"
API_SUFFIX = gettext_lazy("(through the API)")

#: What a request did, by route and method (``*`` for any method).
PHRASES: dict[str, dict[str, Promise]] = {
    "cases:create": {ANY: gettext_lazy("created the case")},
    "cases:detail": {ANY: gettext_lazy("opened the case page")},
    "cases:edit": {"GET": gettext_lazy("opened the form to edit the case"), ANY: gettext_lazy("changed the case")},
    "cases:delete": {"GET": gettext_lazy("opened the page to delete the case"), ANY: gettext_lazy("deleted the case")},
    "cases:device_add": {
        "GET": gettext_lazy("opened the form to add an implant or device"),
        ANY: gettext_lazy("added an implant or device"),
    },
    "cases:device_delete": {ANY: gettext_lazy("removed an implant or device")},
    "cases:document_add": {
        "GET": gettext_lazy("opened the form to add a document"),
        ANY: gettext_lazy("added a document"),
    },
    "cases:document_download": {ANY: gettext_lazy("downloaded a document")},
    "cases:document_delete": {ANY: gettext_lazy("deleted a document")},
    "cases:shares": {"GET": gettext_lazy("opened the sharing page"), ANY: gettext_lazy("shared the case")},
    "cases:share_revoke": {ANY: gettext_lazy("stopped sharing the case")},
    "cases:invite_create": {ANY: gettext_lazy("made an invitation link for a clinician")},
    "cases:invite_revoke": {ANY: gettext_lazy("stopped an invitation link")},
    "cases:opinion_add": {
        "GET": gettext_lazy("opened the form for a second opinion"),
        ANY: gettext_lazy("wrote a second opinion"),
    },
    "diary:checkin_add": {"GET": gettext_lazy("opened the check-in form"), ANY: gettext_lazy("added a check-in")},
    "diary:checkin": {ANY: gettext_lazy("opened a check-in")},
    "diary:photos": {ANY: gettext_lazy("opened the photos and measurements")},
    "diary:photos_add": {"GET": gettext_lazy("opened the form to add photos"), ANY: gettext_lazy("added photos")},
    "diary:photo": {ANY: gettext_lazy("downloaded a photo")},
    "diary:photo_thumbnail": {ANY: gettext_lazy("saw a small copy of a photo")},
    "diary:photo_measure": {
        "GET": gettext_lazy("opened the measurements of a photo"),
        ANY: gettext_lazy("corrected the measurement of a photo"),
    },
    "diary:photo_delete": {ANY: gettext_lazy("deleted a photo")},
    "escalation:plan": {ANY: gettext_lazy("opened the next steps")},
    "escalation:step_toggle": {ANY: gettext_lazy("ticked off or reopened a next step")},
    "escalation:write": {
        "GET": gettext_lazy("opened “Write to the clinic”"),
        ANY: gettext_lazy("composed a message to the clinic"),
    },
    "escalation:log": {"GET": gettext_lazy("opened the messages and calls"), ANY: gettext_lazy("logged a message")},
    "escalation:applications": {
        "GET": gettext_lazy("opened the complaints and mediation page"),
        ANY: gettext_lazy("recorded a complaint or mediation application"),
    },
    "dossier:list": {ANY: gettext_lazy("opened the evidence dossiers")},
    "dossier:create": {ANY: gettext_lazy("asked for an evidence dossier")},
    "dossier:download": {ANY: gettext_lazy("downloaded an evidence dossier")},
    "audit:case": {ANY: gettext_lazy("opened this access log")},
    "agency:case": {
        "GET": gettext_lazy("opened the agency's page of the case"),
        ANY: gettext_lazy("assigned a coordinator or translator, or wrote an agency note"),
    },
    "directory:case_clinic": {
        "GET": gettext_lazy("opened the treating clinic and referrals"),
        ANY: gettext_lazy("changed the treating clinic or a referral"),
    },
    # The API: one route name per path, whatever the method.
    "api:case_list": {ANY: gettext_lazy("created the case")},
    "api:case_detail": {
        "GET": gettext_lazy("read the case"),
        "DELETE": gettext_lazy("deleted the case"),
        ANY: gettext_lazy("changed the case"),
    },
    "api:device_list": {"GET": gettext_lazy("read the implants and devices"), ANY: gettext_lazy("added a device")},
    "api:device_delete": {ANY: gettext_lazy("removed an implant or device")},
    "api:document_list": {"GET": gettext_lazy("read the list of documents"), ANY: gettext_lazy("added a document")},
    "api:document_file": {ANY: gettext_lazy("downloaded a document")},
    "api:document_delete": {ANY: gettext_lazy("deleted a document")},
    "api:checkin_list": {"GET": gettext_lazy("read the check-ins"), ANY: gettext_lazy("added a check-in")},
    "api:checkin_detail": {ANY: gettext_lazy("read a check-in")},
    "api:photo_list": {"GET": gettext_lazy("read the list of photos"), ANY: gettext_lazy("added a photo")},
    "api:photo_detail": {"GET": gettext_lazy("read a photo's details"), ANY: gettext_lazy("deleted a photo")},
    "api:photo_image": {ANY: gettext_lazy("downloaded a photo")},
    "api:measurement_list": {
        "GET": gettext_lazy("read the measurements of a photo"),
        ANY: gettext_lazy("measured a photo"),
    },
    "api:case_fhir": {ANY: gettext_lazy("exported the case as FHIR")},
    "api:plan": {ANY: gettext_lazy("read the next steps")},
    "api:step_done": {ANY: gettext_lazy("ticked off or reopened a next step")},
    "api:message_compose": {ANY: gettext_lazy("composed a message to the clinic")},
    "api:communication_list": {
        "GET": gettext_lazy("read the messages and calls"),
        ANY: gettext_lazy("logged a message"),
    },
    "api:application_list": {
        "GET": gettext_lazy("read the complaints and mediation applications"),
        ANY: gettext_lazy("recorded a complaint or mediation application"),
    },
    "api:dossier_list": {"GET": gettext_lazy("read the evidence dossiers"), ANY: gettext_lazy("asked for a dossier")},
    "api:dossier_file": {ANY: gettext_lazy("downloaded an evidence dossier")},
    "api:case_audit": {ANY: gettext_lazy("read this access log")},
    "api:share_list": {"GET": gettext_lazy("read whom the case is shared with"), ANY: gettext_lazy("shared the case")},
    "api:share_revoke": {ANY: gettext_lazy("stopped sharing the case")},
    "api:invite_list": {
        "GET": gettext_lazy("read the invitation links"),
        ANY: gettext_lazy("made an invitation link for a clinician"),
    },
    "api:invite_revoke": {ANY: gettext_lazy("stopped an invitation link")},
    "api:opinion_list": {"GET": gettext_lazy("read the second opinions"), ANY: gettext_lazy("wrote a second opinion")},
    # The command line.
    "revisio fhir export": {ANY: gettext_lazy("exported the case as FHIR")},
    "revisio fhir import": {ANY: gettext_lazy("created the case from a FHIR file")},
    "revisio dossier": {ANY: gettext_lazy("built an evidence dossier")},
}

FALLBACKS: dict[str, Promise] = {
    Action.READ: gettext_lazy("opened a page of the case"),
    Action.WRITE: gettext_lazy("changed the case"),
    Action.DOWNLOAD: gettext_lazy("downloaded a file of the case"),
    Action.EXPORT: gettext_lazy("exported the case"),
    Action.SHARE: gettext_lazy("changed who the case is shared with"),
}
#: Staff in the admin site, whatever the page.
ADMIN: dict[str, Promise] = {
    "GET": gettext_lazy("looked at the case in the administration site"),
    ANY: gettext_lazy("deleted part of the case in the administration site"),
}
DOSSIER_KINDS: dict[str, Promise] = {
    "pdf": gettext_lazy("the PDF"),
    "zip": gettext_lazy("the ZIP of the original files"),
    "draft": gettext_lazy("the K-medi draft"),
}


def _date(value: Any) -> str:
    try:
        return formats.date_format(dt.date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return str(value)


def describe(entry: AuditEntry) -> str:
    """What the entry's actor did, in the reader's language."""
    if entry.redacted:
        return _("erased at a person's request (right to erasure)")
    words = ADMIN if entry.route.startswith("admin:") else PHRASES.get(entry.route, {})
    phrase = str(words.get(entry.method) or words.get(ANY) or FALLBACKS.get(entry.action, _("used the case")))
    detail = entry.detail or {}
    if detail.get("created"):
        phrase = _("created the case")
    if entry.object_type == "photo" and detail.get("taken_on"):
        if detail.get("thumbnail"):
            phrase = _("saw a small copy of the photo of %(date)s") % {"date": _date(detail["taken_on"])}
        else:
            phrase = _("downloaded a photo of %(date)s") % {"date": _date(detail["taken_on"])}
    elif entry.object_type == "document" and detail.get("date"):
        phrase = _("downloaded a document of %(date)s") % {"date": _date(detail["date"])}
    elif entry.object_type == "dossier" and detail.get("kind") in DOSSIER_KINDS:
        phrase = _("downloaded an evidence dossier: %(file)s") % {"file": DOSSIER_KINDS[detail["kind"]]}
    if detail.get("blurred"):
        phrase = _("%(what)s, with faces blurred") % {"what": phrase}
    if entry.route.startswith("api:"):
        phrase = f"{phrase} {API_SUFFIX}"
    if entry.status == 404:
        phrase = _("%(what)s — not found") % {"what": phrase}
    elif entry.status is not None and entry.status >= 400:
        phrase = _("%(what)s — refused (error %(status)s)") % {"what": phrase, "status": entry.status}
    return phrase


@dataclass(frozen=True)
class Person:
    """Someone who appears in a log, as far as the database still knows them."""

    name: str
    agencies: tuple[str, ...] = ()


def who(entry: AuditEntry, people: dict[int, Person]) -> str:
    """Who did it, as the case's owner reads it: never an e-mail address."""
    if entry.redacted:
        return "—"
    if entry.actor_kind == ActorKind.COMMAND_LINE:
        return _("The command line (a server administrator)")
    if entry.actor_role == "owner":
        return _("You")
    person = people.get(entry.actor_id) if entry.actor_id is not None else None
    if entry.actor_role == "staff":
        return _("Revisio staff")
    if person is None:
        return _("A deleted account (%(role)s)") % {"role": role_name(entry.actor_role)}
    if entry.actor_role == "coordinator":
        if person.agencies:
            return _("%(name)s, coordinator at %(agencies)s") % {
                "name": person.name,
                "agencies": ", ".join(person.agencies),
            }
        return _("%(name)s, coordinator") % {"name": person.name}
    if entry.actor_role == "clinician":
        return _("%(name)s, clinician") % {"name": person.name}
    return person.name


def role_name(role: str) -> str:
    return {
        "owner": _("you"),
        "patient": _("patient"),
        "coordinator": _("coordinator"),
        "clinician": _("clinician"),
        "staff": _("staff"),
    }.get(role, _("unknown"))
