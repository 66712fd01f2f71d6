"""Shapes shared by every endpoint: the one error body, the base of every request body, and small helpers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from django.utils.translation import get_language
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator, model_validator
from pydantic_core import PydanticCustomError

from revisio.web.errors import InvalidInput


class ErrorItem(Schema):
    code: str
    message: str
    field: str | None = None


class Errors(Schema):
    errors: list[ErrorItem]


ERROR_RESPONSES = {400: Errors, 401: Errors, 404: Errors, 413: Errors, 422: Errors}


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False


def no_nul(value: Any) -> Any:
    """Refuse text holding a NUL character, as Django's forms do: PostgreSQL cannot store one."""
    if _has_nul(value):
        raise PydanticCustomError("nul_character", "must not contain NUL (\\x00) characters")
    return value


def form_text(value: str, *, field: str) -> str:
    """``no_nul`` for a multipart form field, which ninja reads outside any ``Input`` schema."""
    if _has_nul(value):
        raise InvalidInput(f"{field}: must not contain NUL (\\x00) characters", field=field)
    return value


NO_NUL_PATTERN = "^[^\\x00]*$"


def _document_no_nul(node: Any) -> None:
    """Give every free-text string in a JSON schema the pattern ``no_nul`` enforces, so the OpenAPI
    document promises what the API accepts (schemathesis holds it to that)."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"format", "enum", "pattern", "const"} & node.keys():
            node["pattern"] = NO_NUL_PATTERN
        for key in ("anyOf", "oneOf", "allOf"):
            for option in node.get(key, ()):
                _document_no_nul(option)
        if isinstance(node.get("items"), dict):
            _document_no_nul(node["items"])


def _document_no_nul_properties(schema: dict[str, Any], model: type) -> None:
    for field_schema in schema.get("properties", {}).values():
        _document_no_nul(field_schema)


class Input(Schema):
    """The base of every JSON request body: an object, with no NUL character in any of its text.

    Without the object check, ninja's ``Schema`` reads fields as attributes of whatever was sent, so a
    PATCH whose body is the JSON string ``"hips"`` would set the title to ``"hips".title()``.
    """

    model_config = ConfigDict(json_schema_extra=_document_no_nul_properties)

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        # ninja's own (outer) validator has already wrapped the input in a DjangoGetter.
        raw = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(raw, dict):
            raise PydanticCustomError("not_an_object", "must be a JSON object")
        return data

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return no_nul(value)


def _blank_is_none(value: Any) -> Any:
    return None if value == "" else value


# A multipart form cannot send null: an optional field is left out (or, as an HTML form sends it, empty),
# so the document describes it as a plain optional string, never as nullable.
OptionalFormDate = Annotated[
    dt.date | None, BeforeValidator(_blank_is_none), WithJsonSchema({"type": "string", "format": "date"})
]
OptionalFormUUID = Annotated[
    uuid.UUID | None, BeforeValidator(_blank_is_none), WithJsonSchema({"type": "string", "format": "uuid"})
]


class RequestLanguageQuery(Schema):
    lang: str | None = Field(None, description="en or ko (default: the request's language)")


def request_language(value: str | None) -> str:
    """The language of an answer: ``lang`` if given, else the request's (en or ko)."""
    language = value or (get_language() or "en")[:2]
    if language not in ("en", "ko"):
        raise InvalidInput(f"unknown language '{language}': use en or ko", field="lang")
    return language
