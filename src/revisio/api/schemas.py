"""Shapes shared by every endpoint: the one error body, and small helpers."""

from __future__ import annotations

from ninja import Schema


class ErrorItem(Schema):
    code: str
    message: str
    field: str | None = None


class Errors(Schema):
    errors: list[ErrorItem]


ERROR_RESPONSES = {400: Errors, 401: Errors, 404: Errors, 413: Errors, 422: Errors}
