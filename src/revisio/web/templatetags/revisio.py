"""Template helpers: knowledge-base labels and sources in the page's language, levels, countries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from revisio import kb
from revisio.diary.models import Level
from revisio.web.countries import country_name

register = template.Library()


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@register.filter
def procedure_name(procedure_id: str) -> str:
    record = kb.load().procedures.get(procedure_id)
    return record.names.get(_language()) if record else procedure_id


@register.filter
def vocab_label(item_id: str) -> str:
    base = kb.load()
    record = base.symptoms.get(item_id) or base.concerns.get(item_id)
    return record.label.get(_language()) if record else item_id


@register.filter
def kb_text(text: Any) -> str:
    """A knowledge-base ``Text`` (or a stored ``{"en": ..., "ko": ...}``) in the page's language."""
    if isinstance(text, dict):
        return str(text.get(_language()) or text.get("en", ""))
    return str(text.get(_language())) if text is not None else ""


@register.simple_tag
def kb_source(source_id: str) -> dict[str, Any]:
    source = kb.load().sources.get(source_id)
    if source is None:  # a source removed from a later knowledge base: show the ID honestly
        return {"id": source_id, "title": source_id, "publisher": "", "url": "", "quality": ""}
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "url": str(source.url) if source.url else (f"https://doi.org/{source.doi}" if source.doi else ""),
        "quality": source.quality.value,
    }


@register.filter
def level_label(level: str) -> str:
    try:
        return str(Level(level).label)
    except ValueError:
        return level


@register.filter
def country(code: str) -> str:
    return country_name(code, _language()) if code else ""


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


LEVEL_MEANINGS = {
    "emergency": _("Call the emergency number now."),
    "urgent": _("Contact your surgeon or urgent care today."),
    "see-surgeon": _("Tell your surgeon in the next few days."),
    "monitor": _("Keep watching and checking in."),
    "expected": _("This matches the normal course the sources describe."),
}
FINDING_KINDS = {
    "red-flag": _("Warning sign"),
    "complication-sign": _("Possible complication"),
    "expected": _("Normal course"),
    "too-early": _("Too early to judge"),
    "revision-indication": _("Worth raising with your surgeon"),
    "unexpected-timing": _("Unexpected for this stage"),
}


QUALITY_LABELS = {
    "authoritative": _("authoritative source"),
    "clinic": _("clinic page"),
    "low": _("low-quality source"),
}


@register.filter
def quality_label(quality: str) -> str:
    return str(QUALITY_LABELS.get(quality, quality))


METRIC_LABELS = {
    "brow_height_left_mm": _("Brow height, left"),
    "brow_height_right_mm": _("Brow height, right"),
    "palpebral_fissure_height_left_mm": _("Eyelid opening, left"),
    "palpebral_fissure_height_right_mm": _("Eyelid opening, right"),
    "commissure_height_left_mm": _("Mouth corner below the eyes, left"),
    "commissure_height_right_mm": _("Mouth corner below the eyes, right"),
    "nasal_tip_deviation_mm": _("Nose tip off the midline (+ towards the left)"),
    "chin_deviation_mm": _("Chin off the midline (+ towards the left)"),
    "asymmetry_index": _("Facial asymmetry index"),
    "bra": _("Breast retraction assessment (BRA)"),
    "unr": _("Upward nipple retraction (UNR)"),
    "lbc": _("Lower breast contour (LBC)"),
    "bce": _("Breast compliance evaluation (BCE)"),
    "bra_mm": _("BRA in millimetres"),
    "cephalic_index": _("Cephalic index"),
    "cvai": _("Cranial vault asymmetry index (CVAI)"),
    "waist_width_left": _("Waist width, left"),
    "waist_width_right": _("Waist width, right"),
    "hip_width_left": _("Hip width, left"),
    "hip_width_right": _("Hip width, right"),
    "hip_asymmetry_index": _("Hip asymmetry index"),
    "hip_width_px": _("Hip width in pixels"),
    "length_px": _("Head length in pixels"),
    "width_px": _("Head width in pixels"),
    "diagonal_front_left_px": _("Diagonal from the front left, in pixels"),
    "diagonal_front_right_px": _("Diagonal from the front right, in pixels"),
}


@register.filter
def metric_label(name: str) -> str:
    return str(METRIC_LABELS.get(name, name.replace("_", " ")))


@register.filter
def level_meaning(level: str) -> str:
    return str(LEVEL_MEANINGS.get(level, ""))


@register.filter
def finding_kind(kind: str) -> str:
    return str(FINDING_KINDS.get(kind, kind))


@register.filter
def days_until(start: Any, end: Any) -> int | None:
    """Whole days from ``start`` to ``end`` (dates or ISO strings)."""
    try:
        first = start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start))
        last = end if isinstance(end, dt.date) else dt.date.fromisoformat(str(end))
    except ValueError:
        return None
    return (last - first).days


@register.filter
def as_date(value: Any) -> Any:
    """An ISO date string from a stored assessment as a date, so ``|date`` can localise it."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


@register.simple_tag
def kb_body(body_id: str) -> Any:
    """A complaint body of the knowledge base, or None if a later knowledge base dropped it."""
    return kb.load().complaint_bodies.get(body_id)


CHANNEL_LABELS = {
    "online": _("Online"),
    "email": _("E-mail"),
    "fax": _("Fax"),
    "post": _("Post"),
    "phone": _("Phone"),
    "in-person": _("In person"),
}


@register.filter
def channel_label(channel: str) -> str:
    return str(CHANNEL_LABELS.get(str(channel), channel))


@register.simple_tag
def kb_step(step_id: str) -> Any:
    return kb.load().steps.get(step_id)
