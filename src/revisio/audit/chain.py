"""The hashes that chain audit entries, in plain Python so anyone can recompute them from an export.

``content_sha256`` is the SHA-256 of the entry's content as canonical JSON (keys sorted, no spaces,
UTF-8); the content includes the chain name, the sequence number and the time, so moving an entry or
changing its time changes its hash. ``entry_sha256`` is SHA-256 of the previous entry's
``entry_sha256`` (``GENESIS`` for the first) followed by ``content_sha256``, both as hex text.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

GENESIS = "0" * 64
SYSTEM_CHAIN = "system"
_CHAIN = re.compile(
    r"^(system|case:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|user:[1-9][0-9]{0,18})$"
)


def case_chain(case_id: object) -> str:
    return f"case:{case_id}"


def user_chain(user_id: int) -> str:
    return f"user:{user_id}"


def is_chain_name(name: str) -> bool:
    """``system``, ``case:<lower-case UUID>`` or ``user:<positive id>``."""
    return bool(_CHAIN.match(name))


def canonical_json(content: Mapping[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_hash(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def link_hash(previous_entry_sha256: str, content_sha256: str) -> str:
    return hashlib.sha256((previous_entry_sha256 + content_sha256).encode("ascii")).hexdigest()
