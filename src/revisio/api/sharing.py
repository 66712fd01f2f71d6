"""Sharing endpoints: the owner's shares with agencies and clinicians, invitation links for clinicians,
accepting one, and clinicians' second opinions.

Only the owner manages sharing: anyone else gets the same 404 as for a case they cannot see. An
invitation's link is in the answer that creates it and nowhere else (only its secret's hash is kept).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from pydantic import Field

from revisio.api.schemas import ERROR_RESPONSES, Input
from revisio.cases import selectors, services, sharing
from revisio.cases.access import Part
from revisio.cases.models import CaseShare, SecondOpinion, ShareInvite, ShareScope
from revisio.web.errors import InvalidInput, NotFound

router = Router(tags=["sharing"])

# The largest ID a database row can have (a signed 64-bit integer): a bigger one would fail in the database.
MAX_ROW_ID = 2**63 - 1


# --- shares --------------------------------------------------------------------------------------


class ShareOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    party_kind: Literal["agency", "clinician"]
    party: str = Field(description="the agency's name, or the clinician's e-mail address")
    agency_id: int | None = Field(description="the agency's ID, to share with it again")
    scope: ShareScope
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    active: bool = Field(description="neither stopped nor expired: they see the case now")


def share_out(share: CaseShare) -> ShareOut:
    agency = share.agency
    return ShareOut(
        id=share.pk,
        case_id=share.case_id,
        party_kind="agency" if agency is not None else "clinician",
        party=agency.name if agency is not None else share.clinician.email,  # type: ignore[union-attr]
        agency_id=share.agency_id,
        scope=ShareScope(share.scope),
        created_at=share.created_at,
        expires_at=share.expires_at,
        revoked_at=share.revoked_at,
        active=share.is_active,
    )


class ShareIn(Input):
    agency_id: int | None = Field(None, ge=1, le=MAX_ROW_ID, description="share with this agency's coordinators")
    clinician_email: str | None = Field(
        None, max_length=254, description="or with the clinician who has a Revisio account with this e-mail address"
    )
    scope: ShareScope = ShareScope.FULL
    expires_at: dt.datetime | None = Field(
        None, description="when sharing ends, with a time zone (e.g. 2026-12-31T23:59:59Z); none: until you stop it"
    )


def _aware(value: dt.datetime | None, *, field: str) -> dt.datetime | None:
    """``value`` as an aware UTC time; a time without a zone, or one the database cannot hold, is a 400."""
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(f"{field}: give a time zone, e.g. 2026-12-31T23:59:59Z", field=field)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:  # e.g. 9999-12-31T23:59:59-14:00 is in the year 10000 in UTC
        raise InvalidInput(f"{field}: give a date between the years 1 and 9999", field=field) from None


@router.get("/cases/{case_id}/shares", response={200: list[ShareOut], **ERROR_RESPONSES})
def share_list(request: HttpRequest, case_id: str) -> list[ShareOut]:
    """Everyone the case is or was shared with, newest first; ``active`` says who sees it now. Owner only."""
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    return [share_out(share) for share in selectors.shares_of(case=case)]


@router.post("/cases/{case_id}/shares", response={201: ShareOut, **ERROR_RESPONSES})
def share_create(request: HttpRequest, case_id: str, payload: ShareIn) -> Status[ShareOut]:
    """Share the case with an agency (``agency_id``) or with a clinician on Revisio (``clinician_email``).
    A clinician without an account gets an invitation link instead (``POST …/invites``)."""
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    agency = clinician = None
    if payload.agency_id is not None:
        agency = selectors.agency_for_sharing(agency_id=payload.agency_id)
        if agency is None:
            raise InvalidInput(f"agency_id: there is no agency with the ID {payload.agency_id}", field="agency_id")
    if payload.clinician_email is not None:
        clinician = selectors.clinician_for_sharing(email=payload.clinician_email)
        if clinician is None:
            raise InvalidInput(
                "clinician_email: no clinician has a Revisio account with this e-mail address; "
                "send them an invitation link instead (POST …/invites)",
                field="clinician_email",
            )
    share = services.case_share_create(
        case=case,
        agency=agency,
        clinician=clinician,
        expires_at=_aware(payload.expires_at, field="expires_at"),
        scope=payload.scope.value,
    )
    return Status(201, share_out(share))


@router.delete("/cases/{case_id}/shares/{share_id}", response={204: None, **ERROR_RESPONSES})
def share_revoke(request: HttpRequest, case_id: str, share_id: str) -> Status[None]:
    """Stop sharing at once: their next request is refused. Stopping a stopped share changes nothing."""
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    services.case_share_revoke(share=selectors.share_get(case=case, share_id=share_id))
    return Status(204, None)


# --- invitation links ----------------------------------------------------------------------------


class InviteOut(Schema):
    id: uuid.UUID
    scope: ShareScope
    note: str = Field(description="for whom: only the patient sees it")
    created_at: dt.datetime
    expires_at: dt.datetime = Field(description="when the link stops working")
    share_expires_at: dt.datetime | None = Field(description="when the share it creates ends; none: no end")
    revoked_at: dt.datetime | None
    accepted_at: dt.datetime | None
    accepted_by: str | None = Field(description="the e-mail address of the clinician who accepted it")
    share_id: uuid.UUID | None = Field(description="the share it became")
    open: bool = Field(description="the link works now: not used, stopped or expired")


class InviteCreatedOut(InviteOut):
    link: str = Field(description="the link to send to the clinician: shown this once, never again")


def invite_out(invite: ShareInvite) -> InviteOut:
    return InviteOut(
        id=invite.pk,
        scope=ShareScope(invite.scope),
        note=invite.note,
        created_at=invite.created_at,
        expires_at=invite.expires_at,
        share_expires_at=invite.share_expires_at,
        revoked_at=invite.revoked_at,
        accepted_at=invite.accepted_at,
        accepted_by=invite.accepted_by.email if invite.accepted_by is not None else None,
        share_id=invite.share_id,
        open=invite.is_open,
    )


class InviteIn(Input):
    scope: ShareScope = ShareScope.FULL
    link_days: int = Field(7, ge=1, le=sharing.MAX_LINK_DAYS, description="how many days the link works")
    share_until: dt.date | None = Field(None, description="the last day of the share it creates; none: no end")
    note: str = Field("", max_length=200, description="for whom: only you see it")


@router.get("/cases/{case_id}/invites", response={200: list[InviteOut], **ERROR_RESPONSES})
def invite_list(request: HttpRequest, case_id: str) -> list[InviteOut]:
    """The case's invitation links, newest first, without the links themselves. Owner only."""
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    return [invite_out(invite) for invite in selectors.invites_of(case=case)]


@router.post("/cases/{case_id}/invites", response={201: InviteCreatedOut, **ERROR_RESPONSES})
def invite_create(request: HttpRequest, case_id: str, payload: InviteIn) -> Status[InviteCreatedOut]:
    """A link for a clinician: opened by a signed-in clinician (or sent to ``POST /invites/accept``) while
    it works, it shares the case with them. The answer holds the link; copy it, it is not shown again."""
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    invite, secret = sharing.invite_create(
        case=case,
        scope=payload.scope.value,
        link_days=payload.link_days,
        share_until=payload.share_until,
        note=payload.note,
    )
    link = request.build_absolute_uri(reverse("invite", args=[secret]))
    return Status(201, InviteCreatedOut(**invite_out(invite).model_dump(), link=link))


@router.delete("/cases/{case_id}/invites/{invite_id}", response={204: None, **ERROR_RESPONSES})
def invite_revoke(request: HttpRequest, case_id: str, invite_id: str) -> Status[None]:
    """Stop a link: it no longer works. A share it already became stays (stop that with ``DELETE …/shares/ID``)."""
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, write=True)
    sharing.invite_revoke(invite=selectors.invite_get(case=case, invite_id=invite_id))
    return Status(204, None)


class InviteAcceptIn(Input):
    secret: str = Field(
        min_length=1, max_length=200, description="the last part of the invitation link (…/invites/SECRET/)"
    )


@router.post("/invites/accept", response={201: ShareOut, **ERROR_RESPONSES})
def invite_accept(request: HttpRequest, payload: InviteAcceptIn) -> Status[ShareOut]:
    """Accept an invitation as the clinician signed in: the case is shared with you. A link that was used,
    stopped, has expired or never existed is a 404; an account that is not a clinician's, a 400."""
    share = sharing.invite_accept(secret=payload.secret.strip(), user=request.user)  # type: ignore[arg-type]
    return Status(201, share_out(share))


# --- second opinions -----------------------------------------------------------------------------


class OpinionOut(Schema):
    id: uuid.UUID
    author_name: str
    by_me: bool
    text: str
    created_at: dt.datetime


def opinion_out(opinion: SecondOpinion, request: HttpRequest) -> OpinionOut:
    return OpinionOut(
        id=opinion.pk,
        author_name=opinion.author_name,
        by_me=opinion.author_id == request.user.pk,
        text=opinion.text,
        created_at=opinion.created_at,
    )


class OpinionIn(Input):
    text: str = Field(min_length=1, max_length=sharing.MAX_OPINION_CHARS)


@router.get("/cases/{case_id}/opinions", response={200: list[OpinionOut], **ERROR_RESPONSES})
def opinion_list(request: HttpRequest, case_id: str) -> list[OpinionOut]:
    """Second opinions on the case, newest first: the patient reads all of them, a clinician their own,
    a coordinator none."""
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, part=Part.CLINICAL)
    return [opinion_out(opinion, request) for opinion in selectors.opinions_for_user(case=case, user=request.user)]


@router.post("/cases/{case_id}/opinions", response={201: OpinionOut, **ERROR_RESPONSES})
def opinion_create(request: HttpRequest, case_id: str, payload: OpinionIn) -> Status[OpinionOut]:
    """A second opinion from a clinician the case is shared with (a photos-only share is enough, as on the
    photos page); the patient reads it. Anyone else gets a 404."""
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, part=Part.PHOTOS)
    try:
        opinion = sharing.opinion_add(case=case, author=request.user, text=payload.text)  # type: ignore[arg-type]
    except NotFound:  # the patient, a coordinator: like any case one may not write to
        raise Http404 from None
    return Status(201, opinion_out(opinion, request))
