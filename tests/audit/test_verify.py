"""``revisio audit verify`` finds every kind of tampering: a changed entry, one deleted from the middle or
the end, two swapped; redaction keeps the chain valid; anchors catch a chain rewritten consistently."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from revisio.accounts.models import User
from revisio.audit import services
from revisio.audit.chain import GENESIS, content_hash, link_hash
from revisio.audit.models import AuditChainHead, AuditEntry
from revisio.audit.verify import verify
from revisio.cases.models import Case
from tests.audit.support import chain_of, tamper, user_chain_of
from tests.cast import client_for
from tests.cli.support import run


@pytest.fixture
def logged(alice: User, shared_case: Case, carol: User, dave: User) -> list[AuditEntry]:
    """alice's case with a chain of 7 entries: its creation, then pages opened by alice, carol and dave."""
    for user in (alice, carol, dave, alice, carol, alice):
        client_for(user).get(reverse("cases:detail", args=[shared_case.pk]))
    entries = chain_of(shared_case)
    assert [e.seq for e in entries] == list(range(1, 8))
    return entries


def test_an_untouched_log_verifies(logged: list[AuditEntry], capsys: pytest.CaptureFixture[str]) -> None:
    report = verify()
    assert report.ok and report.entries == AuditEntry.objects.count() and report.chains >= 4  # the case, 3 people
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 0
    assert out.startswith(f"OK: {report.entries} entries in {report.chains} chains verified")
    code, out, _ = run(capsys, "audit", "verify", "--chain", logged[0].chain)
    assert (code, out.split()[:2]) == (0, ["OK:", "7"])


def _broken(capsys: pytest.CaptureFixture[str], chain: str) -> str:
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 1, out
    assert out.startswith(f"BROKEN: chain {chain}")
    return out


def test_a_changed_action_is_found(logged: list[AuditEntry], capsys: pytest.CaptureFixture[str]) -> None:
    target = logged[3]
    tamper("UPDATE audit_auditentry SET action = 'write' WHERE id = %s", [target.pk])
    out = _broken(capsys, target.chain)
    assert f"entry {target.pk} (#4)" in out and "content does not match its hash" in out


def test_a_changed_ip_with_its_content_hash_recomputed_breaks_the_next_link(
    logged: list[AuditEntry], capsys: pytest.CaptureFixture[str]
) -> None:
    target = logged[2]
    target.ip = "192.0.2.1"
    tamper(
        "UPDATE audit_auditentry SET ip = %s, content_sha256 = %s WHERE id = %s",
        [target.ip, content_hash(target.content()), target.pk],
    )
    out = _broken(capsys, target.chain)
    assert f"entry {target.pk} (#3)" in out and "link hash" in out


def test_an_entry_deleted_from_the_middle_is_found(
    logged: list[AuditEntry], capsys: pytest.CaptureFixture[str]
) -> None:
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [logged[4].pk])
    out = _broken(capsys, logged[4].chain)
    assert f"entry {logged[5].pk} (#6)" in out and "#5 to #5 are missing" in out


def test_the_last_entry_deleted_is_found(logged: list[AuditEntry], capsys: pytest.CaptureFixture[str]) -> None:
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [logged[-1].pk])
    out = _broken(capsys, logged[-1].chain)
    assert "the head counts 7 entries but the last one is #6: the last entries were deleted" in out


def test_the_last_entry_deleted_with_its_head_moved_back_breaks_nothing_but_an_anchor(
    logged: list[AuditEntry], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Someone with database access who also moves the head back is caught only by a head kept elsewhere."""
    anchors = tmp_path / "anchors.txt"
    code, out, _ = run(capsys, "audit", "anchor")
    anchors.write_text(out, encoding="utf-8")
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [logged[-1].pk])
    tamper(
        "UPDATE audit_auditchainhead SET seq = 6, entry_sha256 = %s WHERE chain = %s",
        [logged[-2].entry_sha256, logged[-1].chain],
    )
    assert run(capsys, "audit", "verify")[0] == 0
    code, out, _ = run(capsys, "audit", "verify", "--anchors", str(anchors))
    assert code == 1 and "the anchored entry #7 is gone" in out


def test_two_swapped_entries_are_found(logged: list[AuditEntry], capsys: pytest.CaptureFixture[str]) -> None:
    first, second = logged[1], logged[2]
    tamper("UPDATE audit_auditentry SET seq = 1000 WHERE id = %s", [first.pk])
    tamper("UPDATE audit_auditentry SET seq = %s WHERE id = %s", [first.seq, second.pk])
    tamper("UPDATE audit_auditentry SET seq = %s WHERE id = %s", [second.seq, first.pk])
    out = _broken(capsys, first.chain)
    assert f"entry {second.pk} (#2)" in out


def test_a_whole_chain_rewritten_consistently_is_caught_by_an_anchor(
    logged: list[AuditEntry], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    anchors = tmp_path / "anchors.txt"
    anchors.write_text(run(capsys, "audit", "anchor")[1], encoding="utf-8")
    previous = GENESIS
    for entry in logged:  # an administrator hides that dave looked, and recomputes every hash
        if entry.actor_role == "clinician":
            entry.actor_role = "coordinator"
        entry.content_sha256 = content_hash(entry.content())
        entry.entry_sha256 = previous = link_hash(previous, entry.content_sha256)
        tamper(
            "UPDATE audit_auditentry SET actor_role = %s, content_sha256 = %s, entry_sha256 = %s WHERE id = %s",
            [entry.actor_role, entry.content_sha256, entry.entry_sha256, entry.pk],
        )
    tamper("UPDATE audit_auditchainhead SET entry_sha256 = %s WHERE chain = %s", [previous, logged[0].chain])
    assert run(capsys, "audit", "verify")[0] == 0
    code, out, _ = run(capsys, "audit", "verify", "--anchors", str(anchors))
    assert code == 1 and "differs from the anchored head: the chain was rewritten" in out


def test_verify_bad_input_exits_2(logged: list[AuditEntry], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, "audit", "verify", "--chain", "case:nope")[0] == 2
    code, _, err = run(capsys, "audit", "verify", "--chain", "user:999999")
    assert code == 2 and "no such chain" in err
    garbage = tmp_path / "anchors.txt"
    garbage.write_text("case:x 1 abc\n", encoding="utf-8")
    code, _, err = run(capsys, "audit", "verify", "--anchors", str(garbage))
    assert code == 2 and "line 1" in err
    assert run(capsys, "audit", "verify", "--anchors", str(tmp_path / "missing.txt"))[0] == 2


def test_anchor_prints_every_head(logged: list[AuditEntry], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "audit", "anchor")
    lines = [line for line in out.splitlines() if not line.startswith("#")]
    assert code == 0 and len(lines) == AuditChainHead.objects.count()
    assert f"{logged[-1].chain} 7 {logged[-1].entry_sha256}" in lines


# --- redaction ------------------------------------------------------------------------------------------------


def test_forgetting_a_case_blanks_its_chain_and_keeps_it_valid(
    logged: list[AuditEntry], shared_case: Case, alice: User, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    anchors = tmp_path / "anchors.txt"
    anchors.write_text(run(capsys, "audit", "anchor")[1], encoding="utf-8")
    assert services.forget_case(case_id=shared_case.pk) == 7
    entries = chain_of(shared_case)
    assert all(e.redacted and e.is_blank and e.redacted_at for e in entries)
    assert [(e.content_sha256, e.entry_sha256) for e in entries] == [(e.content_sha256, e.entry_sha256) for e in logged]
    assert {e.ip for e in entries} == {""} and {e.actor_id for e in entries} == {None}
    assert run(capsys, "audit", "verify", "--anchors", str(anchors))[0] == 0
    # Written after the case was forgotten (the request that deleted it): linked, but blank.
    services.case_access_record(user=alice, case_id=shared_case.pk, owner_id=alice.pk, write=True)
    last = chain_of(shared_case)[-1]
    assert (last.seq, last.redacted, last.is_blank) == (8, True, True)
    assert services.forget_case(case_id=shared_case.pk) == 0
    assert verify().ok


def test_a_case_deleted_on_the_web_leaves_a_blank_chain(alice: User, case: Case) -> None:
    client = client_for(alice)
    client.get(reverse("cases:detail", args=[case.pk]))
    services.forget_case(case_id=case.pk)  # what the rights helper's deletion calls
    client.post(reverse("cases:delete", args=[case.pk]))
    assert all(e.redacted and e.is_blank for e in chain_of(case))
    assert verify().ok


def test_forgetting_a_person_blanks_their_chain_and_their_cases_not_what_they_saw_of_others(
    logged: list[AuditEntry], shared_case: Case, alice: User, carol: User, bob: User
) -> None:
    client_for(carol).get(reverse("cases:detail", args=[shared_case.pk]))
    client_for(bob).get(reverse("cases:detail", args=[shared_case.pk]))  # refused: in bob's chain
    carols = [e.pk for e in chain_of(shared_case) if e.actor_id == carol.pk]
    services.forget_user(user_id=carol.pk)
    assert all(e.redacted for e in user_chain_of(carol))
    assert all(not e.redacted for e in chain_of(shared_case))  # alice's record of who saw her case stays
    assert AuditEntry.objects.filter(pk__in=carols, actor_id=carol.pk).count() == len(carols)
    services.forget_user(user_id=alice.pk)
    assert all(e.redacted for e in user_chain_of(alice))
    assert all(e.redacted for e in chain_of(shared_case))  # she owned it
    assert not any(e.redacted for e in user_chain_of(bob))
    assert verify().ok
