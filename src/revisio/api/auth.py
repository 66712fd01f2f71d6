"""API authentication: a personal access token (``Authorization: Bearer rv_...``) or the browser session.

Session requests that change something must carry the CSRF token, as in the web pages.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from revisio.accounts.selectors import user_for_token
from revisio.audit.context import note_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        note_token(token[:8])  # the prefix its owner sees on the tokens page, for the audit trail
        return user


AUTH = [TokenAuth(), SessionAuth()]
