"""Writes for the directory: importing clinics and translators from CSV, the treating clinic of a case, and
second-opinion referrals."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from revisio.accounts.models import Agency, User
from revisio.cases.models import Case
from revisio.directory.csvfile import Kind, ParsedFile, Row, RowError, identity, parse
from revisio.directory.models import Clinic, Referral, ReferralStatus, Translator, TreatingClinic
from revisio.web.errors import Conflict, InvalidInput

BATCH = 500
SAMPLE = Path(__file__).resolve().parent.parent / "demo"


@dataclass
class ImportReport:
    kind: Kind
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # found, and already as the file says
    errors: list[RowError] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def refused_rows(self) -> int:
        return len({error.row for error in self.errors})


@transaction.atomic
def directory_import(*, kind: Kind, data: bytes, skip_bad: bool = False) -> ImportReport:
    """Import a CSV of clinics or translators in one transaction.

    Every row is checked first. With any bad row nothing is written, unless ``skip_bad``: then the good
    rows are written and the bad ones reported. A clinic with the same name (English or Korean) in the same
    city is updated, as is a translator with the same name in the same agency, so importing a file again
    changes nothing (its rows are counted as ``unchanged``); a blank cell leaves the stored value as it is.
    Raises ``BadFile`` when the file as a whole cannot be read.
    """
    parsed = parse(data, kind)
    planned = _match(parsed)
    report = ImportReport(kind, errors=parsed.errors)
    if parsed.errors and not skip_bad:
        return report
    model = Clinic if kind == Kind.CLINICS else Translator
    new: list[Any] = []
    changed: list[Any] = []
    for row, existing in planned:
        instance = existing or model()
        before = {name: getattr(instance, name) for name in parsed.columns}
        for name in parsed.columns:
            value = row.values[name]
            # A blank cell, like a column the file does not have, leaves what is stored as it is: in a
            # list gathered from many sources, blank means "not known here", not "delete it".
            if value not in ("", [], None):
                setattr(instance, name, value)
        if existing is None:
            new.append(instance)
        elif any(getattr(instance, name) != before[name] for name in parsed.columns):
            changed.append(instance)
        else:
            report.unchanged += 1
    try:
        model.objects.bulk_create(new, batch_size=BATCH)
        # One UPDATE per changed row: Django's bulk_update builds a CASE per column that grows with the batch,
        # and was much slower for thousands of rows (20,000 rows: 90 s against 8 s on SQLite).
        for instance in changed:
            instance.save(update_fields=[*parsed.columns, "updated_at"])
    except IntegrityError:  # another import added the same clinic since this one looked
        raise Conflict(_("The directory changed while importing: import the file again.")) from None
    report.created, report.updated = len(new), len(changed)
    return report


def _match(parsed: ParsedFile) -> list[tuple[Row, Any]]:
    """Each good row with the clinic or translator it updates (None: a new one); rows that cannot be matched
    (two clinics, an unknown agency) move to the errors. Reads the candidates in one or two queries."""
    if parsed.kind == Kind.CLINICS:
        found = _clinics_named(parsed.rows)
    else:
        agencies = {agency.name.casefold(): agency for agency in Agency.objects.all()}
        found = _translators_named(parsed.rows)
    planned: list[tuple[Row, Any]] = []
    for row in parsed.rows:
        if parsed.kind == Kind.TRANSLATORS:
            agency_name = row.values["agency"]
            agency = agencies.get(agency_name.casefold()) if agency_name else None
            if agency_name and agency is None:
                parsed.errors.append(
                    RowError(
                        row.number,
                        "agency",
                        _("no agency is called %(name)s in Revisio: check the spelling, or leave it blank.")
                        % {"name": agency_name},
                    )
                )
                continue
            row.values["agency"] = agency
        matches = {found[key].pk: found[key] for key in identity(parsed.kind, _keyed(row)) if key in found}
        if len(matches) > 1:
            parsed.errors.append(
                RowError(
                    row.number,
                    "name_ko",
                    _("the English name is one clinic's and the Korean name another's in this city: correct one name."),
                )
            )
            continue
        planned.append((row, next(iter(matches.values()), None)))
    parsed.errors.sort(key=lambda error: error.row)
    return planned


def _keyed(row: Row) -> dict[str, Any]:
    agency = row.values.get("agency")
    return {**row.values, "agency": agency.name if isinstance(agency, Agency) else agency or ""}


def _clinics_named(rows: list[Row]) -> dict[tuple[str, str, str], Clinic]:
    cities = {row.values["city"].casefold() for row in rows}
    clinics = Clinic.objects.annotate(city_key=Lower("city")).filter(city_key__in=cities) if cities else []
    found: dict[tuple[str, str, str], Clinic] = {}
    for clinic in clinics:
        for name in ("name_en", "name_ko"):
            if getattr(clinic, name):
                found[(name, getattr(clinic, name).casefold(), clinic.city.casefold())] = clinic
    return found


def _translators_named(rows: list[Row]) -> dict[tuple[str, str, str], Translator]:
    names = {row.values["name"].casefold() for row in rows}
    translators = Translator.objects.select_related("agency").annotate(name_key=Lower("name"))
    return {
        ("name", t.name.casefold(), t.agency.name.casefold() if t.agency else ""): t
        for t in translators.filter(name_key__in=names)
    }


def directory_sample_load() -> tuple[ImportReport, ImportReport]:
    """Import the demo's fictional clinics and translators (src/revisio/demo/*.csv); safe to run again."""
    return tuple(  # type: ignore[return-value]
        directory_import(kind=kind, data=(SAMPLE / f"directory_{kind}.csv").read_bytes())
        for kind in (Kind.CLINICS, Kind.TRANSLATORS)
    )


# --- the patient's treating clinic and referrals -------------------------------------------------------


@transaction.atomic
def treating_clinic_set(*, case: Case, clinic: Clinic, user: User) -> TreatingClinic:
    """Mark ``clinic`` as the one treating the case (precondition: ``user`` owns ``case``)."""
    treating, _created = TreatingClinic.objects.update_or_create(case=case, defaults={"clinic": clinic, "set_by": user})
    return treating


@transaction.atomic
def treating_clinic_clear(*, case: Case) -> None:
    TreatingClinic.objects.filter(case=case).delete()


@transaction.atomic
def referral_request(*, case: Case, clinic: Clinic, user: User, reason: str = "") -> Referral:
    """Ask for a second opinion at ``clinic`` (precondition: ``user`` owns ``case``). Not at the treating
    clinic, and not twice at once at the same clinic."""
    treating = TreatingClinic.objects.filter(case=case).values_list("clinic_id", flat=True).first()
    if treating == clinic.pk:
        raise InvalidInput(
            _("That is your treating clinic: a second opinion comes from another clinic."), field="clinic"
        )
    if Referral.objects.filter(case=case, to_clinic=clinic, status=ReferralStatus.REQUESTED).exists():
        raise Conflict(_("You have already asked this clinic; its answer is still open."), field="clinic")
    try:
        with transaction.atomic():
            return Referral.objects.create(case=case, to_clinic=clinic, requested_by=user, reason=reason.strip())
    except IntegrityError:  # the same request from two tabs at once
        raise Conflict(_("You have already asked this clinic; its answer is still open."), field="clinic") from None


#: Which status a referral may move to from each: the clinic answers an open request (the patient records
#: it), and the patient may withdraw a request that is open or accepted.
NEXT_STATUS: dict[str, frozenset[str]] = {
    ReferralStatus.REQUESTED: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.CANCELLED}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.CANCELLED}),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.CANCELLED: frozenset(),
}


@transaction.atomic
def referral_status_set(*, referral: Referral, status: ReferralStatus) -> Referral:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if status not in NEXT_STATUS[locked.status]:
        raise InvalidInput(
            _("A referral that is %(now)s cannot become %(next)s.")
            % {"now": locked.get_status_display().lower(), "next": ReferralStatus(status).label.lower()},
            field="status",
        )
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    return locked
