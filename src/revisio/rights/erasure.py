"""Deleting an account with everything of it: the right to erasure.

What goes, in one transaction (files once it commits):

- every case the person owns, through ``cases.services.case_delete`` (its rows, and the files of every
  model that points at the case), and everything shared or invited from those cases;
- their data exports, API tokens, sessions, two-factor devices (if ``django_otp`` is installed) and
  sign-in lockout records for their e-mail address (if ``axes`` is installed);
- the shares other patients gave them (a clinician's or coordinator's access ends with the account);
- Django admin log entries about the account or any row deleted with it (they copy names into
  ``object_repr``);
- their audit chains are blanked through ``revisio.audit.services.forget_case`` / ``forget_user``:
  the audit trail keeps its hash links but not a word of content.

What stays: another patient's case is the patient's record. A second opinion the person wrote keeps
its text and the author's name as it was written; only the link to the account is dropped. Rows they
created on someone else's case (a message logged by a coordinator, a measurement corrected by a
clinician) keep their content and lose the link (``on_delete=SET_NULL``). The audit trail keeps what
they did to other people's cases, as an account ID that names nobody once the account is gone.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import models, router, transaction
from django.db.models.deletion import CASCADE, Collector

from revisio.accounts.models import ApiToken, User
from revisio.backup.files import remove_empty_folders
from revisio.cases.models import Case, CaseShare, SecondOpinion, ShareInvite
from revisio.cases.services import case_delete


@dataclass(frozen=True)
class Erased:
    cases: int
    files: int  # stored files of the account itself (exports and the like), besides those of its cases
    sessions: int
    audit_entries: int | None  # blanked; None when the audit trail is not installed


def erase(*, user: User) -> Erased:
    """Delete ``user`` and everything of theirs. Precondition: inside a transaction, confirmed by the person."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("erase() must run inside a transaction")
    case_ids = list(Case.objects.filter(owner=user).values_list("pk", flat=True))
    admin_targets = _admin_log_targets(user)  # before anything is deleted: the collector walks the cascade
    for case in Case.objects.filter(owner=user):
        case_delete(case=case)
    files = _account_files(user)
    ApiToken.objects.filter(user=user).delete()
    CaseShare.objects.filter(clinician=user).delete()
    SecondOpinion.objects.filter(author=user).update(author=None)
    ShareInvite.objects.filter(accepted_by=user).update(accepted_by=None)
    sessions = _delete_sessions(user)
    _delete_two_factor_devices(user)
    _delete_lockout_records(user.email)
    _delete_admin_log(admin_targets)
    user_id = user.pk
    user.delete()
    audit_entries = _forget_audit(user_id=user_id, case_ids=case_ids)
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    transaction.on_commit(lambda: _remove_case_folders(case_ids))  # after case_delete's own file deletions
    return Erased(cases=len(case_ids), files=len(files), sessions=sessions, audit_entries=audit_entries)


def _account_files(user: User) -> list[tuple[Any, str]]:
    """Stored files of rows deleted with the account (data exports, and whatever a later app adds)."""
    files = []
    for relation in User._meta.related_objects:
        if relation.many_to_many or relation.on_delete is not CASCADE:
            continue
        names = [f.name for f in relation.related_model._meta.fields if isinstance(f, models.FileField)]
        if not names:
            continue
        for row in relation.related_model._default_manager.filter(**{relation.field.name: user}):
            for name in names:
                stored = getattr(row, name)
                if stored and stored.name:
                    files.append((stored.storage, stored.name))
    return files


def _remove_case_folders(case_ids: list[Any]) -> None:
    """The empty folders the cases' files were in: their names are the cases' IDs."""
    if not isinstance(default_storage, FileSystemStorage):
        return  # object storage has no folders
    for case_id in case_ids:
        folder = Path(settings.MEDIA_ROOT) / "cases" / str(case_id)
        remove_empty_folders(folder, cutoff=math.inf)
        with contextlib.suppress(OSError):  # not there, or a file appeared in it
            folder.rmdir()


def _delete_sessions(user: User) -> int:
    """Sign the person out everywhere. Database-backed sessions are searched (their data is encoded, so
    each is decoded); with cookie or cache sessions a deleted account's session simply finds no user."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    get_model = getattr(store_class, "get_model_class", None)
    if get_model is None:
        return 0
    deleted = 0
    decoder = store_class()
    for session in get_model().objects.only("session_key", "session_data").iterator():
        if str(decoder.decode(session.session_data).get("_auth_user_id")) == str(user.pk):
            store_class(session_key=session.session_key).delete()
            deleted += 1
    return deleted


def _delete_two_factor_devices(user: User) -> None:
    # django-otp's devices also go with the account (their foreign keys cascade); deleting them through
    # its own API first keeps that true for device types that keep state elsewhere.
    if not apps.is_installed("django_otp"):
        return
    from django_otp import devices_for_user

    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()


def _delete_lockout_records(email: str) -> None:
    """django-axes keeps failed sign-ins by the address typed, not by a foreign key."""
    if not apps.is_installed("axes"):
        return
    for model in apps.get_app_config("axes").get_models():
        if any(field.name == "username" for field in model._meta.fields):
            model._default_manager.filter(username__iexact=email).delete()


def _admin_log_targets(user: User) -> dict[int, set[str]]:
    """Content type ID -> object IDs of every row deleting ``user`` deletes (the account, its cases and
    everything in them), for the admin log entries that name them."""
    if not apps.is_installed("django.contrib.admin"):
        return {}
    from django.contrib.admin.models import LogEntry

    if not LogEntry.objects.exclude(user=user).exists():  # the usual case: nobody used the admin
        return {}
    collector = Collector(using=router.db_for_write(User))
    collector.collect([user])
    targets: dict[int, set[str]] = {}
    for model, instances in collector.data.items():
        content_type = ContentType.objects.get_for_model(model)
        targets.setdefault(content_type.pk, set()).update(str(row.pk) for row in instances)
    for queryset in collector.fast_deletes:
        content_type = ContentType.objects.get_for_model(queryset.model)
        targets.setdefault(content_type.pk, set()).update(str(pk) for pk in queryset.values_list("pk", flat=True))
    return targets


def _delete_admin_log(targets: dict[int, set[str]]) -> None:
    if not targets:
        return
    from django.contrib.admin.models import LogEntry

    for content_type_id, object_ids in targets.items():
        LogEntry.objects.filter(content_type_id=content_type_id, object_id__in=object_ids).delete()


def _forget_audit(*, user_id: int, case_ids: list[Any]) -> int | None:
    """Blank the account's and its cases' audit chains.

    ``revisio.audit`` is a separate app that may not be installed (it was added after this module):
    its services are imported only when it is, so erasure works with and without it.
    """
    if not apps.is_installed("revisio.audit"):
        return None
    from revisio.audit import services as audit

    blanked = sum(audit.forget_case(case_id=case_id) for case_id in case_ids)
    return blanked + audit.forget_user(user_id=user_id)
