"""Fixtures for the API tests: alice's shared case and bob's case, each with one of everything."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.cases.services import ProcedureInput, case_create
from tests.api.support import World, world_for


@pytest.fixture
def world(alice: User, shared_case: Case) -> World:
    """alice's case (shared with carol's agency and with dave) with a device, document, check-in and photo."""
    return world_for(shared_case, alice)


@pytest.fixture
def bob_world(bob: User) -> World:
    case = case_create(
        owner=bob,
        title="Bob's nose",
        clinic_name="Other Clinic",
        procedures=[ProcedureInput("rhinoplasty", timezone.localdate() - dt.timedelta(days=30))],
    )
    return world_for(case, bob)
