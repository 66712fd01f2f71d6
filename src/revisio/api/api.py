"""The JSON API under ``/api/v1/`` (OpenAPI at ``/api/v1/openapi.json``, docs at ``/api/v1/docs``).

Every error, whatever raised it, leaves as ``{"errors": [{"code", "message", "field"}]}`` with a 4xx
status; an unexpected failure is logged and answered 500 in the same shape, never with a traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from revisio.api import audit, cases, diary, dossier, escalation, fhir, knowledge, sharing
from revisio.api.auth import AUTH
from revisio.web.errors import DomainError

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Revisio API",
    version="1",
    description=(
        "Case record, recovery diary, recovery check, next steps and complaints, FHIR export and import."
        " Revisio informs; it does not diagnose."
    ),
    auth=AUTH,
    urls_namespace="api",
)


def _errors(request: HttpRequest, status: int, *items: dict[str, Any]) -> HttpResponse:
    # Every item has all three keys, "field" null when the error is not about one input.
    errors = [{"code": item["code"], "message": item["message"], "field": item.get("field")} for item in items]
    return api.create_response(request, {"errors": errors}, status=status)


_SOURCES = frozenset({"body", "query", "path", "form", "file", "header", "cookie"})


def _location(error: dict[str, Any]) -> tuple[str, str | None]:
    """Where the error is, as the client knows it: ``("body", "procedures.0.surgery_date")``.

    ninja's ``loc`` starts with the source, then (for a JSON body) the view's parameter name, which
    the client never sends; a file's field name equals its source (``("file", "file")``).
    """
    parts = [str(part) for part in error.get("loc", ())]
    source = parts.pop(0) if parts and parts[0] in _SOURCES else ""
    if source == "body":
        parts = parts[1:]
    return source, ".".join(parts) or None


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    items = []
    for error in exc.errors:
        source, field = _location(error)
        message = error.get("msg", "invalid value")
        where = field or ("request body" if source == "body" else None)
        items.append({"code": "invalid", "message": f"{where}: {message}" if where else message, "field": field})
    return _errors(request, 422, *items)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _errors(request, exc.status, {"code": exc.code, "message": exc.message, "field": exc.field})


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = "sign in, or send a personal access token as 'Authorization: Bearer rv_...'"
    return _errors(request, 401, {"code": "unauthenticated", "message": message})


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _errors(request, 404, {"code": "not-found", "message": "no such object, or not yours to see"})


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _errors(request, exc.status_code, {"code": "http-error", "message": str(exc)})


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _errors(request, 413, {"code": "too-large", "message": "the request body is too large"})


@api.exception_handler(Exception)
def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unexpected API error on %s %s", request.method, request.path)
    return _errors(request, 500, {"code": "server-error", "message": "something went wrong on our side"})


api.add_router("", knowledge.router)
api.add_router("/cases", cases.router)
api.add_router("/cases", diary.router)
api.add_router("", fhir.router)
api.add_router("/cases", escalation.router)
api.add_router("", escalation.bodies_router)
api.add_router("/cases", dossier.router)
api.add_router("/cases", audit.router)
api.add_router("", sharing.router)
