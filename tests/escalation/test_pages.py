"""The escalation pages: the plan as a checklist stored with dates, writing to the clinic in two
languages, the communications log and applications, for the owner and for those the case is shared with."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.escalation.models import Communication, ComplaintApplication, StepState
from revisio.escalation.services import communication_add
from tests.cast import client_for


def plan_url(case: Case) -> str:
    return reverse("escalation:plan", args=[case.pk])


def steps_of(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('data-step="')[1:]]


def test_plan_lists_sourced_steps_and_records_them_once(alice: User, checkin) -> None:  # type: ignore[no-untyped-def]
    # Three weeks after hip fat transfer in Korea, home in the UK, worried about asymmetry.
    case = checkin.case
    client = client_for(alice)

    html = client.get(plan_url(case)).content.decode()

    assert steps_of(html) == [
        "request-records-from-abroad",
        "contact-surgeon",
        "wait-and-remeasure",
        "home-country-care",
    ]
    assert "<strong>999</strong>" in html  # the emergency number where she is
    assert "Sources" in html and 'rel="noopener noreferrer"' in html
    states = {s.step: s for s in StepState.objects.filter(case=case)}
    assert set(states) == set(steps_of(html))
    assert all(s.first_suggested_on == timezone.localdate() and s.done_on is None for s in states.values())
    assert states["contact-surgeon"].due_on == timezone.localdate()
    client.get(plan_url(case))
    assert StepState.objects.filter(case=case).count() == len(states)


def test_case_page_shows_the_checklist_and_ticking_returns_there(alice: User, checkin) -> None:  # type: ignore[no-untyped-def]
    case = checkin.case
    client = client_for(alice)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="plan-summary"' in html and 'data-step="contact-surgeon"' in html

    response = client.post(
        reverse("escalation:step_toggle", args=[case.pk, "contact-surgeon"]), {"done": "1", "back": "case"}
    )

    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[case.pk])
    state = StepState.objects.get(case=case, step="contact-surgeon")
    assert state.done_on == timezone.localdate() and state.done_by == alice
    client.post(reverse("escalation:step_toggle", args=[case.pk, "contact-surgeon"]), {"done": "0"})
    state.refresh_from_db()
    assert state.done_on is None and state.done_by is None


def test_ticking_a_step_the_plan_never_suggested_says_so(alice: User, checkin) -> None:  # type: ignore[no-untyped-def]
    client = client_for(alice)
    response = client.post(
        reverse("escalation:step_toggle", args=[checkin.case.pk, "apply-k-medi"]), {"done": "1"}, follow=True
    )

    assert response.status_code == 200
    assert "That step is not part of this case" in response.content.decode()
    assert not StepState.objects.filter(step="apply-k-medi").exists()


def test_a_done_step_the_plan_dropped_stays_listed_with_its_dates(alice: User, checkin) -> None:  # type: ignore[no-untyped-def]
    case = checkin.case
    client = client_for(alice)
    client.get(plan_url(case))
    client.post(reverse("escalation:step_toggle", args=[case.pk, "contact-surgeon"]), {"done": "1"})
    communication_add(
        case=case,
        user=alice,
        direction="sent",
        channel="email",
        counterpart="clinic",
        occurred_on=timezone.localdate(),
        summary="Asked whether the asymmetry is normal",
    )

    html = client.get(plan_url(case)).content.decode()

    assert "contact-surgeon" not in steps_of(html)  # she wrote: the plan moved on
    done = html.split('data-testid="done-earlier"')[1]
    assert "Contact your surgeon" in done or "surgeon" in done.lower()


def test_thirty_days_without_an_answer_opens_the_korean_routes(alice: User, case: Case) -> None:
    from revisio.cases.models import CaseProcedure
    from revisio.diary.services import checkin_add

    CaseProcedure.objects.filter(case=case).update(surgery_date=timezone.localdate() - dt.timedelta(days=200))
    checkin_add(case=case, user=alice, date=timezone.localdate() - dt.timedelta(days=31), concerns=["asymmetry"])
    communication_add(
        case=case,
        user=alice,
        direction="sent",
        channel="email",
        counterpart="clinic",
        occurred_on=timezone.localdate() - dt.timedelta(days=30),
        summary="Asked about the asymmetry",
    )

    html = client_for(alice).get(plan_url(case)).content.decode()

    steps = steps_of(html)
    assert {"ask-khidi-for-help", "apply-k-medi", "apply-kca"} <= set(steps)
    assert 'data-body="k-medi"' in html and 'data-body="khidi-medical-korea-support-center"' in html
    assert "1577-7129" in html  # KHIDI's number, from its record


def test_shared_users_see_the_plan_but_do_not_change_it(shared_case: Case, carol: User, dave: User, checkin) -> None:  # type: ignore[no-untyped-def]
    for user in (carol, dave):
        client = client_for(user)
        html = client.get(plan_url(shared_case)).content.decode()
        assert 'data-step="contact-surgeon"' in html and 'class="tick"' not in html
        toggle = client.post(reverse("escalation:step_toggle", args=[shared_case.pk, "contact-surgeon"]), {"done": "1"})
        assert toggle.status_code == 404
        write = reverse("escalation:write", args=[shared_case.pk])
        preview = client.post(write, {"question": "see-me", "language": "en", "action": "preview"})
        assert preview.status_code == 200 and 'data-testid="message-pair"' in preview.content.decode()
        assert "I sent it" not in preview.content.decode()  # only the patient logs what she sent
        assert client.post(write, {"question": "see-me", "language": "en", "action": "log"}).status_code == 404
        assert client.get(reverse("escalation:log", args=[shared_case.pk])).status_code == 200
        posted = client.post(
            reverse("escalation:log", args=[shared_case.pk]),
            {
                "occurred_on": "2026-01-01",
                "direction": "sent",
                "counterpart": "clinic",
                "channel": "email",
                "summary": "x",
            },
        )
        assert posted.status_code == 404
    assert not StepState.objects.exists()  # looking is not the patient being told
    assert not Communication.objects.exists()


@pytest.mark.parametrize("name", ["escalation:plan", "escalation:write", "escalation:log", "escalation:applications"])
def test_someone_elses_case_is_not_found(bob: User, case: Case, name: str) -> None:
    assert client_for(bob).get(reverse(name, args=[case.pk])).status_code == 404
    assert client_for(None).get(reverse(name, args=[case.pk])).status_code == 302  # to sign in


def test_write_shows_both_languages_and_logs_the_message_with_its_photos(alice: User, checkin) -> None:  # type: ignore[no-untyped-def]
    case = checkin.case
    photo = case.photos.get()
    client = client_for(alice)
    url = reverse("escalation:write", args=[case.pk])
    form = {
        "question": "is-this-normal",
        "language": "en",
        "photos": [str(photo.pk)],
        "free_text": "The left side feels harder.",
        "contact": "alice@example.org",
    }

    preview = client.post(url, {**form, "action": "preview"}).content.decode()

    assert 'data-testid="message-pair"' in preview
    assert 'lang="en"' in preview and 'lang="ko"' in preview
    assert "The left side feels harder." in preview
    assert "문의 사항:" in preview  # the Korean template, not a machine translation
    assert "환자가 직접 쓴 내용(번역되지 않음):" in preview  # her own words are marked as such
    assert not Communication.objects.exists()

    logged = client.post(url, {**form, "action": "log"})

    assert logged.status_code == 302 and logged.url == reverse("escalation:log", args=[case.pk])
    entry = Communication.objects.get()
    assert (entry.direction, entry.counterpart, entry.channel) == ("sent", "clinic", "email")
    assert entry.occurred_on == timezone.localdate()
    assert "----- 한국어 -----" in entry.body
    assert list(entry.photos.all()) == [photo]


def test_write_rejects_a_photo_of_another_case(alice: User, bob: User, checkin) -> None:  # type: ignore[no-untyped-def]
    from revisio.cases.services import ProcedureInput, case_create
    from revisio.diary.services import PhotoInput, checkin_add
    from tests.cast import jpeg

    other = case_create(owner=bob, title="b", procedures=[ProcedureInput("rhinoplasty", timezone.localdate())])
    foreign = checkin_add(
        case=other, user=bob, date=timezone.localdate(), photos=[PhotoInput(jpeg(), "front", "face")]
    ).photos.get()

    response = client_for(alice).post(
        reverse("escalation:write", args=[checkin.case.pk]),
        {"question": "see-me", "language": "en", "photos": [str(foreign.pk)], "action": "log"},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Communication.objects.exists()


def test_log_records_an_answer_and_rejects_a_future_date(alice: User, case: Case) -> None:
    client = client_for(alice)
    url = reverse("escalation:log", args=[case.pk])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    entry = {"direction": "received", "counterpart": "clinic", "channel": "messenger", "summary": "They said wait."}

    future = client.post(url, {**entry, "occurred_on": tomorrow.isoformat()})
    assert future.status_code == 200 and "cannot be dated in the future" in future.content.decode()
    assert not Communication.objects.exists()

    bad = client.post(url, {**entry, "occurred_on": "yesterday", "channel": "pigeon"})
    assert bad.status_code == 200 and not Communication.objects.exists()

    ok = client.post(url, {**entry, "occurred_on": timezone.localdate().isoformat()})
    assert ok.status_code == 302
    html = client.get(url).content.decode()
    assert "They said wait." in html


def test_applications_save_with_dates_and_compute_the_k_medi_fee(alice: User, case: Case) -> None:
    client = client_for(alice)
    url = reverse("escalation:applications", args=[case.pk])

    fee = client.get(url, {"claim": "30000000"}).content.decode()
    assert 'data-testid="fee"' in fee and "72,000" in fee
    assert "kmedi-fee-information" not in fee  # sources are shown by title
    assert client.get(url, {"claim": "lots"}).status_code == 200  # a form error, not a crash
    assert 'data-body="k-medi"' in fee and 'data-body="korea-consumer-agency"' in fee  # operated in Korea
    assert "1372" in fee

    undated = client.post(url, {"body": "k-medi", "status": "filed"})
    assert "Give the date the application was filed" in undated.content.decode()
    unknown = client.post(url, {"body": "nowhere", "status": "preparing"})
    assert unknown.status_code == 200 and "Select a valid choice" in unknown.content.decode()
    assert not ComplaintApplication.objects.exists()

    filed_on = timezone.localdate() - dt.timedelta(days=2)
    ok = client.post(
        url, {"body": "k-medi", "status": "filed", "filed_on": filed_on.isoformat(), "reference": "2026-123"}
    )
    assert ok.status_code == 302
    application = ComplaintApplication.objects.get()
    assert (application.body, application.status, application.filed_on) == ("k-medi", "filed", filed_on)


def test_applications_are_read_only_for_shared_users(shared_case: Case, carol: User) -> None:
    url = reverse("escalation:applications", args=[shared_case.pk])
    client = client_for(carol)
    assert client.get(url).status_code == 200
    assert client.post(url, {"body": "k-medi", "status": "preparing"}).status_code == 404
    assert not ComplaintApplication.objects.exists()


@pytest.mark.parametrize("language", ["en", "ko"])
def test_escalation_pages_render_in_other_languages(alice: User, checkin, language: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(alice)
    client.cookies["django_language"] = language
    for name in ("escalation:plan", "escalation:write", "escalation:log", "escalation:applications"):
        assert client.get(reverse(name, args=[checkin.case.pk])).status_code == 200, name
