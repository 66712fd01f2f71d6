"""Where an access comes from: the web request (set by ``AuditMiddleware``) or the command line.

A web request's case accesses are held here while the view runs and written by the middleware once the
response is ready (``PendingAccess``): one entry per case and request, carrying the answer's status and
what the view adds about the object served (``services.access_detail``). Outside a request, and on the
command line, accesses are written at once.
"""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from revisio.audit.models import Action, ActorKind

USER_AGENT_LENGTH = 200
_TEXT_LENGTH = 64


@dataclass
class PendingAccess:
    """A case access seen during the current request, written when the response is ready."""

    chain: str
    actor_id: int | None
    actor_role: str
    action: Action
    part: str = ""
    object_type: str = ""
    object_id: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Origin:
    """Who acts and from where, for everything recorded while it is current."""

    actor_kind: ActorKind = ActorKind.USER
    ip: str = ""
    user_agent: str = ""
    route: str = ""
    method: str = ""
    url_kwargs: dict[str, str] = field(default_factory=dict)
    token: str = ""
    deferred: bool = False  # a web request: accesses wait in ``pending`` for the response
    pending: list[PendingAccess] = field(default_factory=list)

    def url_object(self) -> tuple[str, str]:
        """The most specific object the URL names: ``("photo", "<id>")`` for ``…/photos/<photo_id>/``."""
        for name, value in reversed(self.url_kwargs.items()):
            if name.endswith("_id") and name != "case_id":
                return name.removesuffix("_id"), value
        return "", ""


_current: ContextVar[Origin | None] = ContextVar("revisio_audit_origin", default=None)


def current() -> Origin | None:
    return _current.get()


def activate(origin: Origin | None) -> Any:
    """Make ``origin`` current; returns the token for ``deactivate``."""
    return _current.set(origin)


def deactivate(token: Any) -> None:
    _current.reset(token)


def command_line_begin(command: str) -> None:
    """Record everything this process does from now on as done by the command line (``command``).

    For the ``revisio`` commands that reach a case: the process runs one command and ends, so the origin
    stays current until it exits.
    """
    _current.set(Origin(actor_kind=ActorKind.COMMAND_LINE, route=clean_text(command, 100)))


def clean_text(value: object, length: int = _TEXT_LENGTH) -> str:
    """Printable text of at most ``length`` characters: URLs and headers can carry control characters
    (PostgreSQL refuses NUL in text) and need not be valid UTF-8."""
    text = str(value).encode("utf-8", "replace").decode("utf-8")
    return "".join(ch for ch in text if ch.isprintable())[:length]


def client_ip(request: HttpRequest) -> str:
    """``REMOTE_ADDR``, or the first ``X-Forwarded-For`` address when ``REVISIO_BEHIND_PROXY`` says a trusted
    proxy sets that header; blank when neither is an IP address."""
    candidates = []
    if getattr(settings, "REVISIO_BEHIND_PROXY", False):
        candidates.append(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            address = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return str(address)
    return ""


def origin_of(request: HttpRequest) -> Origin:
    """The origin of a web request; the route is filled in once URL resolution has run."""
    return Origin(
        ip=client_ip(request),
        user_agent=clean_text(request.META.get("HTTP_USER_AGENT", ""), USER_AGENT_LENGTH),
        method=clean_text(request.method or "", 10),
        deferred=True,
    )


def route_of(origin: Origin, request: HttpRequest) -> None:
    """Copy the route name and URL arguments of ``request`` (resolved by now) into ``origin``."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return
    origin.route = clean_text(match.view_name or "", 100)
    origin.url_kwargs = {clean_text(k): clean_text(v) for k, v in match.kwargs.items()}


def note_token(prefix: str) -> None:
    """The current request was authenticated with the API token whose prefix (``rv_xxxxx``) is given."""
    origin = _current.get()
    if origin is not None:
        origin.token = clean_text(prefix, 12)
