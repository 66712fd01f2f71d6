"""Reading a Bundle for import: parse, validate (``fhir.resources`` and ``check_bundle``), and turn the
resources into the inputs of Revisio's services. Nothing here writes; every problem names its entry."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from revisio.cases.services import ProcedureInput
from revisio.fhir.check import Problem, at, check_bundle, missing
from revisio.fhir.elements import JSON, codes_of
from revisio.web.errors import InvalidInput

MAX_PROBLEMS = 50


class ImportRejected(InvalidInput):
    """The Bundle cannot be imported; ``problems`` lists every fault found, each with its location."""

    status = 422
    code = "fhir-invalid"

    def __init__(self, problems: list[Problem], *, status: int = 422, code: str = "fhir-invalid") -> None:
        self.problems = problems[:MAX_PROBLEMS]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0].message}{more}", code=code, field=problems[0].path)
        self.status = status


@dataclass(frozen=True, eq=False)  # identity: entries are keys of dicts
class Entry:
    index: int
    full_url: str
    type: str
    resource: JSON

    def problem(self, path: str, text: str) -> Problem:
        return at(self.index, self.type, path, text)

    def get(self, name: str, default: Any = None) -> Any:
        return self.resource.get(name, default)


@dataclass(frozen=True)
class Skipped:
    """A resource, or part of one, the import did not turn into a row, and why."""

    entry: int
    location: str
    reason: str


ERROR_STATUSES = ("entered-in-error", "not-done", "cancelled")


@dataclass
class Planned:
    """The inputs of one service call, and for each input the entry and element it came from."""

    entry: Entry
    fields: dict[str, Any]
    sources: dict[str, tuple[Entry, str]] = field(default_factory=dict)  # field -> (entry, element)


@dataclass
class Plan:
    """Everything an import will create, in order; what it leaves out; the problems found reading it."""

    case_fields: dict[str, Any] = field(default_factory=dict)
    case_sources: dict[str, tuple[Entry, str]] = field(default_factory=dict)
    procedures: list[tuple[Entry, ProcedureInput]] = field(default_factory=list)
    devices: list[tuple[Planned, Entry | None]] = field(default_factory=list)
    checkins: list[Planned] = field(default_factory=list)
    communications: list[Planned] = field(default_factory=list)
    steps: list[Planned] = field(default_factory=list)
    applications: list[Planned] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    derived: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def skip(self, entry: Entry, reason: str, path: str = "") -> None:
        location = f"entry[{entry.index}] ({entry.type}){'.' + path if path else ''}"
        self.skipped.append(Skipped(entry.index, location, reason))


# --- parsing and validation -------------------------------------------------------------------------


def parse_bundle(bundle_json: bytes | str | dict[str, Any]) -> JSON:
    """The Bundle as JSON, after ``fhir.resources`` and ``check_bundle`` found nothing wrong with it."""
    if isinstance(bundle_json, bytes | str):
        try:
            data = json.loads(bundle_json)
        except (ValueError, UnicodeDecodeError) as error:
            raise ImportRejected(
                [Problem("body", f"the body is not JSON: {error}")], status=400, code="not-json"
            ) from None
    else:
        data = bundle_json
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        found = data.get("resourceType") if isinstance(data, dict) else type(data).__name__
        raise ImportRejected([Problem("resourceType", f"resourceType: expected a Bundle, got '{found}'")])
    problems = _shape_problems(data)
    if not problems:
        try:
            Bundle.model_validate(data)
        except ValidationError as error:
            problems = [_validation_problem(item, data) for item in error.errors()]
    if not problems:
        problems = check_bundle(data)
    if problems:
        raise ImportRejected(problems)
    return data


def _shape_problems(data: JSON) -> list[Problem]:
    """Entries whose resource ``fhir.resources`` cannot even pick a model for."""
    entries = data.get("entry", [])
    if not isinstance(entries, list):
        return [Problem("Bundle.entry", "Bundle.entry: must be a list")]
    problems = []
    for index, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            problems.append(Problem(f"entry[{index}].resource", f"entry[{index}]: missing required element resource"))
            continue
        kind = resource.get("resourceType")
        try:
            get_fhir_model_class(str(kind))
        except (ValueError, KeyError):
            problems.append(
                Problem(
                    f"entry[{index}].resource.resourceType",
                    f"entry[{index}].resource.resourceType: '{kind}' is not a FHIR R4B resource type",
                )
            )
    return problems


def _dotted(parts: list[Any]) -> str:
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _validation_problem(error: Any, data: JSON) -> Problem:
    loc = list(error["loc"])
    text = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        text = "is not an element of this resource in FHIR R4B"
    if len(loc) >= 3 and loc[0] == "entry" and isinstance(loc[1], int) and loc[2] == "resource":
        index, path = loc[1], _dotted(loc[3:])
        kind = str(data["entry"][index]["resource"].get("resourceType"))
        if str(error["type"]).endswith("missing"):
            return missing(index, kind, path)
        return at(index, kind, path, text)
    if len(loc) >= 2 and loc[0] == "entry" and isinstance(loc[1], int):
        path = f"entry[{loc[1]}]" + (f".{_dotted(loc[2:])}" if loc[2:] else "")
        return Problem(path, f"{path}: {text}")
    return at(None, "Bundle", _dotted(loc), text)


# --- small readers ----------------------------------------------------------------------------------


def a_date(entry: Entry, path: str, value: Any, problems: list[Problem]) -> dt.date | None:
    """The day of a FHIR date or dateTime (``2026-11-01`` or ``2026-11-01T10:00:00+09:00``)."""
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    problems.append(entry.problem(path, f"'{value}' is not a full date (YYYY-MM-DD)" if value else "a date is needed"))
    return None


def notes(resource: JSON, name: str = "note") -> str:
    return "\n\n".join(str(n["text"]) for n in resource.get(name, []) if isinstance(n, dict) and n.get("text"))


def extension_value(resource: JSON, url: str, kind: str) -> Any:
    for item in resource.get("extension", []):
        if isinstance(item, dict) and item.get("url") == url:
            return item.get(kind)
    return None


def first_code(value: Any, system: str) -> str | None:
    found = codes_of(value, system)
    return found[0] if found else None


def a_decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@dataclass
class Bundled:
    """The Bundle's entries, indexed for resolving references."""

    entries: list[Entry]
    by_reference: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def of(cls, data: JSON) -> Bundled:
        entries = [
            Entry(index, entry.get("fullUrl", ""), entry["resource"]["resourceType"], entry["resource"])
            for index, entry in enumerate(data.get("entry", []))
        ]
        bundled = cls(entries)
        for entry in entries:
            if entry.full_url:
                bundled.by_reference[entry.full_url] = entry
            if entry.get("id"):
                bundled.by_reference[f"{entry.type}/{entry.get('id')}"] = entry
        return bundled

    def resolve(self, value: Any) -> Entry | None:
        reference = value.get("reference") if isinstance(value, dict) else None
        return self.by_reference.get(reference) if isinstance(reference, str) else None

    def of_type(self, kind: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.type == kind]
