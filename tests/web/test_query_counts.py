"""The case page and the case list cost a fixed number of queries, however long the diary grows."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from revisio.cases.services import ProcedureInput, case_create, device_add, document_add
from revisio.diary.services import PhotoInput, checkin_add
from tests.cast import client_for, jpeg


def queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(case, user, checkins: int) -> None:  # type: ignore[no-untyped-def]
    for n in range(checkins):
        checkin_add(
            case=case,
            user=user,
            date=timezone.localdate() - dt.timedelta(days=n),
            symptoms=["swelling"],
            photos=[PhotoInput(jpeg(), "front", "hips"), PhotoInput(jpeg(), "back", "hips")],
        )
    device_add(case=case, device_type="other")
    document_add(case=case, user=user, data=jpeg(), original_name="r.jpg", document_type="receipt", title="r")


def test_case_page_queries_do_not_grow_with_the_diary(alice, case) -> None:
    client = client_for(alice)
    url = reverse("cases:detail", args=[case.pk])
    grow(case, alice, 1)
    queries(client, url)  # the first visit records the plan's steps; later ones only read them
    small = queries(client, url)
    grow(case, alice, 6)
    queries(client, url)
    assert queries(client, url) == small


def test_case_list_queries_do_not_grow_with_cases_or_checkins(alice, surgery_date) -> None:
    client = client_for(alice)
    url = reverse("cases:list")
    first = case_create(owner=alice, title="one", procedures=[ProcedureInput("rhinoplasty", surgery_date)])
    grow(first, alice, 1)
    small = queries(client, url)
    for n in range(4):
        more = case_create(
            owner=alice,
            title=f"more {n}",
            procedures=[ProcedureInput("bbl", surgery_date), ProcedureInput("lipo", surgery_date)],
        )
        grow(more, alice, 3)
    assert queries(client, url) == small


def test_api_case_list_queries_do_not_grow(alice, surgery_date) -> None:
    client = client_for(alice)
    case_create(owner=alice, title="one", procedures=[ProcedureInput("rhinoplasty", surgery_date)])
    small = queries(client, "/api/v1/cases")
    for n in range(5):
        case_create(owner=alice, title=f"{n}", procedures=[ProcedureInput("bbl", surgery_date)])
    assert queries(client, "/api/v1/cases") == small
