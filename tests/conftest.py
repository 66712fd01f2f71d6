"""Shared fixtures: the small fixture knowledge base and the shipped one."""

from __future__ import annotations

import datetime as dt

import pytest

from revisio.kb import KnowledgeBase, load
from tests.kbfactory import load_fixture

pytest_plugins = ["tests.cast"]

SURGERY = dt.date(2026, 1, 1)


@pytest.fixture(scope="session")
def fixture_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return load_fixture(tmp_path_factory.mktemp("kb"))


@pytest.fixture(scope="session")
def shipped_kb() -> KnowledgeBase:
    return load()
