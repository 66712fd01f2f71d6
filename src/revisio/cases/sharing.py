"""Writes for sharing beyond a direct share: invitation links for clinicians, and clinicians' second opinions.

An invitation is a secret link the patient sends (by any channel) to a clinician; Revisio stores only the
SHA-256 of its secret. A signed-in clinician who opens it while it is valid gets a ``CaseShare`` with the
invitation's scope and end date; the link then stops working.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from revisio.accounts.models import Role, User
from revisio.cases.models import Case, CaseShare, SecondOpinion, ShareInvite, ShareScope, active_share_filter
from revisio.cases.services import case_share_create
from revisio.web.errors import InvalidInput, NotFound

#: The longest an invitation link may stay open; the share it creates may last longer (or have no end).
MAX_LINK_DAYS = 30
MAX_OPINION_CHARS = 20_000


def invite_secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def invite_create(
    *,
    case: Case,
    scope: str = ShareScope.FULL,
    link_days: int = 7,
    share_until: dt.date | None = None,
    note: str = "",
) -> tuple[ShareInvite, str]:
    """A new invitation and its secret (shown to the patient once: only its hash is kept)."""
    if scope not in ShareScope.values:
        raise InvalidInput(_("Unknown sharing scope '%(value)s'.") % {"value": scope}, field="scope")
    if not 1 <= link_days <= MAX_LINK_DAYS:
        raise InvalidInput(
            _("A link can stay open from 1 to %(days)s days.") % {"days": MAX_LINK_DAYS}, field="link_days"
        )
    now = timezone.now()
    share_expires_at = None
    if share_until is not None:
        share_expires_at = timezone.make_aware(dt.datetime.combine(share_until, dt.time.max))
        if share_expires_at <= now:
            raise InvalidInput(_("The expiry date has already passed."), field="share_until")
    secret = secrets.token_urlsafe(32)
    invite = ShareInvite.objects.create(
        case=case,
        secret_sha256=invite_secret_hash(secret),
        scope=scope,
        note=note.strip()[:200],
        expires_at=now + dt.timedelta(days=link_days),
        share_expires_at=share_expires_at,
    )
    return invite, secret


@transaction.atomic
def invite_revoke(*, invite: ShareInvite) -> None:
    if invite.revoked_at is None and invite.accepted_at is None:
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])


def invite_open(*, secret: str) -> ShareInvite:
    """The open invitation with this secret, else ``NotFound`` (used, revoked, expired or never made look alike)."""
    invite = (
        ShareInvite.objects.select_related("case", "case__owner")
        .filter(secret_sha256=invite_secret_hash(secret))
        .first()
    )
    if invite is None or not invite.is_open:
        raise NotFound(_("This invitation link is not valid: it was used, stopped or has expired."))
    return invite


@transaction.atomic
def invite_accept(*, secret: str, user: User) -> CaseShare:
    """Turn an open invitation into a share with ``user``, who must be a clinician other than the patient."""
    invite = invite_open(secret=secret)
    invite = ShareInvite.objects.select_for_update().get(pk=invite.pk)  # two clicks cannot both accept
    if not invite.is_open:
        raise NotFound(_("This invitation link is not valid: it was used, stopped or has expired."))
    if user.role != Role.CLINICIAN:
        raise InvalidInput(_("Only a clinician's account can accept an invitation to a case."), field="user")
    share = case_share_create(case=invite.case, clinician=user, expires_at=invite.share_expires_at, scope=invite.scope)
    invite.accepted_at = timezone.now()
    invite.accepted_by = user
    invite.share = share
    invite.save(update_fields=["accepted_at", "accepted_by", "share"])
    return share


@transaction.atomic
def opinion_add(*, case: Case, author: User, text: str) -> SecondOpinion:
    """A clinician's written second opinion on a case shared with them (precondition: ``case`` came through
    ``case_get_for_user`` for ``author``, so they can see it)."""
    shared = CaseShare.objects.filter(active_share_filter(), case=case, clinician=author).exists()
    if author.role != Role.CLINICIAN or not shared:  # first: someone who may not write learns nothing more
        raise NotFound(_("Only a clinician the case is shared with can give a second opinion."))
    text = text.strip()
    if not text:
        raise InvalidInput(_("Write your opinion first."), field="text")
    if len(text) > MAX_OPINION_CHARS:
        raise InvalidInput(_("Keep it to at most %(count)s characters.") % {"count": MAX_OPINION_CHARS}, field="text")
    return SecondOpinion.objects.create(
        case=case, author=author, author_name=author.display_name or author.email, text=text
    )
