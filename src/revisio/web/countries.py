"""Country codes and their names in the reader's language, from pycountry's ISO 3166 catalogues."""

from __future__ import annotations

import functools
import gettext

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

CODES = frozenset(country.alpha_2 for country in pycountry.countries)


@functools.cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _base(language: str | None) -> str:
    return (language or "en").split("-")[0]


def country_name(code: str, language: str | None = None) -> str:
    country = pycountry.countries.get(alpha_2=code.upper()) if code else None
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return _catalogue(_base(language or get_language())).gettext(name)


@functools.cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    named = ((code, country_name(code, language)) for code in CODES)
    return tuple(sorted(named, key=lambda pair: pair[1]))


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """All countries, sorted by their name in ``language``, with a blank first choice."""
    return [("", "—"), *_choices(_base(language or get_language()))]


def validate_country_code(value: str) -> None:
    if value and value.upper() not in CODES:
        raise ValidationError(_("%(value)s is not a two-letter country code such as KR."), params={"value": value})
