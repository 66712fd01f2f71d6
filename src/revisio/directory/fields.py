"""Checking and normalising the directory's values, for the CSV import and the forms alike.

Each ``clean_*`` takes the text as a person typed it and returns the stored value, or raises ``ValueError``
with a message that says what to fix. Lists (specialties, languages) are written separated by ``;``
because the CSV itself is separated by commas.
"""

from __future__ import annotations

import functools
import re

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from revisio import kb
from revisio.web.countries import CODES

LIST_SEPARATOR = ";"
_LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})(?:-[a-z0-9]{2,8})*$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{4,40}$")
_WEB_ADDRESS = URLValidator(schemes=["http", "https"])
_TRUE, _FALSE = {"yes", "y", "true", "1", "active"}, {"no", "n", "false", "0", "inactive"}


def split_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]


def clean_country(text: str) -> str:
    code = text.strip().upper()
    if code not in CODES:
        raise ValueError(_("%(value)s is not a two-letter country code such as KR.") % {"value": text})
    return code


@functools.lru_cache(maxsize=1024)  # a file repeats the same few codes thousands of times
def clean_language(text: str) -> str:
    """A language tag such as ``ko``, ``zh-hans`` or ``pt-br``: the first part an ISO 639 code."""
    tag = text.strip().lower().replace("_", "-")
    match = _LANGUAGE_TAG.match(tag)
    primary = match.group(1) if match else ""
    known = pycountry.languages.get(alpha_2=primary) if len(primary) == 2 else pycountry.languages.get(alpha_3=primary)
    if not match or known is None:
        raise ValueError(
            _("%(value)s is not a language code: use ISO 639 codes such as en, ko, zh, ja, ru.") % {"value": text}
        )
    return tag


def clean_languages(text: str) -> list[str]:
    return list(dict.fromkeys(clean_language(item) for item in split_list(text)))


@functools.lru_cache(maxsize=1024)
def clean_specialty(text: str) -> str:
    """A knowledge-base procedure ID or alias, stored as the ID (``revisio procedures`` lists them)."""
    try:
        return kb.load().procedure(text).id
    except kb.UnknownIdError as error:
        hint = _("; did you mean %(ids)s?") % {"ids": ", ".join(error.suggestions)} if error.suggestions else ""
        raise ValueError(
            _("%(value)s is not a procedure of the knowledge base%(hint)s (revisio procedures lists them)")
            % {"value": text, "hint": hint}
        ) from None


def clean_specialties(text: str) -> list[str]:
    return list(dict.fromkeys(clean_specialty(item) for item in split_list(text)))


def clean_email(text: str) -> str:
    value = text.strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValueError(
                _("%(value)s is not an e-mail address such as info@example.org.") % {"value": value}
            ) from None
    return value.lower()


def clean_website(text: str) -> str:
    value = text.strip()
    if value:
        try:
            _WEB_ADDRESS(value)
        except ValidationError:
            raise ValueError(
                _("%(value)s is not a web address: write it in full, such as https://www.example.org/.")
                % {"value": value}
            ) from None
    return value


def clean_phone(text: str) -> str:
    value = " ".join(text.split())
    if value and not _PHONE.match(value):
        raise ValueError(
            _("%(value)s is not a phone number: use digits, spaces and + ( ) - only, such as +82 2 123 4567.")
            % {"value": value}
        )
    return value


def clean_active(text: str) -> bool | None:
    """yes or no; None when blank (a new translator is active, a known one stays as they are)."""
    value = text.strip().lower()
    if not value:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(_("%(value)s is not yes or no.") % {"value": text})
