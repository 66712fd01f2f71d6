"""The "who looked at my case" page: for the case's owner only, newest first, in plain words and her own
time zone, filtered by person, a page at a time."""

from __future__ import annotations

import datetime as dt
import html
import re
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from revisio.accounts.models import User
from revisio.audit import services
from revisio.audit.models import AuditEntry
from revisio.audit.views import PAGE_SIZE
from revisio.cases.models import Case
from tests.audit.support import chain_of
from tests.cast import client_for


def rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The table's rows as lists of cell texts."""
    assert response.status_code == 200
    body = response.content.decode()
    table = body[body.index('data-testid="audit-log"') :]
    table = table[: table.index("</table>")]
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr data-entry.*?</tr>", table, re.S)
    ]


@pytest.fixture
def looked_at(shared_case: Case, alice: User, carol: User, dave: User) -> Case:
    """carol opened alice's case page from 203.0.113.4, then dave downloaded a photo of 7 November 2026."""
    from revisio.diary.services import PhotoInput, photos_add
    from tests.cast import jpeg

    [photo] = photos_add(
        case=shared_case, user=alice, photos=[PhotoInput(jpeg(), "front", "hips", dt.date(2026, 11, 7))]
    )
    client_for(carol).get(reverse("cases:detail", args=[shared_case.pk]), REMOTE_ADDR="203.0.113.4")
    client_for(dave).get(reverse("diary:photo", args=[shared_case.pk, photo.pk]), REMOTE_ADDR="203.0.113.5")
    return shared_case


def test_the_owner_sees_who_did_what_from_where_newest_first(looked_at: Case, alice: User) -> None:
    table = rows(client_for(alice).get(reverse("audit:case", args=[looked_at.pk])))
    assert [row[1:] for row in table[:2]] == [
        ["Dave, clinician", "downloaded a photo of Nov. 7, 2026", "203.0.113.5"],
        ["Carol, coordinator at Seoul Care Agency", "opened the case page", "203.0.113.4"],
    ]
    assert table[-1][1:3] == ["You", "created the case"]


def test_times_are_in_the_patients_time_zone(looked_at: Case, alice: User) -> None:
    alice.time_zone = "Asia/Seoul"
    alice.save(update_fields=["time_zone"])
    latest = chain_of(looked_at)[-1]
    response = client_for(alice).get(reverse("audit:case", args=[looked_at.pk]))
    seoul = timezone.localtime(latest.at, zoneinfo.ZoneInfo("Asia/Seoul"))
    shown = rows(response)[0][0]
    assert shown.startswith(seoul.strftime("%b. %-d, %Y").replace("May.", "May")), shown
    assert f"{seoul:%-H}" in shown or f"{seoul:%-I}" in shown
    assert "Asia/Seoul" in response.content.decode()


def test_filter_by_person(looked_at: Case, alice: User, carol: User) -> None:
    client = client_for(alice)
    page = client.get(reverse("audit:case", args=[looked_at.pk]))
    assert f'<option value="{carol.pk}">Carol, coordinator at Seoul Care Agency</option>' in page.content.decode()
    only_carol = rows(client.get(reverse("audit:case", args=[looked_at.pk]), {"person": carol.pk}))
    assert [row[1] for row in only_carol] == ["Carol, coordinator at Seoul Care Agency"]
    everyone = rows(client.get(reverse("audit:case", args=[looked_at.pk]), {"person": "'; drop"}))
    assert len(everyone) > 1  # a person that is not in the list shows everyone


def test_pages_of_fifty(case: Case, alice: User) -> None:
    for _ in range(PAGE_SIZE + 5):
        services.case_access_record(user=alice, case_id=case.pk, owner_id=alice.pk)
    client = client_for(alice)
    url = reverse("audit:case", args=[case.pk])
    first = rows(client.get(url))
    expected = len(chain_of(case)) - PAGE_SIZE  # the first page's own entry included
    second = rows(client.get(url, {"page": 2}))
    assert (len(first), len(second)) == (PAGE_SIZE, expected)
    newest = AuditEntry.objects.filter(chain=f"case:{case.pk}").latest("seq")
    assert f'data-entry="{newest.pk}"' in client.get(url).content.decode()
    assert "Page 1 of 2" in client.get(url).content.decode()


def test_erased_entries_show_that_they_were_erased(case: Case, alice: User) -> None:
    client = client_for(alice)
    client.get(reverse("cases:detail", args=[case.pk]))
    services.forget_case(case_id=case.pk)
    table = rows(client.get(reverse("audit:case", args=[case.pk])))
    assert table[-1][1:] == ["—", "erased at a person's request (right to erasure)", "—"]


@pytest.mark.parametrize("reader", ["carol", "dave", "bob", "erin"])
def test_only_the_owner_sees_the_log(reader: str, shared_case: Case, request: pytest.FixtureRequest) -> None:
    response = client_for(request.getfixturevalue(reader)).get(reverse("audit:case", args=[shared_case.pk]))
    assert response.status_code == 404
    assert b"Hips" not in response.content


def test_anonymous_is_sent_to_sign_in(case: Case) -> None:
    response = Client().get(reverse("audit:case", args=[case.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_case_page_links_to_the_log_for_its_owner_only(shared_case: Case, alice: User, carol: User) -> None:
    link = reverse("audit:case", args=[shared_case.pk]).encode()
    assert link in client_for(alice).get(reverse("cases:detail", args=[shared_case.pk])).content
    assert link not in client_for(carol).get(reverse("cases:detail", args=[shared_case.pk])).content


def test_opening_the_log_is_itself_recorded(case: Case, alice: User) -> None:
    client = client_for(alice)
    client.get(reverse("audit:case", args=[case.pk]))
    assert rows(client.get(reverse("audit:case", args=[case.pk])))[0][1:3] == ["You", "opened this access log"]
