"""Why a photo or a landmarks file could not be measured: a stable code and a message saying what to do."""

from __future__ import annotations

from enum import StrEnum


class DetectionCode(StrEnum):
    """What went wrong; callers (CLI, web, jobs) branch and translate on the code, never on the message."""

    NOT_AN_IMAGE = "not-an-image"
    UNREADABLE = "unreadable"
    TOO_LARGE = "too-large"
    TOO_SMALL = "too-small"
    NO_FACE = "no-face"
    SEVERAL_FACES = "several-faces"
    NO_BODY = "no-body"
    NO_HEAD_OUTLINE = "no-head-outline"
    NEEDS_LANDMARKS = "needs-landmarks"
    BAD_LANDMARKS = "bad-landmarks"
    CANNOT_MEASURE = "cannot-measure"


class DetectionError(Exception):
    """A photo or landmarks Revisio cannot measure; ``message`` says what is wrong and how to fix it."""

    def __init__(self, code: DetectionCode | str, message: str) -> None:
        self.code = DetectionCode(code)
        self.message = message
        super().__init__(message)

    def __reduce__(self) -> tuple[type[DetectionError], tuple[str, str]]:
        # Crosses process boundaries in batch runs: pickle with both arguments, not just the message.
        return (DetectionError, (self.code.value, self.message))
