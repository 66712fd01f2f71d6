"""The chain's hashes, recomputed by hand: anyone with an export can check them without Revisio."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from revisio.audit.chain import GENESIS, canonical_json, case_chain, content_hash, is_chain_name, link_hash


def test_canonical_json_sorts_keys_and_has_no_spaces() -> None:
    assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()
    assert content_hash({"b": 1, "a": "é"}) == content_hash({"a": "é", "b": 1})
    assert content_hash({"a": "é"}) == hashlib.sha256('{"a":"é"}'.encode()).hexdigest()


def test_a_link_is_the_hash_of_the_previous_link_and_the_content_hash() -> None:
    content = content_hash({"action": "read"})
    first = link_hash(GENESIS, content)
    assert first == hashlib.sha256((GENESIS + content).encode()).hexdigest()
    assert link_hash(first, content) != first  # the same content later in the chain links differently


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("system", True),
        (case_chain(uuid.UUID(int=7)), True),
        ("user:12", True),
        ("user:0", False),
        ("user:-1", False),
        ("case:not-a-uuid", False),
        ("case:" + str(uuid.UUID(int=0xABCDEF)).upper(), False),
        ("System", False),
        ("", False),
    ],
)
def test_chain_names(name: str, valid: bool) -> None:
    assert is_chain_name(name) is valid
