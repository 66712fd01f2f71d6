"""CSV files for the directory tests."""

from __future__ import annotations

CLINIC_HEADER = (
    "name_en,name_ko,address,city,country,specialties,languages,foreign_patient_registration,phone,email,website"
)
TRANSLATOR_HEADER = "name,languages,phone,email,availability,agency,active"
GOOD_CLINIC = (
    "Example Hip Clinic,예시 엉덩이 클리닉,1 Example-ro,Seoul,KR,fat-transfer-hips;liposuction,en;ko,,"
    "+82 2 000 0000,a@hip.example,https://hip.example/"
)


def csv_of(*lines: str, header: str = CLINIC_HEADER) -> bytes:
    """A CSV file: the header, then ``lines``, as UTF-8 with a final newline."""
    return ("\n".join([header, *lines]) + "\n").encode()
