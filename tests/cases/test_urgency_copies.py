"""The case's copies of its latest check-in and next due step (what the agency dashboard sorts by) follow
every write of a check-in or a plan step, and migration 0003 fills them for existing cases."""

from __future__ import annotations

import datetime as dt
import importlib

from django.db import connection
from django.utils import timezone

from revisio.accounts.models import User
from revisio.cases.models import Case
from revisio.diary.services import checkin_add
from revisio.escalation.models import StepState
from revisio.escalation.services import step_set_done, step_state_restore


def copies(case: Case) -> tuple[str, dt.date | None, dt.date | None]:
    row = Case.objects.get(pk=case.pk)
    return row.last_checkin_level, row.last_checkin_on, row.next_step_due_on


def test_a_check_in_updates_the_copy_only_if_it_is_the_latest(case: Case, alice: User) -> None:
    today = timezone.localdate()
    assert copies(case) == ("", None, None)
    fever = checkin_add(case=case, user=alice, date=today, temperature_c="39.5")
    assert copies(case)[:2] == (fever.level, today)
    checkin_add(case=case, user=alice, date=today - dt.timedelta(days=3))  # an older one, entered later
    assert copies(case)[:2] == (fever.level, today)
    calm = checkin_add(case=case, user=alice, date=today)  # same day, saved later: now the latest
    assert copies(case)[:2] == (calm.level, today)


def test_steps_done_and_restored_move_the_next_due_date(case: Case, alice: User) -> None:
    today = timezone.localdate()
    step_state_restore(
        case=case, user=alice, step="contact-surgeon", first_suggested_on=today, due_on=today + dt.timedelta(days=2)
    )
    step_state_restore(
        case=case, user=alice, step="second-opinion", first_suggested_on=today, due_on=today + dt.timedelta(days=9)
    )
    assert copies(case)[2] == today + dt.timedelta(days=2)
    step_set_done(case=case, step="contact-surgeon", done=True, user=alice)
    assert copies(case)[2] == today + dt.timedelta(days=9)
    step_set_done(case=case, step="contact-surgeon", done=False, user=alice)
    assert copies(case)[2] == today + dt.timedelta(days=2)


def test_the_migration_fills_the_copies_of_existing_cases(case: Case, alice: User) -> None:
    today = timezone.localdate()
    checkin = checkin_add(case=case, user=alice, date=today - dt.timedelta(days=1))
    StepState.objects.create(case=case, step="contact-surgeon", first_suggested_on=today, due_on=today)
    Case.objects.filter(pk=case.pk).update(last_checkin_level="", last_checkin_on=None, next_step_due_on=None)
    migration = importlib.import_module("revisio.cases.migrations.0003_latest_checkin_and_next_step_copies")
    with connection.cursor() as cursor:
        cursor.execute(migration.Migration.fill)
    assert copies(case) == (checkin.level, checkin.date, today)
