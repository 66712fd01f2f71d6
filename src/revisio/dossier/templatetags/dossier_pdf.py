"""Template helpers of the dossier PDFs: bilingual labels, and "not provided" for anything missing.

``{% show value %}`` is how every fact is printed: a ``Bi`` in both languages, a date as ISO
8601, and an empty value as "not provided / 제공되지 않음", so nothing missing is silently dropped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from revisio.dossier.labels import Bi, label, not_provided_html

register = template.Library()


@register.simple_tag(takes_context=True)
def word(context: template.Context, key: str, **values: Any) -> SafeString:
    """The dossier's own wording ``key`` in the context's language and Korean."""
    return label(key, context["language"], **values).html(korean_first=_korean_first(context))


def _korean_first(context: template.Context) -> bool:
    """The K-medi draft puts Korean first (its context says so); the dossier the patient's language."""
    return bool(context.get("korean_first"))


@register.simple_tag(takes_context=True)
def show(context: template.Context, value: Any) -> SafeString:
    if value is None or value == "" or value == ():
        return not_provided_html(context["language"], korean_first=_korean_first(context))
    if isinstance(value, Bi):
        return value.html(korean_first=_korean_first(context))
    if isinstance(value, dt.datetime):
        return format_html("{}", value.strftime("%Y-%m-%d %H:%M"))
    if isinstance(value, dt.date):
        return format_html("{}", value.isoformat())
    return format_html("{}", value)


@register.filter
def size(value: int) -> str:
    """Bytes, exactly and rounded: "1,234,567 B (1.2 MB)"."""
    scaled = [(unit, scale) for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)) if value >= scale]
    if not scaled:
        return f"{value:,} B"
    unit, scale = scaled[0]
    return f"{value:,} B ({value / scale:.1f} {unit})"


@register.simple_tag(takes_context=True)
def paragraphs(context: template.Context, value: Bi | None) -> SafeString:
    """A long bilingual text as one paragraph per language (easier to read than "A / B")."""
    if value is None or not value.primary:
        return format_html("<p>{}</p>", not_provided_html(context["language"]))
    if value.single:
        return format_html('<p lang="{}">{}</p>', value.language, value.primary)
    return format_html('<p lang="{}">{}</p><p lang="ko">{}</p>', value.language, value.primary, value.korean)


@register.filter
def lang_code(value: str) -> str:
    """A BCP 47 tag's language ("ko-KR" -> "ko") for a ``lang`` attribute; empty if unknown."""
    base = str(value or "").split("-")[0].lower()
    return base if base.isalpha() and 2 <= len(base) <= 3 else ""


@register.simple_tag
def korean_first(value: Bi) -> SafeString:
    """Korean, then the other language: the order of the K-medi draft, which K-medi reads in Korean."""
    return value.html(korean_first=True)


@register.simple_tag
def korean_then(value: Bi) -> SafeString:
    """A sentence in Korean, with the other language beneath it in smaller type."""
    if value.single:
        return format_html('<p lang="ko">{}</p>', value.korean)
    return format_html(
        '<p lang="ko">{}</p><p lang="{}" class="muted small">{}</p>', value.korean, value.language, value.primary
    )
