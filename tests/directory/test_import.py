"""Importing clinics and translators from CSV: every row checked and reported, all or nothing (or the
good rows with ``skip_bad``), the same clinic updated rather than duplicated, and bad files refused whole."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from revisio.accounts.models import Agency
from revisio.directory.csvfile import BadFile, Kind, RowError
from revisio.directory.models import Clinic, Translator
from revisio.directory.services import directory_import, directory_sample_load
from tests.directory.support import CLINIC_HEADER, GOOD_CLINIC, TRANSLATOR_HEADER, csv_of

pytestmark = pytest.mark.django_db


def clinics(data: bytes, *, skip_bad: bool = False):  # type: ignore[no-untyped-def]
    return directory_import(kind=Kind.CLINICS, data=data, skip_bad=skip_bad)


def refused(data: bytes, kind: Kind = Kind.CLINICS) -> str:
    with pytest.raises(BadFile) as caught:
        directory_import(kind=kind, data=data)
    assert not Clinic.objects.exists() and not Translator.objects.exists(), "a bad file must write nothing"
    return caught.value.message


def test_a_good_file_is_imported_and_normalised() -> None:
    line = (
        "Example Hip Clinic,,1 Example-ro, Seoul ,kr,hourglass-hip; Liposuction,EN;ko;zh-Hans,,"
        "+82 2 000 0000,A@Hip.Example,"
    )
    report = clinics(csv_of(line))

    assert (report.created, report.updated, report.errors) == (1, 0, [])
    clinic = Clinic.objects.get()
    assert clinic.city == "Seoul" and clinic.country == "KR"
    assert clinic.specialties == ["fat-transfer-hips", "liposuction"], "aliases are stored as the procedure's ID"
    assert clinic.languages == ["en", "ko", "zh-hans"]
    assert clinic.email == "a@hip.example"
    assert clinic.foreign_patient_registration == "", "blank means not known: nothing is made up"


def test_importing_again_updates_instead_of_duplicating() -> None:
    clinics(csv_of(GOOD_CLINIC))
    changed = GOOD_CLINIC.replace("+82 2 000 0000", "+82 2 999 9999").replace(
        "Example Hip Clinic", "EXAMPLE HIP CLINIC"
    )

    report = clinics(csv_of(changed))

    assert (report.created, report.updated) == (0, 1)
    clinic = Clinic.objects.get()
    assert clinic.phone == "+82 2 999 9999"


def test_the_korean_name_alone_finds_the_same_clinic_and_another_city_is_another_clinic() -> None:
    clinics(csv_of(GOOD_CLINIC))
    korean_only = csv_of(",예시 엉덩이 클리닉,,Seoul,KR,,,외국인-0000,,,", header=CLINIC_HEADER)
    assert clinics(korean_only).updated == 1
    assert Clinic.objects.get().name_en == "Example Hip Clinic", "the English name stays: the row left it blank"

    assert clinics(csv_of(GOOD_CLINIC.replace("Seoul", "Busan"))).created == 1
    assert Clinic.objects.count() == 2


def test_a_column_the_file_does_not_have_keeps_what_is_stored() -> None:
    clinics(csv_of(GOOD_CLINIC))
    report = clinics(csv_of("Example Hip Clinic,Seoul,KR", header="name_en,city,country"))
    assert (report.updated, report.unchanged) == (0, 1)
    assert Clinic.objects.get().phone == "+82 2 000 0000"


def test_one_bad_row_imports_nothing_and_every_bad_row_is_reported() -> None:
    bad_country = GOOD_CLINIC.replace("Example Hip", "Second").replace(",KR,", ",KOR,")
    bad_email = GOOD_CLINIC.replace("Example Hip", "Third").replace("a@hip.example", "not-an-address")
    bad_specialty = GOOD_CLINIC.replace("Example Hip", "Fourth").replace("liposuction", "rhinoplsty")

    report = clinics(csv_of(GOOD_CLINIC, bad_country, "", bad_email, bad_specialty))

    assert report.imported == 0 and not Clinic.objects.exists()
    assert [(e.row, e.column) for e in report.errors] == [(3, "country"), (5, "email"), (6, "specialties")]
    assert "KOR is not a two-letter country code such as KR" in report.errors[0].message
    assert "not-an-address is not an e-mail address" in report.errors[1].message
    assert "did you mean rhinoplasty" in report.errors[2].message, "the nearest procedure IDs are suggested"
    assert str(report.errors[0]).startswith("row 3, column country: ")


def test_skip_bad_imports_the_good_rows_and_reports_the_bad_ones() -> None:
    bad = GOOD_CLINIC.replace("Example Hip", "Second").replace(",KR,", ",XX,")
    report = clinics(csv_of(GOOD_CLINIC, bad), skip_bad=True)
    assert (report.created, report.refused_rows) == (1, 1)
    assert Clinic.objects.get().name_en == "Example Hip Clinic"


def test_the_same_clinic_twice_in_one_file_is_refused_in_the_later_row() -> None:
    again = GOOD_CLINIC.replace("Example Hip Clinic", "example hip clinic").replace("예시 엉덩이 클리닉", "")
    report = clinics(csv_of(GOOD_CLINIC, again), skip_bad=True)
    assert report.created == 1
    assert report.errors == [RowError(3, "name_en", "the same name and city as row 2: keep one of the two rows.")]


def test_a_row_needs_a_name_a_city_and_a_country() -> None:
    report = clinics(csv_of(",,1 Example-ro,Seoul,KR,,,,,,", "Nameless Example Clinic,,,,,,,,,,"))
    assert [(e.row, e.column) for e in report.errors] == [(2, "name_en"), (3, "city"), (3, "country")]
    assert report.errors[1].message == "a value is needed."


def test_a_field_longer_than_its_column_is_reported_with_its_length() -> None:
    report = clinics(csv_of(GOOD_CLINIC.replace("1 Example-ro", "x" * 600)))
    assert report.errors == [RowError(2, "address", "600 characters long; at most 500.")]


def test_a_huge_field_from_an_unclosed_quote_refuses_the_file_naming_the_row() -> None:
    message = refused(csv_of(GOOD_CLINIC, 'Second Example Clinic,,"' + "x" * 200_000 + ",Seoul,KR"))
    assert message.startswith("Row 3 cannot be read as CSV") and "quotation mark" in message


def test_a_row_with_more_values_than_columns_is_reported() -> None:
    report = clinics(csv_of(GOOD_CLINIC + ",extra"))
    assert report.errors[0].row == 2 and "12 values, but the header names 11 columns" in report.errors[0].message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "The file is empty"),
        (b" \n\n", "The file is empty"),
        (csv_of(GOOD_CLINIC).decode().encode("utf-16"), "not a CSV file"),
        (b"PK\x03\x04\x14\x00\x00\x00spreadsheet.xlsx", "not a CSV file"),
        ("name_en,city,country\nExâmple Clinic,Zürich,CH\n".encode("latin-1"), "not UTF-8 (byte 0xe2 at position 23)"),
        ("name_en,name_ko,city,country\n,예시,서울,KR\n".encode("euc-kr"), "not UTF-8"),
        (csv_of(GOOD_CLINIC, header=CLINIC_HEADER.replace(",country", "")), "Missing column(s) country"),
        (csv_of("Seoul,KR", header="city,country"), "Missing column(s) name_en or name_ko"),
        (GOOD_CLINIC.encode() + b"\n", "The first line does not name the columns"),
        (csv_of(GOOD_CLINIC, header=CLINIC_HEADER.replace("email", "e-mail")), "Unknown column(s) e-mail"),
        (csv_of(header=CLINIC_HEADER.replace(",", ";")), "separated by semicolons"),
        (csv_of(header="name_en,city,country,city"), "names a column twice: city"),
    ],
    ids=[
        "empty",
        "blank",
        "utf-16",
        "binary",
        "latin-1",
        "euc-kr",
        "missing column",
        "no name column",
        "no header",
        "unknown column",
        "semicolons",
        "column twice",
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(data: bytes, expected: str) -> None:
    assert expected in refused(data)


def test_a_byte_order_mark_is_not_part_of_the_header() -> None:
    report = clinics("\ufeff".encode() + csv_of(GOOD_CLINIC))
    assert (report.created, report.errors) == (1, [])


def test_a_row_naming_two_different_clinics_is_refused() -> None:
    Clinic.objects.create(name_en="Example Hip Clinic", city="Seoul", country="KR")
    Clinic.objects.create(name_ko="예시 엉덩이 클리닉", city="Seoul", country="KR")
    report = clinics(csv_of(GOOD_CLINIC))
    assert [(e.row, e.column) for e in report.errors] == [(2, "name_ko")]
    assert Clinic.objects.filter(phone="").count() == 2, "neither clinic is changed"


def test_translators_are_imported_into_their_agency_and_updated_by_name() -> None:
    agency = Agency.objects.create(name="Seoul Care Agency")
    data = csv_of(
        "Example Translator,en;ko,+82 10 0000 0001,t@t.example,weekdays 9-18 KST,,yes",
        "Example Translator,ru;ko,,,,seoul care agency,no",
        header=TRANSLATOR_HEADER,
    )
    assert directory_import(kind=Kind.TRANSLATORS, data=data).created == 2
    again = directory_import(kind=Kind.TRANSLATORS, data=data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    own = Translator.objects.get(agency=agency)
    assert (own.languages, own.active) == (["ru", "ko"], False)

    blank_active = csv_of("Example Translator,ru;ko;en,,,,Seoul Care Agency,", header=TRANSLATOR_HEADER)
    assert directory_import(kind=Kind.TRANSLATORS, data=blank_active).updated == 1
    own.refresh_from_db()
    assert (own.languages, own.active) == (["ru", "ko", "en"], False), "a blank cell does not reactivate anyone"
    assert Translator.objects.get(agency=None).availability == "weekdays 9-18 KST"


def test_a_translator_of_an_unknown_agency_or_without_languages_is_refused() -> None:
    data = csv_of("One Example,en,,,,No Such Agency,", "Two Example,,,,,,maybe", header=TRANSLATOR_HEADER)
    report = directory_import(kind=Kind.TRANSLATORS, data=data)
    assert [(e.row, e.column) for e in report.errors] == [(2, "agency"), (3, "languages"), (3, "active")]
    assert "no agency is called No Such Agency" in report.errors[0].message
    assert not Translator.objects.exists()


def test_a_translator_file_needs_its_own_columns() -> None:
    assert "Missing column(s) languages" in refused(csv_of("One", header="name"), Kind.TRANSLATORS)


def test_the_demo_sample_is_fictional_and_loads_twice_without_duplicates() -> None:
    first = directory_sample_load()
    again = directory_sample_load()
    assert [(r.created, r.errors) for r in first] == [(5, []), (3, [])]
    assert [(r.created, r.updated, r.unchanged) for r in again] == [(0, 0, 5), (0, 0, 3)]
    assert all("Example" in clinic.name_en for clinic in Clinic.objects.all())
    assert not Clinic.objects.exclude(foreign_patient_registration="").exists(), "no registration number is made up"


def test_the_demo_seeding_command_loads_the_sample() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    assert (Clinic.objects.count(), Translator.objects.count()) == (5, 3)
