"""Recording costs the case page a fixed number of queries, however long the diary or the log grows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from revisio.accounts.models import User
from revisio.audit import services
from revisio.audit.checks import MIDDLEWARE
from revisio.cases.models import Case
from tests.cast import client_for
from tests.web.test_query_counts import grow, queries

#: Per request: a savepoint, the head row locked, the entry inserted, the head moved on, the savepoint released.
AUDIT_QUERIES = 5


def test_the_case_page_costs_a_constant_number_of_queries_more(
    alice: User,
    case: Case,
    settings,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    client = client_for(alice)
    url = reverse("cases:detail", args=[case.pk])
    grow(case, alice, 1)
    queries(client, url)  # the first visit records the plan's steps
    small = queries(client, url)
    grow(case, alice, 6)
    for _ in range(20):
        client.get(url)  # a longer log
    large = queries(client, url)

    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]
    monkeypatch.setattr(services, "case_access_record", lambda **kwargs: None)
    without = queries(client, url)

    assert small == large
    assert small - without == AUDIT_QUERIES
