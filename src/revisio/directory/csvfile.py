"""Reading a directory CSV file: the file as a whole (encoding, header), then every row on its own.

A problem with the file as a whole (empty, not UTF-8, not CSV, a missing or unknown column) raises
``BadFile``: nothing can be read from it. A problem with a row becomes a ``RowError`` naming the row (as
a spreadsheet numbers it: the header is row 1), the column and what to fix, and every row is checked, so
one run lists every mistake. The column lists are in docs/directory.md.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from revisio.directory import fields
from revisio.web.errors import InvalidInput

MAX_BYTES = 5 * 1024 * 1024  # a directory of thousands of clinics is well under 1 MB
MAX_ROWS = 20_000


class Kind(StrEnum):
    CLINICS = "clinics"
    TRANSLATORS = "translators"


class BadFile(InvalidInput):
    """The file cannot be read as a directory CSV at all; the message says why and what to do."""

    code = "bad-file"


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class Column:
    name: str
    max_length: int
    clean: Callable[[str], Any] = str.strip
    required: bool = False  # a value is needed in every row


@dataclass
class Row:
    number: int
    values: dict[str, Any]


@dataclass
class ParsedFile:
    kind: Kind
    columns: list[str] = field(default_factory=list)  # those the header names, in its order
    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad_rows(self) -> set[int]:
        return {error.row for error in self.errors}


def _text(text: str) -> str:
    return " ".join(text.split())


COLUMNS: dict[Kind, tuple[Column, ...]] = {
    Kind.CLINICS: (
        Column("name_en", 200, _text),
        Column("name_ko", 200, _text),
        Column("address", 500, _text),
        Column("city", 120, _text, required=True),
        Column("country", 20, fields.clean_country, required=True),
        Column("specialties", 2000, fields.clean_specialties),
        Column("languages", 500, fields.clean_languages),
        Column("foreign_patient_registration", 100, _text),
        Column("phone", 40, fields.clean_phone),
        Column("email", 254, fields.clean_email),
        Column("website", 500, fields.clean_website),
    ),
    Kind.TRANSLATORS: (
        Column("name", 200, _text, required=True),
        Column("languages", 500, fields.clean_languages, required=True),
        Column("phone", 40, fields.clean_phone),
        Column("email", 254, fields.clean_email),
        Column("availability", 200, _text),
        Column("agency", 200, _text),  # the name of an agency in Revisio; blank: an independent translator
        Column("active", 10, fields.clean_active),
    ),
}
#: Columns the header must name; for clinics also one of the two names.
REQUIRED_HEADERS: dict[Kind, tuple[str, ...]] = {
    Kind.CLINICS: ("city", "country"),
    Kind.TRANSLATORS: ("name", "languages"),
}


def parse(data: bytes, kind: Kind) -> ParsedFile:
    """Every row of ``data`` checked and normalised, with the errors of the bad ones. Raises ``BadFile``."""
    columns = {column.name: column for column in COLUMNS[kind]}
    records = _records(_decode(data))
    parsed = ParsedFile(kind)
    reading = 1  # the row being read, for the message if the csv module cannot
    try:
        header = parsed.columns = _header(next(records, None), kind, columns)
        reading = 2
        for number, record in enumerate(records, start=2):
            reading = number + 1
            if number > MAX_ROWS + 1:
                raise BadFile(
                    _("The file has more than %(max)s rows: split it into smaller files.") % {"max": MAX_ROWS}
                )
            if not any(value.strip() for value in record):
                continue  # spreadsheets leave empty rows at the end
            _row(parsed, number, record, header, columns)
    except csv.Error as error:
        # The csv module's field limit (128 KiB) is met when a quotation mark is never closed.
        raise BadFile(
            _("Row %(row)s cannot be read as CSV (%(error)s): is a quotation mark not closed?")
            % {"row": reading, "error": error}
        ) from None
    _refuse_duplicates(parsed)
    return parsed


def identity(kind: Kind, values: dict[str, Any]) -> list[tuple[str, str, str]]:
    """What names the same clinic or translator: (column, name, city or agency), case-insensitive."""
    if kind == Kind.CLINICS:
        city = values["city"].casefold()
        return [(name, values[name].casefold(), city) for name in ("name_en", "name_ko") if values[name]]
    return [("name", values["name"].casefold(), values["agency"].casefold())]


def _refuse_duplicates(parsed: ParsedFile) -> None:
    """A clinic (or translator) twice in one file is refused in its later rows: which row should win is for
    the person who wrote the file to say."""
    seen: dict[tuple[str, str, str], int] = {}
    kept: list[Row] = []
    for row in parsed.rows:
        keys = identity(parsed.kind, row.values)
        first = next((seen[key] for key in keys if key in seen), None)
        if first is None:
            seen.update(dict.fromkeys(keys, row.number))
            kept.append(row)
            continue
        what = _("name and city") if parsed.kind == Kind.CLINICS else _("name and agency")
        column = next(key[0] for key in keys if key in seen)
        parsed.errors.append(
            RowError(
                row.number,
                column,
                _("the same %(what)s as row %(first)s: keep one of the two rows.") % {"what": what, "first": first},
            )
        )
    parsed.rows = kept
    parsed.errors.sort(key=lambda error: error.row)


def _decode(data: bytes) -> str:
    if not data.strip():
        raise BadFile(_("The file is empty: its first line must name the columns (see docs/directory.md)."))
    if len(data) > MAX_BYTES:
        raise BadFile(_("The file is larger than %(max)s MB: split it into smaller files.") % {"max": MAX_BYTES >> 20})
    if b"\x00" in data:
        raise BadFile(
            _("This is not a CSV file (it holds binary data): save the spreadsheet as 'CSV UTF-8 (comma delimited)'.")
        )
    try:
        return data.decode("utf-8-sig")  # a byte-order mark, as Excel writes one, is not part of the header
    except UnicodeDecodeError as error:
        raise BadFile(
            _(
                "The file is not UTF-8 (byte 0x%(byte)02x at position %(position)s): save it as "
                "'CSV UTF-8 (comma delimited)', not in a legacy encoding such as EUC-KR or Windows-1252."
            )
            % {"byte": data[error.start], "position": error.start}
        ) from None


def _records(text: str) -> Any:
    return csv.reader(io.StringIO(text, newline=""), strict=True)


def _header(record: list[str] | None, kind: Kind, columns: dict[str, Column]) -> list[str]:
    given = [name.strip() for name in record or []]
    names = [name.lower() for name in given]
    expected = ",".join(columns)
    if len(names) == 1 and any(separator in names[0] for separator in ";\t"):
        raise BadFile(_("The columns are separated by semicolons or tabs: save the file with commas (CSV UTF-8)."))
    if not set(names) & set(columns):
        raise BadFile(
            _("The first line does not name the columns: start the file with a header line such as %(expected)s")
            % {"expected": expected}
        )
    duplicates = sorted({name for name in names if names.count(name) > 1 and name})
    if duplicates:
        raise BadFile(_("The header names a column twice: %(names)s.") % {"names": ", ".join(duplicates)})
    unknown = [
        given[n] or _("(no name, column %(n)s)") % {"n": n + 1} for n, name in enumerate(names) if name not in columns
    ]
    if unknown:
        raise BadFile(
            _("Unknown column(s) %(unknown)s: the columns for %(kind)s are %(expected)s.")
            % {"unknown": ", ".join(unknown), "kind": kind, "expected": expected}
        )
    missing = [name for name in REQUIRED_HEADERS[kind] if name not in names]
    if kind == Kind.CLINICS and "name_en" not in names and "name_ko" not in names:
        missing.insert(0, "name_en or name_ko")
    if missing:
        raise BadFile(
            _("Missing column(s) %(missing)s: the first line must name the columns (%(expected)s).")
            % {"missing": ", ".join(missing), "expected": expected}
        )
    return names


def _row(parsed: ParsedFile, number: int, record: list[str], header: list[str], columns: dict[str, Column]) -> None:
    if len(record) > len(header):
        parsed.errors.append(
            RowError(
                number,
                "—",
                _("%(found)s values, but the header names %(expected)s columns: is a comma not in quotes?")
                % {"found": len(record), "expected": len(header)},
            )
        )
        return
    values: dict[str, Any] = {}
    failed = False
    given = dict(zip(header, record, strict=False))  # a short row: the missing values are blank
    for name, column in columns.items():
        text = given.get(name, "")
        if len(text) > column.max_length:
            message = _("%(length)s characters long; at most %(max)s.") % {
                "length": len(text),
                "max": column.max_length,
            }
        elif column.required and not text.strip():
            message = _("a value is needed.")
        else:
            try:
                values[name] = column.clean(text)
                continue
            except ValueError as error:
                message = str(error)
        parsed.errors.append(RowError(number, name, message))
        failed = True
    if parsed.kind == Kind.CLINICS and not failed and not (values["name_en"] or values["name_ko"]):
        parsed.errors.append(RowError(number, "name_en", _("the clinic needs a name in English or in Korean.")))
        failed = True
    if not failed:
        parsed.rows.append(Row(number, values))
