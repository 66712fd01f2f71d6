"""FHIR R4B export and import of a case (``docs/fhir.md``). Django-aware; no models of its own."""

from revisio.fhir.check import Problem, check_bundle
from revisio.fhir.export import case_bundle
from revisio.fhir.imports import ImportRejected, ImportResult, Skipped, case_from_bundle

__all__ = ["ImportRejected", "ImportResult", "Problem", "Skipped", "case_bundle", "case_from_bundle", "check_bundle"]
