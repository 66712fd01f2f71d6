"""Writes to the audit trail: case accesses, refused attempts, account events, and redaction.

Every entry goes through ``_append``, which locks the chain's head row, numbers the entry after the last
one and links its hash to the last one's. Callers never pass names or e-mail addresses, only IDs.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from revisio.audit import context
from revisio.audit.chain import SYSTEM_CHAIN, case_chain, content_hash, link_hash, user_chain
from revisio.audit.context import Origin, PendingAccess
from revisio.audit.models import Action, ActorKind, AuditChainHead, AuditEntry

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Writes that change who may see a case are recorded as sharing, not as plain writes.
SHARING_ROUTES = frozenset(
    {
        "cases:shares",
        "cases:share_revoke",
        "cases:invite_create",
        "cases:invite_revoke",
    }
)
_TEXT_FIELDS = {
    field.name: field.max_length
    for field in AuditEntry._meta.fields
    if field.get_internal_type() == "CharField" and field.max_length
}


def actor_role(user: Any) -> str:
    """The role a person acts in: staff above all, else their account's role."""
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return "staff"
    return str(getattr(user, "role", "") or "")


def case_access_record(
    *, user: Any, case_id: uuid.UUID, owner_id: int | None = None, write: bool = False, part: str = ""
) -> None:
    """Record that ``user`` reached the case (a write if ``write`` and the request changes something).

    Precondition: the access was granted (``cases.selectors.case_get_for_user``). In a web request the
    entry is written when the response is ready, once per case and request; elsewhere at once.
    """
    origin = context.current()
    changes = write and (origin is None or not origin.method or origin.method not in SAFE_METHODS)
    action = Action.WRITE if changes else Action.READ
    if changes and origin is not None and origin.route in SHARING_ROUTES:
        action = Action.SHARE
    _record(origin, _granted(user, case_id, owner_id, action, part))


def case_created(*, owner: Any, case_id: uuid.UUID) -> None:
    """Record that ``owner`` created the case: the first entry of its chain."""
    access = _granted(owner, case_id, getattr(owner, "pk", None), Action.WRITE, "")
    access.detail["created"] = True
    _record(context.current(), access)


def _granted(user: Any, case_id: uuid.UUID, owner_id: int | None, action: Action, part: str) -> PendingAccess:
    user_id = getattr(user, "pk", None)
    return PendingAccess(
        chain=case_chain(case_id),
        actor_id=user_id,
        actor_role="owner" if owner_id is not None and owner_id == user_id else actor_role(user),
        action=action,
        part=str(part),
    )


def case_access_denied(*, user: Any, case_id: object, write: bool = False, part: str = "") -> None:
    """Record that a signed-in ``user`` was refused a case (``case_id`` as they sent it).

    The attempt goes to the person's own ``user:`` chain, never to the case's: the case's owner is not
    told that someone tried, and an ID that names no case leaves no trace of any case. Anonymous requests
    are not recorded: they never reach a case, and recording them would let anyone fill the log.
    """
    user_id = getattr(user, "pk", None)
    if user_id is None or not getattr(user, "is_authenticated", False):
        return
    pending = PendingAccess(
        chain=user_chain(user_id),
        actor_id=user_id,
        actor_role=actor_role(user),
        action=Action.DENIED,
        part=str(part),
        object_type="case",
        object_id=context.clean_text(case_id),
        detail={"write": True} if write else {},
    )
    _record(context.current(), pending)


def access_detail(
    *, action: Action | None = None, object_type: str = "", object_id: object = "", **detail: Any
) -> None:
    """Say what the current request's case access served, e.g. a download of a photo taken on a date.

    For the views that serve files: called after the object is found, before the response leaves. Outside
    a web request (the access is written at once) there is nothing left to amend and this does nothing.
    """
    origin = context.current()
    if origin is None or not origin.deferred:
        return
    granted = [p for p in origin.pending if p.action != Action.DENIED]
    if not granted:
        return
    pending = granted[-1]
    if action is not None:
        pending.action = action
    if object_type:
        pending.object_type, pending.object_id = object_type, context.clean_text(object_id)
    pending.detail.update({key: _plain(value) for key, value in detail.items()})


def admin_access_record(*, user: Any, obj: Any) -> None:
    """Record that staff opened (or, posting, deleted) a case or an object of one in the admin site.

    ``obj`` is a case (``cases.Case``) or has a ``case_id``; anything else is not case data.
    """
    case_id = obj.pk if obj._meta.label == "cases.Case" else getattr(obj, "case_id", None)
    if case_id is None:
        return
    origin = context.current()
    changes = origin is not None and origin.method not in SAFE_METHODS
    pending = PendingAccess(
        chain=case_chain(case_id),
        actor_id=getattr(user, "pk", None),
        actor_role=actor_role(user),
        action=Action.WRITE if changes else Action.READ,
        object_type=obj._meta.model_name,
        object_id=context.clean_text(obj.pk),
    )
    _record(origin, pending)


def command_line_access_record(*, case_id: uuid.UUID, action: Action, command: str) -> AuditEntry:
    """Record an access to a case from the command line (``revisio dossier --case`` and the like), and
    count everything else this process records as the command line's."""
    context.command_line_begin(command)
    pending = PendingAccess(chain=case_chain(case_id), actor_id=None, actor_role="", action=action, part="")
    return _write(context.current(), pending)


def account_event_record(
    *, user: Any | None, action: Action, request: Any = None, user_id: int | None = None
) -> AuditEntry:
    """Record a sign-in, failed sign-in, sign-out or token use in the person's ``user:`` chain (``system``
    when nobody is known, e.g. a failed sign-in with an unknown address, which is not copied in)."""
    origin = context.current()
    if origin is None and request is not None:
        origin = context.origin_of(request)
        context.route_of(origin, request)
        origin.deferred = False
    known = getattr(user, "pk", None) or user_id
    pending = PendingAccess(
        chain=user_chain(known) if known else SYSTEM_CHAIN,
        actor_id=getattr(user, "pk", None),
        actor_role=actor_role(user) if user is not None else "",
        action=action,
        part="",
    )
    return _write(origin, pending)


def sign_in_failed_record(*, address: str, request: Any = None) -> AuditEntry:
    """A failed sign-in: in the ``user:`` chain of the account the address names (its owner can be told
    someone tried), else in ``system``. The address itself is never stored."""
    address = address.strip().lower()
    user_id = get_user_model().objects.filter(email=address).values_list("pk", flat=True).first() if address else None
    return account_event_record(user=None, user_id=user_id, action=Action.SIGN_IN_FAILED, request=request)


def pending_write(origin: Origin, *, status: int | None, user: Any = None) -> None:
    """Write what the request recorded (the middleware calls this once the response is ready); a request
    authenticated with an API token that reached no case is recorded as the token's use."""
    if not origin.pending and origin.token and getattr(user, "pk", None):
        origin.pending.append(
            PendingAccess(
                chain=user_chain(user.pk), actor_id=user.pk, actor_role=actor_role(user), action=Action.TOKEN_USE
            )
        )
    pending, origin.pending = origin.pending, []
    if not pending:
        return
    for access in pending:  # each in its own transaction: one chain's lock is never held while waiting for another's
        _write(origin, access, status=status)


def _record(origin: Origin | None, pending: PendingAccess) -> None:
    if origin is None or not origin.deferred:
        _write(origin, pending)
        return
    for seen in origin.pending:  # one entry per case (and one refusal per person) and request
        if seen.chain != pending.chain or (seen.action == Action.DENIED) != (pending.action == Action.DENIED):
            continue
        if seen.action == Action.READ and pending.action in (Action.WRITE, Action.SHARE):
            seen.action = pending.action
        return
    origin.pending.append(pending)


@transaction.atomic
def _write(origin: Origin | None, access: PendingAccess, *, status: int | None = None) -> AuditEntry:
    object_type, object_id = access.object_type, access.object_id
    if not object_type and origin is not None and access.action != Action.DENIED:
        object_type, object_id = origin.url_object()
    fields: dict[str, Any] = {
        "actor_id": access.actor_id,
        "actor_kind": origin.actor_kind if origin is not None else ActorKind.USER,
        "actor_role": access.actor_role,
        "action": access.action,
        "object_type": object_type,
        "object_id": object_id,
        "part": access.part,
        "status": status,
        "detail": access.detail,
    }
    if access.actor_id is None and fields["actor_kind"] == ActorKind.USER:
        fields["actor_kind"] = ActorKind.ANONYMOUS
    if origin is not None:
        fields.update(
            route=origin.route, method=origin.method, ip=origin.ip, user_agent=origin.user_agent, token=origin.token
        )
    return _append(chain=access.chain, fields=fields)


def _append(*, chain: str, fields: dict[str, Any]) -> AuditEntry:
    """Append one entry to ``chain``. Precondition: inside a transaction (the head row stays locked until
    it ends, so the chain's entries are numbered one after another)."""
    head = _locked_head(chain)
    for name, length in _TEXT_FIELDS.items():
        if isinstance(fields.get(name), str):
            fields[name] = context.clean_text(fields[name], length)
    entry = AuditEntry(at=timezone.now(), chain=chain, seq=head.seq + 1, **fields)
    entry.content_sha256 = content_hash(entry.content())
    entry.entry_sha256 = link_hash(head.entry_sha256, entry.content_sha256)
    if head.forgotten:  # the case or account is deleted: keep the link, not the content
        for name, blank in AuditEntry.CONTENT_BLANKS.items():
            setattr(entry, name, blank)
        entry.redacted, entry.redacted_at = True, entry.at
    entry.save(force_insert=True)
    AuditChainHead.objects.filter(pk=chain).update(seq=entry.seq, entry_sha256=entry.entry_sha256)
    return entry


def _locked_head(chain: str) -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=chain).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():  # a savepoint: another writer may create the same head first
            return AuditChainHead.objects.create(chain=chain)
    except IntegrityError:
        return AuditChainHead.objects.select_for_update().get(pk=chain)


def _plain(value: Any) -> Any:
    """A JSON value that reads back the same from every database (dates as ISO text)."""
    if isinstance(value, bool | int) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return context.clean_text(value)


# --- redaction: the right to erasure ----------------------------------------------------------------------


@transaction.atomic
def forget_case(*, case_id: uuid.UUID | str) -> int:
    """Blank every entry of a deleted case's chain, keeping the hashes so the chain still verifies, and
    blank what is appended to it later. Returns how many entries were blanked.

    Refused attempts naming the case stay in the prober's ``user:`` chain: they hold only the case's
    random ID, which names nothing once the case is gone.
    """
    return _forget(case_chain(uuid.UUID(str(case_id))))


@transaction.atomic
def forget_user(*, user_id: int) -> int:
    """Blank a deleted account's ``user:`` chain and the chains of the cases it owned (found as the
    chains it acted in as owner), as ``forget_case`` does. Returns how many entries were blanked.

    What the person did to other people's cases as a coordinator, clinician or staff is kept: it is the
    patients' record of who saw their data, and deleting one's account must not erase it. Their name is
    gone with the account (the log never held it); the page then shows "a deleted account".
    """
    owned = (
        AuditEntry.objects.filter(actor_id=user_id, actor_role="owner", chain__startswith="case:")
        .values_list("chain", flat=True)
        .distinct()
    )
    return sum(_forget(chain) for chain in [user_chain(user_id), *sorted(set(owned))])


def _forget(chain: str) -> int:
    _locked_head(chain)
    AuditChainHead.objects.filter(pk=chain, forgotten=False).update(forgotten=True)
    blanks = {**AuditEntry.CONTENT_BLANKS, "redacted": True, "redacted_at": timezone.now()}
    with _redaction_allowed():
        return AuditEntry.objects.filter(chain=chain, redacted=False)._redact(**blanks)


@contextmanager
def _redaction_allowed() -> Iterator[None]:
    """On PostgreSQL, the trigger of migration 0002 lets an UPDATE through only while this is set, and only
    one that blanks the content and marks the entry redacted. Precondition: inside a transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('revisio.audit_redaction', 'on', true)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('revisio.audit_redaction', 'off', true)")
