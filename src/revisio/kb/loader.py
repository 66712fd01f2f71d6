"""Load the knowledge base from its folder of YAML records into an immutable, indexed object."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from revisio.kb.errors import KnowledgeBaseError, Problem, UnknownIdError, suggest
from revisio.kb.models import (
    RECORD_KINDS,
    ComplaintBody,
    Complication,
    Concern,
    Country,
    Procedure,
    Source,
    StepRecord,
    Symptom,
)
from revisio.kb.references import check_references

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "knowledge"

# libyaml's C loader is ~10x faster than the pure-Python one; fall back where it is not built.
_YamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, eq=False)  # identity equality: cheap to hash as a cache key
class KnowledgeBase:
    """Every record, by kind and ID, plus the content hash that versions them."""

    version: str
    root: Path
    sources: Mapping[str, Source]
    symptoms: Mapping[str, Symptom]
    concerns: Mapping[str, Concern]
    complications: Mapping[str, Complication]
    procedures: Mapping[str, Procedure]
    countries: Mapping[str, Country]
    complaint_bodies: Mapping[str, ComplaintBody]
    steps: Mapping[str, StepRecord]
    aliases: Mapping[str, str] = field(repr=False)

    def procedure(self, ref: str) -> Procedure:
        """The procedure with this ID or alias (case-insensitive)."""
        key = ref.strip().lower()
        found = self.procedures.get(key) or self.procedures.get(self.aliases.get(key, ""))
        if found is None:
            raise UnknownIdError("procedure", ref, suggest(key, [*self.procedures, *self.aliases]))
        return found

    def symptom(self, ref: str) -> Symptom:
        found = self.symptoms.get(ref.strip().lower())
        if found is None:
            raise UnknownIdError("symptom", ref, suggest(ref.lower(), self.symptoms))
        return found

    def concern(self, ref: str) -> Concern:
        found = self.concerns.get(ref.strip().lower())
        if found is None:
            raise UnknownIdError("concern", ref, suggest(ref.lower(), self.concerns))
        return found

    def country(self, code: str) -> Country:
        """The country record for an ISO 3166 alpha-2 code, or the group (``eu``) it belongs to."""
        key = code.strip().lower()
        if key == "uk":  # the common spelling; ISO says GB
            key = "gb"
        found = self.countries.get(key)
        if found is None:
            found = next((c for c in self.countries.values() if key in c.members), None)
        if found is None:
            members = [m for c in self.countries.values() for m in c.members]
            raise UnknownIdError("country", code, suggest(key, [*self.countries, *members]))
        return found


def read_yaml(path: Path) -> Any:
    return yaml.load(path.read_bytes(), Loader=_YamlLoader)


def _record_files(root: Path) -> list[tuple[str, Path]]:
    files: list[tuple[str, Path]] = []
    for kind in RECORD_KINDS:
        folder = root / kind
        if folder.is_dir():
            files.extend((kind, path) for path in sorted(folder.glob("*.yaml")))
    return files


def content_version(root: Path) -> str:
    """A hash of every record file's path and bytes: equal versions mean equal knowledge."""
    digest = hashlib.sha256()
    for _, path in _record_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return "kb-" + digest.hexdigest()[:16]


def parse_records(root: Path) -> tuple[dict[str, dict[str, BaseModel]], list[Problem]]:
    """Parse and schema-check every record file; return the records by kind and the problems."""
    records: dict[str, dict[str, BaseModel]] = {kind: {} for kind in RECORD_KINDS}
    problems: list[Problem] = []
    for kind, path in _record_files(root):
        shown = path.relative_to(root).as_posix()
        try:
            data = read_yaml(path)
        except yaml.YAMLError as error:
            problems.append(Problem(shown, f"not valid YAML: {error}"))
            continue
        if not isinstance(data, dict):
            problems.append(Problem(shown, "a record must be a YAML mapping"))
            continue
        try:
            record = RECORD_KINDS[kind].model_validate(data)
        except ValidationError as error:
            problems.extend(Problem(shown, _describe(e)) for e in error.errors())
            continue
        record_id = getattr(record, "id", None)
        if record_id != path.stem:
            problems.append(Problem(shown, f"id '{record_id}' must equal the file name '{path.stem}'"))
            continue
        records[kind][path.stem] = record
    return records, problems


def _describe(error: Any) -> str:
    where = ".".join(str(part) for part in error["loc"]) or "(record)"
    message = error["msg"]
    if error["type"] == "too_short" and error["loc"] and error["loc"][-1] == "cite":
        message = "unsourced: every clinical statement needs at least one citation"
    return f"{where}: {message}"


def build(root: Path, records: dict[str, dict[str, BaseModel]]) -> KnowledgeBase:
    procedures: dict[str, Any] = records["procedures"]
    aliases = {alias: p.id for p in procedures.values() for alias in p.aliases}
    frozen = {kind: MappingProxyType(dict(sorted(by_id.items()))) for kind, by_id in records.items()}
    return KnowledgeBase(
        version=content_version(root),
        root=root,
        sources=frozen["sources"],  # type: ignore[arg-type]
        symptoms=frozen["symptoms"],  # type: ignore[arg-type]
        concerns=frozen["concerns"],  # type: ignore[arg-type]
        complications=frozen["complications"],  # type: ignore[arg-type]
        procedures=frozen["procedures"],  # type: ignore[arg-type]
        countries=frozen["countries"],  # type: ignore[arg-type]
        complaint_bodies=frozen["complaint-bodies"],  # type: ignore[arg-type]
        steps=frozen["steps"],  # type: ignore[arg-type]
        aliases=MappingProxyType(aliases),
    )


def load(root: Path | None = None) -> KnowledgeBase:
    """Load and check the knowledge base; raise ``KnowledgeBaseError`` listing every problem.

    The default knowledge base is cached for the life of the process.
    """
    if root is None:
        return _load_default()
    return _load(root)


@functools.cache
def _load_default() -> KnowledgeBase:
    return _load(DEFAULT_ROOT)


def _load(root: Path) -> KnowledgeBase:
    records, problems = parse_records(root)
    kb = build(root, records)
    problems.extend(check_references(kb))
    if problems:
        raise KnowledgeBaseError(problems)
    return kb
