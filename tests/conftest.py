"""Shared fixtures: the small fixture knowledge base and the shipped one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

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


@pytest.fixture(autouse=True)
def cheap_password_hashing(request: pytest.FixtureRequest) -> None:
    """Argon2 takes tens of milliseconds per password by design, and most tests make several accounts;
    tests about passwords themselves (marked ``argon2``) keep the production hasher."""
    if request.node.get_closest_marker("argon2") is None:
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_after_each_test() -> Iterator[None]:
    """A request in Korean leaves Korean active in this thread (LocaleMiddleware activates, nothing
    deactivates): reset it, so a later test's messages do not depend on which test ran before."""
    yield
    from django.utils import translation

    translation.activate("en")
