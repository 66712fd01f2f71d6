"""The knowledge base refuses records that would let an unsourced or dangling statement reach a user."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from revisio.kb import KnowledgeBaseError, load
from revisio.kb.normalise import normalise_tree
from revisio.kb.validate import validate_tree
from tests.kbfactory import records, write_kb


def problems_of(tmp_path: Path, data: dict) -> list[str]:
    return [str(p) for p in validate_tree(write_kb(tmp_path, data))]


def test_fixture_is_valid_once_normalised(tmp_path: Path) -> None:
    root = write_kb(tmp_path)
    normalise_tree(root)
    assert validate_tree(root) == []


def test_a_claim_without_citations_is_rejected(tmp_path: Path) -> None:
    data = records()
    data["procedures"][0]["summary"]["cite"] = []
    problems = problems_of(tmp_path, data)
    assert any("procedures/implant-op.yaml: summary.cite: unsourced" in p for p in problems), problems
    with pytest.raises(KnowledgeBaseError, match="unsourced"):
        load(tmp_path)


def test_a_sign_rule_without_citations_is_rejected(tmp_path: Path) -> None:
    data = records()
    del data["complications"][0]["signs"][0]["cite"]
    problems = problems_of(tmp_path, data)
    assert any("complications/clot.yaml: signs.0.cite: Field required" in p for p in problems), problems


def test_citing_a_source_that_does_not_exist_is_rejected(tmp_path: Path) -> None:
    data = records()
    data["procedures"][0]["expected"][0]["cite"] = [{"source": "nowhere", "locator": "p. 1"}]
    problems = problems_of(tmp_path, data)
    assert "procedures/implant-op.yaml: cites unknown source 'nowhere'" in problems


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["procedures"][0]["complications"].append(
                {"id": "ghost", "cite": [{"source": "src-a", "locator": "x"}]}
            ),
            "links unknown complication 'ghost'",
        ),
        (
            lambda d: d["procedures"][0]["expected"].append(
                {
                    "item": "itching",
                    "until_day": 3,
                    "message": {"en": "a", "ko": "b"},
                    "cite": [{"source": "src-a", "locator": "x"}],
                }
            ),
            "expected item 'itching' is not in the vocabulary",
        ),
        (
            lambda d: d["complications"][0]["signs"][0].update(any_of=["headache"]),
            "names unknown symptom or concern 'headache'",
        ),
        (
            lambda d: d["procedures"][1].update(aliases=["implant-op"]),
            "alias 'implant-op' is another procedure's ID",
        ),
        (
            lambda d: d["complications"][3].update(appearance_concerns=["lump"]),
            "'lump' is not an appearance concern",
        ),
        (
            lambda d: d["procedures"][0]["complications"].append(
                {"id": "clot", "cite": [{"source": "src-a", "locator": "x"}]}
            ),
            "complication 'clot' applies to all procedures already",
        ),
    ],
)
def test_dangling_and_contradictory_references_are_rejected(tmp_path: Path, change, expected: str) -> None:
    data = records()
    change(data)
    problems = problems_of(tmp_path, data)
    assert any(expected in p for p in problems), problems
    with pytest.raises(KnowledgeBaseError):
        load(tmp_path)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["complications"][0]["signs"][0].update(level="expected"),
            "cannot be at level 'expected'",
        ),
        (lambda d: d["procedures"][0]["final_result"].update(from_day=200), "from_day is after by_day"),
        (lambda d: d["procedures"][0]["names"].pop("ko"), "names.ko: Field required"),
        (lambda d: d["sources"][0].pop("url"), "needs a url, a doi or a document"),
        (lambda d: d["sources"][0].update(quality="excellent"), "quality: Input should be"),
        (lambda d: d["procedures"][0].update(colour="red"), "colour: Extra inputs are not permitted"),
    ],
)
def test_schema_faults_are_reported_with_their_file(tmp_path: Path, change, expected: str) -> None:
    data = records()
    change(data)
    problems = problems_of(tmp_path, data)
    assert any(expected in p for p in problems), problems


def test_record_id_must_equal_its_file_name(tmp_path: Path) -> None:
    root = write_kb(tmp_path)
    path = root / "procedures" / "implant-op.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: implant-op", "id: other-name"), encoding="utf-8")
    problems = [str(p) for p in validate_tree(root)]
    assert "procedures/implant-op.yaml: id 'other-name' must equal the file name 'implant-op'" in problems


def test_broken_yaml_is_reported_not_raised(tmp_path: Path) -> None:
    root = write_kb(tmp_path)
    (root / "symptoms" / "swelling.yaml").write_text("id: swelling\nlabel: [unclosed\n", encoding="utf-8")
    problems = [str(p) for p in validate_tree(root)]
    assert any(p.startswith("symptoms/swelling.yaml: not valid YAML") for p in problems)


def test_unused_source_fails_validation_but_not_loading(tmp_path: Path) -> None:
    data = records()
    data["sources"].append(
        {
            "id": "src-unused",
            "title": "U",
            "publisher": "P",
            "url": "https://example.org/u",
            "accessed": "2026-11-21",
            "quality": "low",
        }
    )
    root = write_kb(tmp_path, data)
    normalise_tree(root)
    assert [str(p) for p in validate_tree(root)] == ["sources/src-unused.yaml: no record cites this source"]
    assert "src-unused" in load(root).sources


def test_two_records_for_one_page_fail_validation(tmp_path: Path) -> None:
    data = records()
    original = next(s for s in data["sources"] if s["id"] == "src-a")
    data["sources"].append({**original, "id": "src-a-again", "url": str(original["url"]).upper() + "/"})
    data["complications"][0]["description"]["cite"].append({"source": "src-a-again", "locator": "x"})
    root = write_kb(tmp_path, data)
    normalise_tree(root)

    problems = [str(p) for p in validate_tree(root)]

    assert problems == ["sources/src-a-again.yaml: the same page as sources/src-a.yaml: cite one record"]


def test_unnormalised_files_fail_validation_until_formatted(tmp_path: Path) -> None:
    root = write_kb(tmp_path)
    assert any("not normalised" in str(p) for p in validate_tree(root))
    changed, problems = normalise_tree(root)
    assert changed and not problems
    assert validate_tree(root) == []
    assert normalise_tree(root) == ([], [])  # idempotent


def test_version_is_a_content_hash(tmp_path: Path) -> None:
    first = load(write_kb(tmp_path / "a")).version
    assert load(write_kb(tmp_path / "b")).version == first  # same content, same version
    data = records()
    data["procedures"][0]["expected"][0]["until_day"] = 15
    assert load(write_kb(tmp_path / "c", data)).version != first
    assert first.startswith("kb-") and len(first) == 19


def test_loaded_records_are_immutable(tmp_path: Path) -> None:
    base = load(write_kb(tmp_path))
    with pytest.raises(TypeError):
        base.procedures["x"] = base.procedures["implant-op"]  # type: ignore[index]
    with pytest.raises(ValueError, match="frozen"):
        base.procedures["implant-op"].aliases = []  # type: ignore[misc]


def test_fixture_yaml_round_trips_through_normal_form(tmp_path: Path) -> None:
    root = write_kb(tmp_path)
    normalise_tree(root)
    text = (root / "procedures" / "implant-op.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["id"] == "implant-op"
    assert text.startswith("id: implant-op\nnames:\n")
