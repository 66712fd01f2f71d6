"""Domain errors with stable codes, rendered in one place: the API's ``{"errors": [...]}`` body and the
web pages' messages. A service raises these for anything a user can fix; nothing else reaches users."""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class InvalidInput(DomainError):
    status = 400
    code = "invalid"


class NotFound(DomainError):
    status = 404
    code = "not-found"


class Conflict(DomainError):
    status = 409
    code = "conflict"
