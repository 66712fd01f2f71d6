"""Apply the signed-in user's time zone (and, without an explicit choice, language) per request."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class UserPreferencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            explicit = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            preferred = next((lang for lang in user.languages if lang in self.languages), None)
            if not explicit and preferred:
                translation.activate(preferred)
                request.LANGUAGE_CODE = preferred
        else:
            timezone.deactivate()
        return self.get_response(request)
