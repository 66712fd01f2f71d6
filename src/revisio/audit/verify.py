"""Recomputing the chains: does every entry still hash to what was written, in its place?

For each chain, entries are read in sequence order and checked: sequence numbers run 1, 2, 3… with no
gap; a non-redacted entry's content hashes to its ``content_sha256``; a redacted one holds no content;
each ``entry_sha256`` is the hash of the previous one's and this one's content hash; and the head row
names the last entry. A change, a deletion (in the middle or at the end), or a reordering breaks one of
these. Rewriting a whole chain consistently does not: ``anchors`` prints the heads to keep elsewhere, and
``anchors_check`` compares the log with heads kept earlier.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from revisio.audit.chain import GENESIS, content_hash, is_chain_name, link_hash
from revisio.audit.models import AuditChainHead, AuditEntry


@dataclass(frozen=True)
class Problem:
    chain: str
    entry_id: int | None
    seq: int | None
    reason: str

    def __str__(self) -> str:
        where = f"entry {self.entry_id} (#{self.seq})" if self.entry_id is not None else "its head"
        return f"chain {self.chain}, {where}: {self.reason}"


@dataclass(frozen=True)
class Report:
    chains: int
    entries: int
    redacted: int
    problem: Problem | None  # the first one found

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(*, chain: str | None = None) -> Report:
    """Check every chain (or one), stopping at the first broken entry."""
    heads = {head.chain: head for head in _heads(chain)}
    entries = AuditEntry.objects.order_by("chain", "seq")
    if chain is not None:
        entries = entries.filter(chain=chain)
    chains = entry_count = redacted = 0
    current: str | None = None
    expected_seq, previous = 1, GENESIS
    last_entry: AuditEntry | None = None
    for entry in entries.iterator(chunk_size=2000):
        if entry.chain != current:
            if current is not None and (problem := _head_problem(heads.pop(current, None), current, last_entry)):
                return Report(chains, entry_count, redacted, problem)
            current, expected_seq, previous, last_entry = entry.chain, 1, GENESIS, None
            chains += 1
        problem = _entry_problem(entry, expected_seq, previous)
        if problem is not None:
            return Report(chains, entry_count, redacted, problem)
        entry_count += 1
        redacted += entry.redacted
        expected_seq, previous, last_entry = entry.seq + 1, entry.entry_sha256, entry
    if current is not None and (problem := _head_problem(heads.pop(current, None), current, last_entry)):
        return Report(chains, entry_count, redacted, problem)
    for name, head in sorted(heads.items()):  # heads of chains without a single entry
        if head.seq != 0 or head.entry_sha256 != GENESIS:
            return Report(chains, entry_count, redacted, Problem(name, None, head.seq, _missing(head.seq, 0)))
    return Report(chains, entry_count, redacted, None)


def _heads(chain: str | None) -> Iterable[AuditChainHead]:
    heads = AuditChainHead.objects.all()
    return heads.filter(chain=chain) if chain is not None else heads


def _entry_problem(entry: AuditEntry, expected_seq: int, previous: str) -> Problem | None:
    def problem(reason: str) -> Problem:
        return Problem(entry.chain, entry.pk, entry.seq, reason)

    if not is_chain_name(entry.chain):
        return problem("the chain's name is not one the audit trail writes")
    if entry.seq != expected_seq:
        if entry.seq > expected_seq:
            return problem(f"entries #{expected_seq} to #{entry.seq - 1} are missing (deleted)")
        return problem(f"out of order: #{expected_seq} was expected here")
    if entry.redacted:
        if not entry.is_blank:
            return problem("marked redacted but still holds content (content cannot be checked)")
    elif content_hash(entry.content()) != entry.content_sha256:
        return problem("its content does not match its hash (changed after it was written)")
    if link_hash(previous, entry.content_sha256) != entry.entry_sha256:
        return problem("its link hash does not follow from the entry before it (changed, replaced or moved)")
    return None


def _head_problem(head: AuditChainHead | None, chain: str, last: AuditEntry | None) -> Problem | None:
    if last is None:
        return None
    if head is None:
        return Problem(chain, None, None, "the chain has entries but no head row")
    if head.seq != last.seq:
        return Problem(chain, None, head.seq, _missing(head.seq, last.seq))
    if head.entry_sha256 != last.entry_sha256:
        return Problem(chain, None, head.seq, "the head's hash is not the last entry's (the last entry was replaced)")
    return None


def _missing(head_seq: int, last_seq: int) -> str:
    if head_seq > last_seq:
        return f"the head counts {head_seq} entries but the last one is #{last_seq}: the last entries were deleted"
    return f"the head counts {head_seq} entries but the chain goes on to #{last_seq}"


# --- anchors: the heads, kept outside the database -------------------------------------------------------


def anchors() -> Iterator[str]:
    """One line per chain, ``<chain> <seq> <entry_sha256>``, in chain order."""
    for head in AuditChainHead.objects.order_by("chain").iterator():
        yield f"{head.chain} {head.seq} {head.entry_sha256}"


class BadAnchor(ValueError):
    """A line of an anchor file that is not ``<chain> <seq> <sha256>``."""


def anchors_check(lines: Iterable[str]) -> Problem | None:
    """The first anchored head the log no longer extends: its entry at that place has another hash.

    Redaction keeps hashes, so a chain redacted since the anchor still matches it.
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 3 or not is_chain_name(parts[0]) or not parts[1].isdigit() or len(parts[2]) != 64:
            raise BadAnchor(f"line {number} is not '<chain> <sequence> <sha256>': {line.strip()[:80]!r}")
        chain, seq, expected = parts[0], int(parts[1]), parts[2].lower()
        if seq == 0:
            continue
        entry = AuditEntry.objects.filter(chain=chain, seq=seq).only("id", "entry_sha256").first()
        if entry is None:
            return Problem(chain, None, seq, f"the anchored entry #{seq} is gone")
        if entry.entry_sha256 != expected:
            return Problem(chain, entry.pk, seq, "differs from the anchored head: the chain was rewritten")
    return None
