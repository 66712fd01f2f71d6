"""Clinics and translators for the directory tests, all fictional (the cast is in tests/cast.py)."""

from __future__ import annotations

import pytest

from revisio.accounts.models import Agency
from revisio.directory.models import Clinic, Translator


@pytest.fixture
def seoul_clinic(db: None) -> Clinic:
    return Clinic.objects.create(
        name_en="Example Rhinoplasty Clinic",
        name_ko="예시 코성형 클리닉",
        city="Seoul",
        country="KR",
        specialties=["rhinoplasty", "chin-augmentation"],
        languages=["en", "ko", "ja"],
        phone="+82 2 000 0001",
        email="info@rhinoplasty.example",
    )


@pytest.fixture
def busan_clinic(db: None) -> Clinic:
    return Clinic.objects.create(
        name_en="Example Breast Clinic",
        city="Busan",
        country="KR",
        specialties=["breast-augmentation"],
        languages=["ko", "ru"],
    )


@pytest.fixture
def london_clinic(db: None) -> Clinic:
    return Clinic.objects.create(
        name_en="Example Second Opinion Clinic",
        city="London",
        country="GB",
        specialties=["rhinoplasty"],
        languages=["en"],
    )


@pytest.fixture
def translators(agency: Agency) -> dict[str, Translator]:
    other = Agency.objects.create(name="Third Agency")
    return {
        "independent": Translator.objects.create(
            name="Example Translator One", languages=["en", "ko"], phone="+82 10 0000 0001", email="one@t.example"
        ),
        "own": Translator.objects.create(name="Example Agency Translator", languages=["ru", "ko"], agency=agency),
        "other": Translator.objects.create(name="Example Other Translator", languages=["zh", "ko"], agency=other),
        "inactive": Translator.objects.create(name="Example Retired Translator", languages=["en"], active=False),
    }
