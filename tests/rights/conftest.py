"""alice with one of everything (shared with carol's agency and with dave, who wrote a second opinion),
and bob with a case of his own that nothing here may touch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from revisio.accounts.models import User
from revisio.accounts.services import api_token_create
from revisio.cases.models import Case, SecondOpinion
from revisio.cases.services import ProcedureInput, case_create
from tests.api.support import World, world_for


@pytest.fixture
def world(alice: User, shared_case: Case, dave: User) -> World:
    built = world_for(shared_case, alice)
    SecondOpinion.objects.create(
        case=shared_case, author=dave, author_name="Dr Dave Example", text="Wait until week eight before judging."
    )
    api_token_create(user=alice, name="my script")
    return built


@pytest.fixture
def bob_world(bob: User) -> World:
    case = case_create(
        owner=bob,
        title="Bob's nose",
        procedures=[ProcedureInput("rhinoplasty", timezone.localdate() - dt.timedelta(days=30))],
    )
    return world_for(case, bob)
