"""Marking points by hand in a real browser: drag a landmark over the photo and save."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from revisio.cases.services import ProcedureInput, case_create
from revisio.diary.models import PhotoMeasurement
from revisio.diary.services import PhotoInput, photo_add
from tests.browser.conftest import screenshot
from tests.cast import PASSWORD, jpeg, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_drag_a_point_and_save(page) -> None:  # type: ignore[no-untyped-def]
    owner = make_user("yuna@example.org")
    case = case_create(
        owner=owner, title="Breasts", procedures=[ProcedureInput("breast-augmentation", timezone.localdate())]
    )
    photo = photo_add(case=case, user=owner, photo=PhotoInput(jpeg(300, 400), "front", "breasts"))
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", owner.email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{page.base_url}/cases/{case.pk}/photos/{photo.pk}/measure/")
    points = page.locator("circle.lm-point")
    expect(points).to_have_count(5)  # the five breast points, at their usual places

    # Drag the first point (the patient's left nipple is the third key; find it by its title).
    nipple = page.locator("circle.lm-point", has=page.locator("title", has_text="nipple left"))
    box = nipple.bounding_box()
    assert box is not None
    start = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0], start[1] + 25, steps=5)
    page.mouse.up()
    screenshot(page, "07-measure-page-dragging")
    page.get_by_role("button", name="Save the corrected points").click()
    expect(page.get_by_text("Breast retraction assessment (BRA)")).to_be_visible()

    saved = PhotoMeasurement.objects.get()
    assert saved.landmarks_source == "manual" and saved.measured_by == owner
    # It moved down on screen, so further from the notch than the right nipple: the drop differs.
    assert saved.landmarks["nipple_left"][1] > saved.landmarks["nipple_right"][1]
    assert saved.metrics["unr"] > 0
