"""The audit trail's rows: entries, append-only and hash-chained, and one head row per chain.

An entry belongs to one chain: ``case:<uuid>`` for everything done with a case's data, ``user:<id>`` for a
person's account events (sign-ins, refused attempts, token use), ``system`` for the rest. Entries of
different chains never wait for each other: a writer locks only its chain's head row.

The actor is stored as an ID and a role, never a name or an e-mail address: names are looked up when the
log is shown, so the log itself does not copy anybody's identity around. There is no foreign key to the
user or the case either: deleting one must not change or delete a single entry.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from revisio.audit.chain import GENESIS


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit entry other than through redaction."""


class Action(models.TextChoices):
    READ = "read", _("read")
    WRITE = "write", _("write")
    DOWNLOAD = "download", _("download")
    EXPORT = "export", _("export")
    SHARE = "share", _("share")
    DENIED = "denied", _("refused access")
    SIGN_IN = "sign-in", _("sign-in")
    SIGN_IN_FAILED = "sign-in-failed", _("failed sign-in")
    SIGN_OUT = "sign-out", _("sign-out")
    TOKEN_USE = "token-use", _("API token use")


class ActorKind(models.TextChoices):
    USER = "user", _("a person signed in")
    COMMAND_LINE = "command-line", _("the command line")
    SYSTEM = "system", _("Revisio itself")
    ANONYMOUS = "anonymous", _("someone not signed in")


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    """Bulk updates and deletes are refused like single ones; ``_redact`` is the one way to change rows."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries cannot be deleted")

    def _redact(self, **blank: Any) -> int:
        return super().update(**blank)


class AuditEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField()
    chain = models.CharField(max_length=64)
    seq = models.PositiveBigIntegerField()
    # Content: hashed into content_sha256, blanked by redaction.
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_kind = models.CharField(max_length=16, choices=ActorKind.choices, blank=True)
    actor_role = models.CharField(max_length=16, blank=True)  # patient, coordinator, clinician or staff
    action = models.CharField(max_length=20, choices=Action.choices, blank=True)
    route = models.CharField(max_length=100, blank=True)  # the URL name, e.g. "cases:detail", or the command
    method = models.CharField(max_length=10, blank=True)
    object_type = models.CharField(max_length=40, blank=True)  # from the URL: "photo" for photo_id
    object_id = models.CharField(max_length=64, blank=True)
    part = models.CharField(max_length=16, blank=True)  # the part of the case reached (cases.access.Part)
    ip = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    token = models.CharField(max_length=12, blank=True)  # the prefix of the API token used, as its owner sees it
    status = models.PositiveSmallIntegerField(null=True, blank=True)  # the HTTP status answered
    detail = models.JSONField(default=dict, blank=True)  # e.g. {"taken_on": "2026-11-07"} for a photo
    # The chain.
    content_sha256 = models.CharField(max_length=64)
    entry_sha256 = models.CharField(max_length=64)
    redacted = models.BooleanField(default=False)
    redacted_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[AuditQuerySet] = AuditQuerySet.as_manager()  # type: ignore[assignment]

    #: The columns redaction blanks, with their blank values.
    CONTENT_BLANKS: ClassVar[dict[str, Any]] = {
        "actor_id": None,
        "actor_kind": "",
        "actor_role": "",
        "action": "",
        "route": "",
        "method": "",
        "object_type": "",
        "object_id": "",
        "part": "",
        "ip": "",
        "user_agent": "",
        "token": "",
        "status": None,
        "detail": {},
    }

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_one_entry_per_place")]
        indexes = [models.Index(fields=["actor_id"], name="audit_by_actor")]  # forget_user, filter by person

    def __str__(self) -> str:
        return f"{self.chain} #{self.seq}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries cannot be deleted")

    def content(self) -> dict[str, Any]:
        """What ``content_sha256`` covers: every content column plus where and when the entry was written."""
        values = {name: getattr(self, name) for name in self.CONTENT_BLANKS}
        values.update(chain=self.chain, seq=self.seq, at=self.at.isoformat(timespec="microseconds"))
        return values

    @property
    def is_blank(self) -> bool:
        return all(getattr(self, name) == blank for name, blank in self.CONTENT_BLANKS.items())


class AuditChainHead(models.Model):
    """The last entry of one chain. A writer locks this row (``select_for_update``) to append, so sequence
    numbers stay contiguous; ``forgotten`` chains (a deleted case or account) only take redacted entries."""

    chain = models.CharField(max_length=64, primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    entry_sha256 = models.CharField(max_length=64, default=GENESIS)
    forgotten = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.chain} at #{self.seq}"
