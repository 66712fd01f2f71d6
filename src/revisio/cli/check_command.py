"""``revisio check``: assess a recovery situation against the knowledge base."""

from typing import Any


def register(commands: Any) -> None:
    pass
