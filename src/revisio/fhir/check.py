"""What ``fhir.resources`` does not check: value-set bindings, Revisio's own codes, references that
must resolve inside the Bundle, and UCUM units on numeric Observation values.

Every problem names where it is, as ``entry[3].resource (Procedure).status: ...``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from revisio.fhir import codes
from revisio.fhir.ucum import is_ucum


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a Bundle: ``path`` for programs (``entry[3].resource.status``), ``message``
    for people, starting with the location."""

    path: str
    message: str

    def __str__(self) -> str:
        return self.message


def at(index: int | None, resource_type: str, path: str, text: str) -> Problem:
    """A problem in element ``path`` of the resource of entry ``index`` (None: the Bundle itself)."""
    if index is None:
        return Problem(f"Bundle.{path}" if path else "Bundle", f"Bundle.{path}: {text}" if path else f"Bundle: {text}")
    element = f".{path}" if path else ""
    return Problem(f"entry[{index}].resource{element}", f"entry[{index}].resource ({resource_type}){element}: {text}")


def missing(index: int, resource_type: str, path: str) -> Problem:
    return Problem(
        f"entry[{index}].resource.{path}", f"entry[{index}]: missing required element {resource_type}.{path}"
    )


def not_one_of(value: Any, allowed: tuple[str, ...]) -> str:
    return f"'{value}' is not one of {', '.join(allowed)}"


def _walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every object in a JSON value, with its path (``code.coding[0]``)."""
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def _values(value: Any, path: str, parts: list[str]) -> Iterator[tuple[str, Any]]:
    """The values at a dotted path where ``name[]`` means each item of a list."""
    if not parts:
        yield path, value
        return
    head, rest = parts[0], parts[1:]
    name = head.removesuffix("[]")
    if not isinstance(value, dict) or name not in value:
        return
    child = value[name]
    where = f"{path}.{name}" if path else name
    if head.endswith("[]"):
        for index, item in enumerate(child if isinstance(child, list) else []):
            yield from _values(item, f"{where}[{index}]", rest)
    else:
        yield from _values(child, where, rest)


def _targets(entries: list[Any]) -> set[str]:
    """What a reference may name: each entry's fullUrl, and ``Type/id`` of each resource with an id."""
    found = set()
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        if isinstance(entry.get("fullUrl"), str):
            found.add(entry["fullUrl"])
        resource = entry.get("resource")
        if isinstance(resource, dict) and resource.get("id"):
            found.add(f"{resource.get('resourceType')}/{resource['id']}")
    return found


def check_bundle(bundle: Bundle | dict[str, Any]) -> list[Problem]:
    """Problems ``fhir.resources`` leaves to us, in entry order (an empty list: none found)."""
    data = bundle.model_dump(mode="json") if isinstance(bundle, Bundle) else bundle
    problems = []
    if data.get("type") not in codes.BUNDLE_TYPE:
        problems.append(at(None, "Bundle", "type", not_one_of(data.get("type"), codes.BUNDLE_TYPE)))
    entries = data.get("entry") or []
    targets = _targets(entries)
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        full_url = entry.get("fullUrl")
        if not full_url:
            problems.append(Problem(f"entry[{index}].fullUrl", f"entry[{index}]: missing fullUrl"))
        elif full_url in seen:
            problems.append(Problem(f"entry[{index}].fullUrl", f"entry[{index}].fullUrl: '{full_url}' is used twice"))
        else:
            seen.add(full_url)
        resource = entry.get("resource")
        if isinstance(resource, dict):
            problems.extend(_check_resource(index, resource, targets))
    return problems


def _check_resource(index: int, resource: dict[str, Any], targets: set[str]) -> list[Problem]:
    kind = str(resource.get("resourceType"))
    problems = []
    for (resource_type, path), allowed in codes.STATUS_VALUE_SETS.items():
        if resource_type == kind:
            for where, value in _values(resource, "", path.split(".")):
                if value not in allowed:
                    problems.append(at(index, kind, where, not_one_of(value, allowed)))
    for (resource_type, element), (system, allowed) in codes.REQUIRED_CODINGS.items():
        if resource_type == kind and element in resource:
            value = resource[element]
            codings = value.get("coding", []) if isinstance(value, dict) else []
            found = [c.get("code") for c in codings if isinstance(c, dict) and c.get("system") == system]
            if not found:
                problems.append(at(index, kind, element, f"needs a coding of {system} ({', '.join(allowed)})"))
    contained = {f"#{c.get('id')}" for c in resource.get("contained", []) if isinstance(c, dict)}
    for path, item in _walk(resource):
        problems.extend(_check_object(index, kind, path, item, targets | contained))
    if kind == "Observation":
        quantities = [("valueQuantity", resource.get("valueQuantity"))] + [
            (f"component[{i}].valueQuantity", c.get("valueQuantity"))
            for i, c in enumerate(resource.get("component", []))
        ]
        for path, quantity in quantities:
            if isinstance(quantity, dict) and "value" in quantity:
                problems.extend(_check_unit(index, kind, path, quantity))
    return problems


def _check_object(index: int, kind: str, path: str, item: dict[str, Any], targets: set[str]) -> list[Problem]:
    system, code = item.get("system"), item.get("code")
    if isinstance(code, str) and system in codes.VOCABULARIES and not codes.VOCABULARIES[system](code):
        return [at(index, kind, f"{path}.code", f"'{code}' is not a code of {system}")]
    value = item.get("value")
    known = codes.IDENTIFIER_VOCABULARIES.get(system) if isinstance(system, str) else None
    if isinstance(value, str) and known is not None and not known(value):
        return [at(index, kind, f"{path}.value", f"'{value}' is not a known value of {system}")]
    reference = item.get("reference")
    if isinstance(reference, str) and reference not in targets:
        return [at(index, kind, f"{path}.reference", f"'{reference}' names no entry of this Bundle")]
    return []


def _check_unit(index: int, kind: str, path: str, quantity: dict[str, Any]) -> list[Problem]:
    if quantity.get("system") != codes.UCUM or not quantity.get("code"):
        return [at(index, kind, path, f"a numeric value needs a UCUM unit (system {codes.UCUM} and a code)")]
    if not is_ucum(quantity["code"]):
        return [at(index, kind, f"{path}.code", f"'{quantity['code']}' is not a UCUM unit Revisio knows")]
    return []
