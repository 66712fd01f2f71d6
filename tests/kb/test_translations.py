"""Every user-facing name the clinic messages use is translated into Simplified Chinese and Japanese."""

from __future__ import annotations

import re

import pytest

from revisio.kb import KnowledgeBase
from revisio.kb.loader import load
from revisio.kb.models import Text

_HAN_OR_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


def _texts(kb: KnowledgeBase) -> list[tuple[str, Text]]:
    texts = [(f"procedures/{p.id}: names", p.names) for p in kb.procedures.values()]
    for kind, records in (("symptoms", kb.symptoms), ("concerns", kb.concerns)):
        for record in records.values():
            texts.append((f"{kind}/{record.id}: label", record.label))
            texts.append((f"{kind}/{record.id}: description", record.description))
    texts += [(f"countries/{c.id}: names", c.names) for c in kb.countries.values()]
    return texts


_KB = load()
TEXTS = _texts(_KB)


def test_every_kind_is_covered() -> None:
    assert len(TEXTS) == len(_KB.procedures) + 2 * len(_KB.symptoms) + 2 * len(_KB.concerns) + len(_KB.countries)
    assert _KB.procedures and _KB.symptoms and _KB.concerns and _KB.countries


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[where for where, _ in TEXTS])
def test_chinese_and_japanese_are_present_and_translated(where: str, text: Text) -> None:
    for language in ("zh", "ja"):
        value = getattr(text, language)
        assert value and value.strip(), f"{where} has no {language}"
        assert value.strip().casefold() != text.en.strip().casefold(), f"{where}: {language} copies the English"
        assert value.strip() != text.ko.strip(), f"{where}: {language} copies the Korean"
        assert _HAN_OR_KANA.search(value), f"{where}: {language} has no Chinese or Japanese characters"
        assert not _HANGUL.search(value), f"{where}: {language} contains Korean text"
    assert not _KANA.search(text.zh or ""), f"{where}: zh contains Japanese kana"
