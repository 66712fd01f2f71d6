"""The access log of a case, for its owner: who read, downloaded, exported or changed it, newest first.

Owner-only: anyone the case is shared with gets 404, like someone it was never shared with.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import translation
from ninja import Query, Router, Schema
from pydantic import Field

from revisio.api.schemas import ERROR_RESPONSES, RequestLanguageQuery, request_language
from revisio.audit import selectors
from revisio.audit.models import AuditEntry
from revisio.audit.wording import describe, who
from revisio.cases.selectors import case_get_for_user

router = Router(tags=["audit"])


class AuditLogQuery(RequestLanguageQuery):
    person: str = Field("", description="only this person's entries: a user_id from the log, or command-line")
    before: int | None = Field(None, ge=1, description="entries before this seq (the next_before of a page)")
    limit: int = Field(50, ge=1, le=200)


class AuditActorOut(Schema):
    kind: str = Field(description="user, command-line, system or anonymous")
    role: str = Field(description="owner (you), coordinator, clinician or staff, at the time")
    user_id: int | None
    you: bool


class AuditEntryOut(Schema):
    seq: int
    at: dt.datetime
    actor: AuditActorOut
    who: str = Field(description="the actor in plain words: never an e-mail address")
    action: str = Field(description="read, write, download, export or share; blank once redacted")
    description: str = Field(description="what happened in plain words, in the requested language")
    route: str
    method: str
    object_type: str
    object_id: str
    ip: str
    redacted: bool


class AuditLogOut(Schema):
    entries: list[AuditEntryOut]
    next_before: int | None = Field(description="pass as ``before`` for the next (older) page; null at the end")


def entry_out(entry: AuditEntry, name: str) -> AuditEntryOut:
    return AuditEntryOut(
        seq=entry.seq,
        at=entry.at,
        actor=AuditActorOut(
            kind=entry.actor_kind,
            role=entry.actor_role,
            user_id=entry.actor_id,
            you=entry.actor_role == "owner",
        ),
        who=name,
        action=entry.action,
        description=describe(entry),
        route=entry.route,
        method=entry.method,
        object_type=entry.object_type,
        object_id=entry.object_id,
        ip=entry.ip,
        redacted=entry.redacted,
    )


@router.get("/{case_id}/audit", response={200: AuditLogOut, **ERROR_RESPONSES})
def case_audit(request: HttpRequest, case_id: str, query: Query[AuditLogQuery]) -> AuditLogOut:
    """Who looked at the case: every read, download, export and change, newest first, a page at a time."""
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)  # the owner only
    language = request_language(query.lang)
    entries = selectors.case_log(case_id=case.pk, person=query.person)
    if query.before is not None:
        entries = entries.filter(seq__lt=query.before)
    page = list(entries[: query.limit + 1])
    more, page = len(page) > query.limit, page[: query.limit]
    known = selectors.people(page)
    with translation.override(language):
        out = [entry_out(entry, who(entry, known)) for entry in page]
    return AuditLogOut(entries=out, next_before=page[-1].seq if more else None)
