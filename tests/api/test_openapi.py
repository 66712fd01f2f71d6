"""Every operation the OpenAPI document lists is tested: a new endpoint without tests fails here.

Two lists must match the document exactly: ``support.ENDPOINTS`` (which the access, token, session
and malformed-ID tests run over) and ``SUCCESS_TESTS`` below (the tests that check each endpoint's
answer for the right user, its shape and its values). Each named test must exist.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import pytest
from django.test import Client
from pydantic import BaseModel

from revisio.accounts.models import User
from revisio.cases.sharing import opinion_add
from tests.api.support import ENDPOINTS, World, error_of
from tests.cast import client_for

SUCCESS_TESTS: dict[tuple[str, str], set[str]] = {
    ("GET", "/api/v1/cases/{case_id}/photos/{photo_id}/measurements"): {
        "test_measurements::test_measurements_are_listed_newest_first",
    },
    ("POST", "/api/v1/cases/{case_id}/photos/{photo_id}/measurements"): {
        "test_measurements::test_breast_points_marked_by_hand_are_measured",
        "test_measurements::test_a_face_is_measured_by_the_model",
        "test_measurements::test_a_photo_the_model_cannot_read_is_stored_as_failed",
        "test_measurements::test_bad_measurement_requests",
    },
    ("GET", "/api/v1/procedures"): {
        "test_knowledge::test_procedures_lists_every_procedure",
        "test_knowledge::test_procedures_in_korean",
    },
    ("GET", "/api/v1/procedures/{procedure_id}"): {
        "test_knowledge::test_procedure_by_id_or_alias",
        "test_knowledge::test_unknown_procedure_suggests_the_nearest_id",
    },
    ("GET", "/api/v1/vocabulary"): {
        "test_knowledge::test_vocabulary_lists_every_symptom_and_concern",
        "test_knowledge::test_vocabulary_for_procedures_offers_what_the_knowledge_base_links_to_them",
        "test_knowledge::test_vocabulary_in_korean",
    },
    ("GET", "/api/v1/cases"): {
        "test_cases::test_case_list_shows_the_case_with_its_latest_level",
        "test_cases::test_case_list_newest_first",
        "test_access::test_case_list_of_each_person",
    },
    ("POST", "/api/v1/cases"): {
        "test_cases::test_create_case",
        "test_cases::test_create_case_rejects_bad_input",
    },
    ("GET", "/api/v1/cases/{case_id}"): {
        "test_cases::test_case_detail",
        "test_cases::test_case_without_checkins_has_no_latest_level",
    },
    ("PATCH", "/api/v1/cases/{case_id}"): {
        "test_cases::test_patch_changes_only_what_is_sent",
        "test_cases::test_patch_replaces_procedures_and_keeps_unchanged_rows",
        "test_cases::test_patch_rejects_bad_input_and_changes_nothing",
    },
    ("DELETE", "/api/v1/cases/{case_id}"): {
        "test_cases::test_delete_case_removes_it_and_every_stored_file",
        "test_cases::test_delete_leaves_other_cases_alone",
    },
    ("GET", "/api/v1/cases/{case_id}/devices"): {"test_devices::test_device_list"},
    ("POST", "/api/v1/cases/{case_id}/devices"): {
        "test_devices::test_add_device_linked_to_a_procedure",
        "test_devices::test_add_device_rejects_bad_input",
    },
    ("DELETE", "/api/v1/cases/{case_id}/devices/{device_id}"): {"test_devices::test_delete_device"},
    ("GET", "/api/v1/cases/{case_id}/documents"): {"test_documents::test_document_list"},
    ("POST", "/api/v1/cases/{case_id}/documents"): {
        "test_documents::test_upload_pdf_is_stored_as_sent_under_a_random_name",
        "test_documents::test_upload_rejects_bad_files_and_leaves_nothing",
        "test_documents::test_oversized_upload_is_refused_and_leaves_nothing",
    },
    ("GET", "/api/v1/cases/{case_id}/documents/{document_id}/file"): {
        "test_documents::test_download_returns_the_bytes_as_an_attachment",
        "test_documents::test_a_photographed_document_loses_its_gps_and_camera_data",
    },
    ("DELETE", "/api/v1/cases/{case_id}/documents/{document_id}"): {
        "test_documents::test_delete_document_removes_the_row_and_the_file",
    },
    ("GET", "/api/v1/cases/{case_id}/checkins"): {"test_checkins::test_checkin_list_newest_first_and_detail"},
    ("POST", "/api/v1/cases/{case_id}/checkins"): {
        "test_checkins::test_chest_pain_is_an_emergency_with_sources_and_the_emergency_number",
        "test_checkins::test_checkin_in_korean",
        "test_checkins::test_bad_checkin_is_a_clear_4xx_and_saves_nothing",
    },
    ("GET", "/api/v1/cases/{case_id}/checkins/{checkin_id}"): {
        "test_checkins::test_checkin_list_newest_first_and_detail",
    },
    ("GET", "/api/v1/cases/{case_id}/photos"): {"test_photos::test_photo_list_and_detail"},
    ("POST", "/api/v1/cases/{case_id}/photos"): {
        "test_photos::test_gps_make_model_and_time_never_reach_the_stored_photo",
        "test_photos::test_photo_for_a_checkin_takes_its_date_and_joins_it",
        "test_photos::test_bad_photo_is_a_clear_4xx_and_leaves_nothing",
    },
    ("GET", "/api/v1/cases/{case_id}/photos/{photo_id}"): {"test_photos::test_photo_list_and_detail"},
    ("GET", "/api/v1/cases/{case_id}/photos/{photo_id}/image"): {
        "test_photos::test_gps_make_model_and_time_never_reach_the_stored_photo",
        "test_photos::test_image_is_the_stored_file",
    },
    ("DELETE", "/api/v1/cases/{case_id}/photos/{photo_id}"): {
        "test_photos::test_delete_photo_removes_it_its_thumbnail_and_its_place_in_the_checkin",
    },
    ("GET", "/api/v1/cases/{case_id}/fhir"): {
        "test_fhir::test_export_is_the_case_as_a_fhir_bundle",
        "test_fhir::test_people_the_case_is_shared_with_can_export_it",
    },
    ("GET", "/api/v1/cases/{case_id}/plan"): {
        "test_escalation::test_plan_lists_the_steps_with_sources_in_either_language",
        "test_escalation::test_reading_the_plan_records_nothing",
    },
    ("PUT", "/api/v1/cases/{case_id}/plan/{step}"): {
        "test_escalation::test_a_step_is_ticked_off_and_opened_again",
        "test_escalation::test_a_step_outside_the_plan_is_404",
    },
    ("POST", "/api/v1/cases/{case_id}/messages"): {
        "test_escalation::test_a_message_in_japanese_and_korean_with_a_measured_photo",
        "test_escalation::test_bad_message_requests",
    },
    ("GET", "/api/v1/cases/{case_id}/communications"): {"test_escalation::test_communications_are_logged_and_listed"},
    ("POST", "/api/v1/cases/{case_id}/communications"): {
        "test_escalation::test_communications_are_logged_and_listed",
        "test_escalation::test_bad_communications_are_refused_and_write_nothing",
    },
    ("GET", "/api/v1/cases/{case_id}/applications"): {"test_escalation::test_applications_are_recorded_and_listed"},
    ("POST", "/api/v1/cases/{case_id}/applications"): {
        "test_escalation::test_applications_are_recorded_and_listed",
        "test_escalation::test_bad_applications_are_refused_and_write_nothing",
    },
    ("GET", "/api/v1/complaint-bodies"): {
        "test_escalation::test_complaint_bodies_with_their_sources",
        "test_escalation::test_complaint_bodies_by_country",
    },
    ("GET", "/api/v1/complaint-bodies/{body_id}/fee"): {
        "test_escalation::test_k_medi_fee_for_a_claim",
        "test_escalation::test_bad_fee_requests",
    },
    ("GET", "/api/v1/cases/{case_id}/dossiers"): {"test_dossier::test_a_dossier_is_built_and_its_files_downloaded"},
    ("POST", "/api/v1/cases/{case_id}/dossiers"): {
        "test_dossier::test_a_dossier_is_built_and_its_files_downloaded",
        "test_dossier::test_one_build_at_a_time",
    },
    ("GET", "/api/v1/cases/{case_id}/dossiers/{dossier_id}/{kind}"): {
        "test_dossier::test_a_dossier_is_built_and_its_files_downloaded",
        "test_dossier::test_an_unfinished_dossier_or_an_unknown_file_is_not_found",
    },
    ("GET", "/api/v1/cases/{case_id}/audit"): {
        "test_audit::test_the_log_lists_who_did_what_newest_first",
        "test_audit::test_pages_and_the_person_filter",
        "test_audit::test_bad_log_requests",
    },
    ("GET", "/api/v1/cases/{case_id}/shares"): {
        "test_sharing_api::test_shares_are_listed_with_their_party_scope_and_state",
        "test_sharing_api::test_only_the_owner_manages_sharing",
    },
    ("POST", "/api/v1/cases/{case_id}/shares"): {
        "test_sharing_api::test_the_owner_shares_with_an_agency_and_with_a_clinician",
        "test_sharing_api::test_bad_share_requests_are_refused_and_change_nothing",
    },
    ("DELETE", "/api/v1/cases/{case_id}/shares/{share_id}"): {
        "test_sharing_api::test_shares_are_listed_with_their_party_scope_and_state",
        "test_sharing_api::test_a_stopped_share_ends_access_on_the_api_at_once",
    },
    ("GET", "/api/v1/cases/{case_id}/invites"): {
        "test_sharing_api::test_an_invitation_link_is_shown_once_and_a_clinician_accepts_it",
    },
    ("POST", "/api/v1/cases/{case_id}/invites"): {
        "test_sharing_api::test_an_invitation_link_is_shown_once_and_a_clinician_accepts_it",
        "test_sharing_api::test_bad_invite_requests_are_refused_and_make_no_link",
    },
    ("DELETE", "/api/v1/cases/{case_id}/invites/{invite_id}"): {
        "test_sharing_api::test_accepting_refuses_bad_links_and_accounts_that_are_not_a_clinicians",
    },
    ("POST", "/api/v1/invites/accept"): {
        "test_sharing_api::test_an_invitation_link_is_shown_once_and_a_clinician_accepts_it",
        "test_sharing_api::test_accepting_refuses_bad_links_and_accounts_that_are_not_a_clinicians",
    },
    ("GET", "/api/v1/cases/{case_id}/opinions"): {
        "test_sharing_api::test_a_clinician_gives_a_second_opinion_and_the_patient_reads_it",
    },
    ("POST", "/api/v1/cases/{case_id}/opinions"): {
        "test_sharing_api::test_a_clinician_gives_a_second_opinion_and_the_patient_reads_it",
        "test_sharing_api::test_bad_opinions_are_refused",
        "test_sharing_api::test_only_a_clinician_with_an_active_share_gives_an_opinion",
    },
    ("POST", "/api/v1/fhir/import"): {
        "test_fhir::test_import_creates_a_case_owned_by_the_caller",
        "test_fhir::test_a_coordinator_imports_into_their_own_account_only",
        "test_fhir::test_a_rejected_bundle_names_where_and_changes_nothing",
        "test_fhir::test_a_body_that_is_not_json_is_a_400",
    },
}


@pytest.fixture
def openapi(db: None) -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def _operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    methods = {"get", "post", "put", "patch", "delete", "head", "options"}
    return {(method.upper(), path) for path, item in document["paths"].items() for method in item if method in methods}


def test_openapi_lists_the_api(openapi: dict[str, Any]) -> None:
    assert openapi["info"]["title"] == "Revisio API"
    assert len(_operations(openapi)) == 49


def test_every_operation_is_in_the_endpoint_table(openapi: dict[str, Any]) -> None:
    table = {(e.method, e.path) for e in ENDPOINTS}
    assert len(table) == len(ENDPOINTS), "an endpoint is listed twice"
    assert _operations(openapi) - table == set(), "add the new endpoint to tests/api/support.py ENDPOINTS"
    assert table - _operations(openapi) == set(), "the table lists an endpoint the API no longer has"


def test_every_operation_has_success_tests(openapi: dict[str, Any]) -> None:
    assert _operations(openapi) - set(SUCCESS_TESTS) == set(), "write tests for the new endpoint, list them here"
    assert set(SUCCESS_TESTS) - _operations(openapi) == set(), "SUCCESS_TESTS names an endpoint the API lacks"
    for operation, names in SUCCESS_TESTS.items():
        assert names, operation
        for name in names:
            module_name, function = name.split("::")
            module = importlib.import_module(f"tests.api.{module_name}")
            assert inspect.isfunction(getattr(module, function, None)), f"{operation}: no test {name}"


def test_public_and_protected_operations(openapi: dict[str, Any]) -> None:
    for method, path in _operations(openapi):
        operation = openapi["paths"][path][method.lower()]
        public = path.startswith(("/api/v1/procedures", "/api/v1/vocabulary", "/api/v1/complaint-bodies"))
        assert bool(operation.get("security")) != public, (method, path)
        error_codes = {"400", "404", "422"} | (set() if public else {"401"})
        assert error_codes <= set(operation["responses"]), (method, path)
        for code in error_codes:
            schema = operation["responses"][code]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Errors"}, (method, path, code)


def _resolve(openapi: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "items" in schema:
        schema = schema["items"]
    name = schema["$ref"].rsplit("/", 1)[1]
    return openapi["components"]["schemas"][name]  # type: ignore[no-any-return]


def test_documented_response_shapes_are_the_ones_returned(
    openapi: dict[str, Any], world: World, alice: User, dave: User
) -> None:
    """Two schemas with one name would share one component, and one endpoint would be documented wrong."""
    opinion_add(case=world.case, author=dave, text="Within what is expected.")  # so every list has an item
    client = client_for(alice)
    queries = {(e.method, e.path): e.query for e in ENDPOINTS}
    checked = 0
    for method, path in _operations(openapi):
        responses = openapi["paths"][path][method.lower()]["responses"]
        ok = responses.get("200") or responses.get("201")
        if method != "GET" or ok is None or "content" not in ok:
            continue
        schema = _resolve(openapi, ok["content"]["application/json"]["schema"])
        body = client.get(path.format(**world.ids()) + queries[(method, path)]).json()
        item = body[0] if isinstance(body, list) else body
        assert set(item) == set(schema["properties"]), (path, schema.get("title"))
        checked += 1
    assert checked == 22


def test_api_schema_names_are_unique() -> None:
    seen: dict[str, str] = {}
    for module_name in ("knowledge", "cases", "diary", "fhir", "escalation", "dossier", "audit", "sharing", "schemas"):
        module = importlib.import_module(f"revisio.api.{module_name}")
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, BaseModel) and value.__module__ == module.__name__:
                assert name not in seen, f"{name} is defined in both {seen[name]} and {module.__name__}"
                seen[name] = module.__name__


def test_an_unexpected_failure_is_a_500_in_the_error_shape_without_details(
    world: World, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("secret internals /srv/revisio/db.sqlite3")

    monkeypatch.setattr("revisio.cases.selectors.case_list_for_user", broken)
    response = client_for(alice).get("/api/v1/cases")
    error_of(response, 500, "server-error")
    assert b"secret internals" not in response.content and b"Traceback" not in response.content
