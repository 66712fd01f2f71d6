"""Form flows through the pages: accounts, tokens, check-ins with photos, documents, sharing."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from revisio.accounts.models import ApiToken, User
from revisio.cases.models import Case, CaseShare
from revisio.diary.models import CheckIn
from tests.cast import PASSWORD, client_for


@pytest.mark.argon2
def test_sign_up_validates_then_signs_in(db: None) -> None:
    client = Client()
    weak = client.post(
        reverse("accounts:signup"),
        {
            "email": "new@example.org",
            "password1": "12345678",
            "password2": "12345678",
            "role": "patient",
            "time_zone": "UTC",
        },
    )
    assert weak.status_code == 200 and User.objects.count() == 0
    assert "too common" in weak.content.decode() or "too short" in weak.content.decode()
    ok = client.post(
        reverse("accounts:signup"),
        {
            "email": "New@Example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "clinician",
            "time_zone": "Asia/Seoul",
            "current_country": "KR",
            "languages": ["ko", "en"],
        },
    )
    assert ok.status_code == 302
    user = User.objects.get()
    assert (user.email, user.role, user.time_zone, user.languages) == (
        "new@example.org",
        "clinician",
        "Asia/Seoul",
        ["ko", "en"],
    )
    assert user.password.startswith("argon2")
    again = Client().post(
        reverse("accounts:signup"),
        {
            "email": "new@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "patient",
            "time_zone": "UTC",
        },
    )
    assert "already exists" in again.content.decode()


def test_sign_in_sign_out_and_password_reset_by_email(alice: User) -> None:
    client = Client()
    assert client.post(reverse("accounts:login"), {"username": alice.email, "password": "wrong"}).status_code == 200
    assert client.post(reverse("accounts:login"), {"username": alice.email, "password": PASSWORD}).status_code == 302
    assert client.get(reverse("cases:list")).status_code == 200
    assert client.get(reverse("accounts:logout")).status_code == 405  # signing out is a POST, never a link
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("cases:list")).status_code == 302  # back to the sign-in page

    client.post(reverse("accounts:password_reset"), {"email": alice.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    form_page = client.get(link, follow=True)
    new_password = "another long passphrase 42"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    alice.refresh_from_db()
    assert alice.check_password(new_password)


def test_profile_sets_the_country_that_names_the_emergency_number(alice: User, case: Case) -> None:
    client = client_for(alice)
    client.post(
        reverse("accounts:profile"),
        {"display_name": "Alice", "current_country": "US", "time_zone": "America/New_York", "languages": ["en"]},
    )
    alice.refresh_from_db()
    assert alice.current_country == "US"
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "<strong>911</strong>" in html


def test_tokens_are_shown_once_and_can_be_revoked(alice: User) -> None:
    client = client_for(alice)
    page = client.post(reverse("accounts:tokens"), {"name": "my script"}).content.decode()
    secret = re.search(r'data-testid="token-secret">(rv_[^<]+)<', page).group(1)  # type: ignore[union-attr]
    token = ApiToken.objects.get()
    assert secret not in client.get(reverse("accounts:tokens")).content.decode()
    assert Client().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert Client().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def _gps_jpeg() -> bytes:
    image = Image.new("RGB", (50, 40), (120, 80, 60))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (37.0, 31.0, 5.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_checkin_form_with_a_photo_and_a_warning_sign(alice: User, case: Case) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(alice)
    data = {
        "date": timezone.localdate().isoformat(),
        "symptoms": ["spreading-redness"],
        "concerns": ["asymmetry"],
        "pain": "4",
        "temperature_c": "38.2",
        "notes": "red around the cut",
        "photos-TOTAL_FORMS": "3",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "12",
        "photos-0-image": SimpleUploadedFile("IMG_0001.JPG", _gps_jpeg(), content_type="image/jpeg"),
        "photos-0-view": "back",
        "photos-0-body_area": "hips",
        "photos-1-view": "front",
        "photos-1-body_area": "hips",
        "photos-2-view": "front",
        "photos-2-body_area": "hips",
    }
    response = client.post(reverse("diary:checkin_add", args=[case.pk]), data)
    checkin = CheckIn.objects.get()
    assert response.status_code == 302
    assert checkin.level == "urgent" and checkin.pain == 4
    page = client.get(response["Location"]).content.decode()
    assert 'data-level="urgent"' in page and "<strong>999</strong>" in page
    photo = checkin.photos.get()
    served = b"".join(client.get(reverse("diary:photo", args=[case.pk, photo.pk])).streaming_content)
    assert not Image.open(io.BytesIO(served)).getexif()  # no GPS, no EXIF at all, in what is served
    assert client.get(reverse("diary:photo", args=[case.pk, photo.pk]))["Content-Type"] == "image/jpeg"


def test_checkin_form_shows_a_bad_photo_as_a_form_error(alice: User, case: Case) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "date": timezone.localdate().isoformat(),
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "12",
        "photos-0-image": SimpleUploadedFile("x.jpg", b"<html>not a photo</html>", content_type="image/jpeg"),
        "photos-0-view": "back",
        "photos-0-body_area": "hips",
    }
    response = client_for(alice).post(reverse("diary:checkin_add", args=[case.pk]), data)
    assert response.status_code == 200
    assert "not a photo" in response.content.decode() or "web page" in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_document_upload_is_a_download_never_inline(alice: User, case: Case) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(alice)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client.post(
        reverse("cases:document_add", args=[case.pk]),
        {
            "document_type": "operative-note",
            "title": "Op note",
            "file": SimpleUploadedFile("op note.pdf", pdf, content_type="application/pdf"),
        },
    )
    document = case.documents.get()
    response = client.get(reverse("cases:document_download", args=[case.pk, document.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == pdf
    svg = client.post(
        reverse("cases:document_add", args=[case.pk]),
        {"document_type": "other", "file": SimpleUploadedFile("x.pdf", b"<svg xmlns='http://www.w3.org/2000/svg'/>")},
    )
    assert svg.status_code == 200 and case.documents.count() == 1


def test_sharing_page_shares_and_revokes(alice: User, case: Case, agency, carol: User, dave: User) -> None:
    client = client_for(alice)
    client.post(reverse("cases:shares", args=[case.pk]), {"agency": agency.pk, "scope": "full"})
    client.post(reverse("cases:shares", args=[case.pk]), {"clinician_email": dave.email, "scope": "photos"})
    assert CaseShare.objects.filter(case=case).count() == 2
    assert client_for(carol).get(reverse("cases:detail", args=[case.pk])).status_code == 200
    share = CaseShare.objects.get(agency=agency)
    client.post(reverse("cases:share_revoke", args=[case.pk, share.pk]))
    assert client_for(carol).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert CaseShare.objects.get(clinician=dave).scope == "photos"
    unknown = client.post(
        reverse("cases:shares", args=[case.pk]), {"clinician_email": "nobody@example.org", "scope": "full"}
    )
    assert "No clinician has a Revisio account" in unknown.content.decode()


def test_readers_of_a_shared_case_cannot_change_it(shared_case: Case, carol: User, dave: User) -> None:
    for user in (carol, dave):
        client = client_for(user)
        assert client.get(reverse("cases:detail", args=[shared_case.pk])).status_code == 200
        for name in ("cases:edit", "cases:delete", "cases:shares", "diary:checkin_add", "cases:document_add"):
            assert client.get(reverse(name, args=[shared_case.pk])).status_code == 404, name
