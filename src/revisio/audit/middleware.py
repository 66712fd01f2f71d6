"""``AuditMiddleware``: the request's origin (IP, user agent, route, URL arguments) for the audit trail,
and the case accesses of the request written once the response is ready — before it is sent, so data is
never served without its entry: if the entry cannot be written, the answer is a 500 instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from revisio.audit import context, services


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin = context.origin_of(request)
        token = context.activate(origin)
        try:
            response = self.get_response(request)
        except BaseException:
            # Only when exceptions propagate (DEBUG_PROPAGATE_EXCEPTIONS, the test client): still record.
            services.pending_write(origin, status=500, user=getattr(request, "user", None))
            raise
        finally:
            context.deactivate(token)
        services.pending_write(origin, status=response.status_code, user=getattr(request, "user", None))
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        origin = context.current()
        if origin is not None:
            context.route_of(origin, request)
