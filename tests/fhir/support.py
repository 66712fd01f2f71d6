"""What the FHIR tests share: a Bundle as JSON, its resources by type, and the round-trip normaliser."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from revisio.cases.models import Case
from revisio.fhir import case_bundle

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
#: The only elements whose values are made when a row is created (so an import makes new ones).
GENERATED = {"Observation": "issued", "CarePlan": "created", "Task": "authoredOn"}


def exported(case: Case) -> dict[str, Any]:
    return json.loads(case_bundle(case=case).model_dump_json())  # type: ignore[no-any-return]


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def kinds(bundle: dict[str, Any]) -> Counter[str]:
    return Counter(e["resource"]["resourceType"] for e in bundle["entry"])


def entry_of(bundle: dict[str, Any], full_url: str) -> dict[str, Any]:
    return next(e["resource"] for e in bundle["entry"] if e["fullUrl"] == full_url)


def codes(concept: dict[str, Any], system: str) -> list[str]:
    return [c["code"] for c in concept.get("coding", []) if c["system"] == system]


def normalise(bundle: dict[str, Any]) -> dict[str, Any]:
    """The Bundle with its IDs and generated timestamps replaced, and nothing else changed.

    Each entry's UUID (in its fullUrl, its id and every reference to it) becomes its position, so a
    reference to a different entry still shows as a difference; the case ID in ``Bundle.identifier``
    becomes a marker; ``GENERATED`` elements become a marker after checking they are instants. Any other
    UUID left anywhere fails the comparison rather than being hidden.
    """
    data = json.loads(json.dumps(bundle))
    data["identifier"]["value"] = "<case-id>"
    for entry in data["entry"]:
        resource = entry["resource"]
        name = GENERATED.get(resource["resourceType"])
        if name in resource:
            assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$", resource[name]), resource[name]
            resource[name] = "<generated>"
    positions = {e["fullUrl"].removeprefix("urn:uuid:"): f"entry-{i}" for i, e in enumerate(data["entry"])}
    text = UUID.sub(lambda match: positions.get(match.group(0), f"<stray {match.group(0)}>"), json.dumps(data))
    assert "<stray" not in text, "a UUID that names no entry"
    return json.loads(text)  # type: ignore[no-any-return]
