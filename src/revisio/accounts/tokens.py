"""Personal access tokens: ``rv_`` + 40 random characters, shown once, stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "rv_"


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(30)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
