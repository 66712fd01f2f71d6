"""The directory pages: clinics for everyone signed in, translators for coordinators and staff only, the
case's treating clinic and referrals for its owner only, the referrals an agency sees, the staff import."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.directory import services
from revisio.directory.models import Clinic, Referral, ReferralStatus, Translator, TreatingClinic
from tests.cast import client_for
from tests.directory.support import GOOD_CLINIC, csv_of


def rows(html: str, attribute: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split(f'{attribute}="')[1:]]


def test_clinics_are_listed_and_filtered(alice: User, seoul_clinic: Clinic, busan_clinic: Clinic) -> None:
    client = client_for(alice)
    url = reverse("directory:clinics")
    assert set(rows(client.get(url).content.decode(), "data-clinic")) == {str(seoul_clinic.pk), str(busan_clinic.pk)}
    html = client.get(url, {"specialty": "rhinoplasty", "language": "JA"}).content.decode()
    assert rows(html, "data-clinic") == [str(seoul_clinic.pk)]
    assert "Rhinoplasty" in html, "specialties are shown by the procedure's name"
    assert "Translators" not in html, "patients are not offered the translators"


def test_a_bad_filter_says_what_to_fix_and_lists_everything(alice: User, seoul_clinic: Clinic) -> None:
    response = client_for(alice).get(reverse("directory:clinics"), {"language": "klingon"})
    html = response.content.decode()
    assert response.status_code == 200 and "klingon is not a language code" in html
    assert rows(html, "data-clinic") == [str(seoul_clinic.pk)]


def test_the_clinic_page_says_when_the_registration_number_is_not_known(alice: User, seoul_clinic: Clinic) -> None:
    html = client_for(alice).get(reverse("directory:clinic", args=[seoul_clinic.pk])).content.decode()
    assert "예시 코성형 클리닉" in html and "+82 2 000 0001" in html and "not known" in html
    assert client_for(alice).get(reverse("directory:clinic", args=["not-a-uuid"])).status_code == 404


def test_patients_never_see_translators(alice: User, carol: User, translators: dict[str, Translator]) -> None:
    url = reverse("directory:translators")
    assert client_for(alice).get(url).status_code == 404
    html = client_for(carol).get(url).content.decode()
    assert set(rows(html, "data-translator")) == {str(translators["independent"].pk), str(translators["own"].pk)}
    assert "one@t.example" in html and "+82 10 0000 0001" in html, "coordinators see how to reach them"


def test_the_owner_marks_her_treating_clinic(alice: User, case: Case, seoul_clinic: Clinic) -> None:
    client = client_for(alice)
    url = reverse("directory:case_clinic", args=[case.pk])
    html = client.get(url, {"q": "rhinoplasty clinic"}).content.decode()
    assert rows(html, "data-clinic") == [str(seoul_clinic.pk)]

    response = client.post(url, {"action": "treating", "clinic": str(seoul_clinic.pk)}, follow=True)

    assert TreatingClinic.objects.get(case=case).clinic == seoul_clinic
    assert "is marked as your treating clinic" in response.content.decode()
    client.post(url, {"action": "clear"})
    assert not TreatingClinic.objects.exists()


def test_the_owner_asks_for_a_second_opinion_and_records_the_answer(
    alice: User, case: Case, seoul_clinic: Clinic, busan_clinic: Clinic
) -> None:
    client = client_for(alice)
    url = reverse("directory:case_clinic", args=[case.pk])
    client.post(url, {"action": "treating", "clinic": str(seoul_clinic.pk)})
    html = client.post(url, {"action": "refer", "clinic": str(seoul_clinic.pk)}, follow=True).content.decode()
    assert "a second opinion comes from another clinic" in html and not Referral.objects.exists()

    client.post(url, {"action": "refer", "clinic": str(busan_clinic.pk), "reason": "one hip is bigger"})
    referral = Referral.objects.get()
    assert (referral.to_clinic, referral.reason, referral.requested_by) == (busan_clinic, "one hip is bigger", alice)
    html = client.get(url).content.decode()
    assert rows(html, "data-referral") == [str(referral.pk)] and 'data-set-status="accepted"' in html

    client.post(url, {"action": "status", "referral": str(referral.pk), "status": "accepted"})
    html = client.post(
        url, {"action": "status", "referral": str(referral.pk), "status": "declined"}, follow=True
    ).content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and "cannot become declined" in html


def test_bad_posts_change_nothing_and_say_why(alice: User, case: Case, busan_clinic: Clinic) -> None:
    client = client_for(alice)
    url = reverse("directory:case_clinic", args=[case.pk])
    html = client.post(url, {"action": "refer", "clinic": "nope"}, follow=True).content.decode()
    assert "Nothing was changed: Enter a valid UUID." in html
    html = client.post(
        url, {"action": "refer", "clinic": str(busan_clinic.pk), "reason": "x" * 2001}, follow=True
    ).content.decode()
    assert "Nothing was changed" in html and "at most 2000 characters" in html
    assert "Choose what to do" in client.post(url, {}, follow=True).content.decode()
    assert not Referral.objects.exists()


def test_nobody_but_the_owner_reaches_the_case_clinic_page(
    shared_case: Case, alice: User, bob: User, carol: User, dave: User, erin: User, busan_clinic: Clinic
) -> None:
    url = reverse("directory:case_clinic", args=[shared_case.pk])
    for user in (bob, carol, dave, erin):
        client = client_for(user)
        assert client.get(url).status_code == 404, user
        assert client.post(url, {"action": "refer", "clinic": str(busan_clinic.pk)}).status_code == 404, user
    assert not Referral.objects.exists()


def test_nobody_changes_a_referral_through_another_case(
    alice: User, bob: User, case: Case, busan_clinic: Clinic
) -> None:
    referral = services.referral_request(case=case, clinic=busan_clinic, user=alice)
    own = Case.objects.create(owner=bob, title="Bob's case")
    url = reverse("directory:case_clinic", args=[own.pk])
    response = client_for(bob).post(url, {"action": "status", "referral": str(referral.pk), "status": "cancelled"})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REQUESTED


def test_the_agency_sees_the_referrals_of_its_shared_cases(
    shared_case: Case, alice: User, carol: User, dan: User, busan_clinic: Clinic
) -> None:
    referral = services.referral_request(case=shared_case, clinic=busan_clinic, user=alice, reason="one hip is bigger")
    url = reverse("directory:referrals")
    html = client_for(carol).get(url).content.decode()
    assert rows(html, "data-referral") == [str(referral.pk)] and "one hip is bigger" in html and "Hips" in html
    assert rows(client_for(dan).get(url).content.decode(), "data-referral") == []
    assert client_for(alice).get(url).status_code == 404


def test_the_referral_list_reads_a_fixed_number_of_queries(
    shared_case: Case, alice: User, carol: User, busan_clinic: Clinic, seoul_clinic: Clinic
) -> None:
    client = client_for(carol)
    url = reverse("directory:referrals")
    services.referral_request(case=shared_case, clinic=busan_clinic, user=alice)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    services.referral_request(case=shared_case, clinic=seoul_clinic, user=alice)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    assert len(two) == len(one), "one more referral must not cost more queries"


def test_staff_import_a_file_and_see_every_bad_row(erin: User, alice: User) -> None:
    url = reverse("directory:import")
    bad = GOOD_CLINIC.replace("Example Hip", "Second").replace(",KR,", ",ZZ,")

    def upload(data: bytes, **extra: str):  # type: ignore[no-untyped-def]
        return client_for(erin).post(url, {"kind": "clinics", "file": SimpleUploadedFile("c.csv", data), **extra})

    response = upload(csv_of(GOOD_CLINIC, bad))
    html = response.content.decode()
    assert response.status_code == 400 and not Clinic.objects.exists()
    assert "<td>3</td><td>country</td><td>ZZ is not a two-letter country code such as KR.</td>" in html

    response = upload(csv_of(GOOD_CLINIC, bad), skip_bad="on")
    assert response.status_code == 200 and Clinic.objects.count() == 1
    assert "1 added, 0 updated, 0 unchanged." in response.content.decode()

    response = upload("name_en,city,country\n".encode("utf-16"))
    assert response.status_code == 400 and "This is not a CSV file" in response.content.decode()

    assert client_for(alice).get(url).status_code == 404
    assert (
        client_for(alice)
        .post(url, {"kind": "clinics", "file": SimpleUploadedFile("c.csv", csv_of(GOOD_CLINIC))})
        .status_code
        == 404
    )
    assert Clinic.objects.count() == 1


def test_coordinators_are_led_to_translators_and_referrals(carol: User, erin: User, seoul_clinic: Clinic) -> None:
    url = reverse("directory:clinics")
    html = client_for(carol).get(url).content.decode()
    assert reverse("directory:translators") in html and reverse("directory:referrals") in html
    html = client_for(erin).get(url).content.decode()
    assert reverse("directory:translators") in html and reverse("directory:referrals") not in html
    assert reverse("directory:import") in html


def test_the_pages_read_in_korean(alice: User, case: Case, seoul_clinic: Clinic) -> None:
    client = client_for(alice)
    client.cookies["django_language"] = "ko"
    for url in (reverse("directory:clinics"), reverse("directory:case_clinic", args=[case.pk]) + "?q=Seoul"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ko")
        assert response.status_code == 200 and 'lang="ko"' in response.content.decode(), url


def test_staff_edit_a_clinic_in_the_admin(erin: User, seoul_clinic: Clinic) -> None:
    erin.is_superuser = True  # staff edit in the admin with the permissions they are given
    erin.save(update_fields=["is_superuser"])
    client = client_for(erin)
    assert "Example Rhinoplasty Clinic" in client.get("/admin/directory/clinic/").content.decode()
    assert client.get(f"/admin/directory/clinic/{seoul_clinic.pk}/change/").status_code == 200
