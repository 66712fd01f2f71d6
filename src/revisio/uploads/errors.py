"""Why an upload was refused: a stable code for the web layer and an English message for people."""

from __future__ import annotations

from enum import StrEnum


class RejectionCode(StrEnum):
    """What was wrong with an upload; the web layer translates by code, so each one is precise."""

    EMPTY = "empty"
    TOO_LARGE = "too-large"
    UNSUPPORTED_TYPE = "unsupported-type"
    TOO_MANY_PIXELS = "too-many-pixels"
    CORRUPT = "corrupt"
    ACTIVE_CONTENT = "active-content"


class UploadRejected(Exception):
    """An upload Revisio will not store; ``message`` says what is wrong and what to do instead."""

    def __init__(self, code: RejectionCode, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)
