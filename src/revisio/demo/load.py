"""Synthetic load data for benchmarks: many realistic cases with check-ins, shared with agencies.

Every value is drawn from one seeded generator in a fixed order, so the same seed and the same ``today`` give
the same rows, primary keys included. Rows go in a batch of cases at a time by ``bulk_create`` (``COPY`` on
PostgreSQL: ``_insert``), with no per-row ``save()``, signals, jobs, photos or audit events, all in one
transaction: an interrupted run leaves nothing behind. Each check-in stores the assessment the engine gives for
it, exactly as ``diary.services.checkin_add`` stores it, so pages read what they would read after real check-ins.

Accounts get an unusable password, except one coordinator and one patient who can sign in with the returned
password (the coordinator with a confirmed authenticator, since coordinators must use two-factor sign-in).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import operator
import random
import secrets
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from revisio import kb
from revisio.accounts.models import Agency, Membership, Role, User
from revisio.cases.models import Anaesthesia, Case, CaseProcedure, CaseShare, ShareScope
from revisio.diary.models import CheckIn
from revisio.recovery.adapter import assess_case, emergency_country, stored_assessment
from revisio.recovery.vocabulary import vocabulary_for

LOAD_DOMAIN = "load.revisio.example"  # every seeded account's e-mail ends with this (a reserved name: no mail goes out)

# (name, city, country) of the clinics cases name; weights follow where Revisio's patients mostly go.
CLINICS: list[tuple[str, str, str]] = [
    ("Gangnam Example Plastic Surgery", "Seoul", "KR"),
    ("Sinsa Example Aesthetic Clinic", "Seoul", "KR"),
    ("Apgujeong Example Clinic", "Seoul", "KR"),
    ("Cheongdam Example Surgery", "Seoul", "KR"),
    ("Myeongdong Example Dermatology", "Seoul", "KR"),
    ("Haeundae Example Plastic Surgery", "Busan", "KR"),
    ("Daegu Example Aesthetic Centre", "Daegu", "KR"),
    ("Bosphorus Example Clinic", "Istanbul", "TR"),
    ("Sukhumvit Example Hospital", "Bangkok", "TH"),
    ("Example Cosmetic Surgery", "Miami", "US"),
    ("Example Aesthetic Surgery", "London", "GB"),
]
CLINIC_WEIGHTS = [14, 12, 10, 8, 4, 5, 3, 5, 4, 3, 2]
SURGEONS = ["Dr Kim", "Dr Lee", "Dr Park", "Dr Choi", "Dr Jung", "Dr Kang", "Dr Yilmaz", "Dr Somchai", "Dr Smith"]

# (country of residence, languages read, time zone): where the patients of a Korean clinic travel from.
PATIENT_ORIGINS: list[tuple[str, list[str], str]] = [
    ("CN", ["zh", "en"], "Asia/Shanghai"),
    ("JP", ["ja"], "Asia/Tokyo"),
    ("US", ["en"], "America/Los_Angeles"),
    ("VN", ["vi", "en"], "Asia/Ho_Chi_Minh"),
    ("TH", ["th", "en"], "Asia/Bangkok"),
    ("MN", ["mn", "ru"], "Asia/Ulaanbaatar"),
    ("RU", ["ru"], "Europe/Moscow"),
    ("KZ", ["kk", "ru"], "Asia/Almaty"),
    ("GB", ["en"], "Europe/London"),
    ("AU", ["en"], "Australia/Sydney"),
    ("CA", ["en", "fr"], "America/Toronto"),
    ("SA", ["ar", "en"], "Asia/Riyadh"),
    ("AE", ["ar", "en"], "Asia/Dubai"),
    ("DE", ["de", "en"], "Europe/Berlin"),
    ("KR", ["ko"], "Asia/Seoul"),
]
ORIGIN_WEIGHTS = [22, 16, 12, 8, 6, 5, 5, 3, 4, 3, 3, 3, 2, 2, 6]
NOTES = [
    "Slept badly, the garment is tight.",
    "Took the painkillers twice today.",
    "Flew home yesterday.",
    "Back at work, tired in the evening.",
    "The clinic said to keep icing.",
    "Stitches out today.",
]
BATCH_DEFAULT = 1000


@dataclass(frozen=True)
class Login:
    email: str
    password: str
    totp_secret: str = ""  # base32, for an authenticator app; empty when the account has no second factor


@dataclass(frozen=True)
class LoadResult:
    cases: int
    checkins: int
    shares: int
    agencies: int
    users: int
    seconds: float
    coordinator: Login
    patient: Login
    agency_name: str


class LoadDataExists(Exception):
    """The database already holds seed-load data for this seed."""


def patient_email(seed: int, number: int) -> str:
    return f"patient-{seed}-{number:07d}@{LOAD_DOMAIN}"


def coordinator_email(seed: int, number: int) -> str:
    return f"coordinator-{seed}-{number:03d}@{LOAD_DOMAIN}"


def load_seed(
    *,
    cases: int,
    checkins_per_case: int,
    seed: int = 1,
    agencies: int = 10,
    batch: int = BATCH_DEFAULT,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LoadResult:
    """Add ``cases`` cases with ``checkins_per_case`` check-ins each, shared with ``agencies`` agencies.

    About 85% of cases are shared with one agency, the first agency the largest (weights 1, 1/2, 1/3, ...), so
    its coordinator sees the most cases; the returned patient's case is shared with it. ``progress(done,
    cases)`` is called after each batch. Raises ``LoadDataExists`` if this seed was loaded here before, and
    ``ValueError`` for counts out of range.
    """
    if cases < 1 or checkins_per_case < 0 or agencies < 1 or batch < 1:
        raise ValueError("cases, agencies and batch must be at least 1, checkins_per_case at least 0")
    today = today or timezone.localdate()
    started = time.perf_counter()
    with transaction.atomic():
        if User.objects.filter(email=coordinator_email(seed, 0)).exists():
            raise LoadDataExists(f"this database already holds seed-load data for seed {seed}")
        generator = _Generator(seed=seed, today=today, checkins_per_case=checkins_per_case)
        agency_rows, coordinators = generator.agencies(agencies)
        password = secrets.token_urlsafe(12)
        coordinator = coordinators[0]
        coordinator.set_password(password)
        coordinator.save(update_fields=["password"])
        device = TOTPDevice.objects.create(user=coordinator, name="Authenticator app", confirmed=True)
        patients = max(1, round(cases * 0.9))  # one patient in ten comes back for a second case
        totals = {"checkins": 0, "shares": 0}
        for start in range(0, cases, batch):
            size = min(batch, cases - start)
            counts = generator.batch(start=start, size=size, patients=patients, agencies=agency_rows)
            totals["checkins"] += counts[0]
            totals["shares"] += counts[1]
            if progress is not None:
                progress(start + size, cases)
        patient = User.objects.get(email=patient_email(seed, 0))
        patient.set_password(password)
        patient.save(update_fields=["password"])
    _analyse([User, Agency, Membership, Case, CaseProcedure, CheckIn, CaseShare])
    return LoadResult(
        cases=cases,
        checkins=totals["checkins"],
        shares=totals["shares"],
        agencies=agencies,
        users=patients + agencies,
        seconds=time.perf_counter() - started,
        coordinator=Login(coordinator.email, password, base64.b32encode(bytes.fromhex(device.key)).decode()),
        patient=Login(patient.email, password),
        agency_name=agency_rows[0].name,
    )


def _analyse(tables: list[type[models.Model]]) -> None:
    """Fresh planner statistics on PostgreSQL, as after any bulk load. Autovacuum would gather them minutes
    later; until then the planner takes the new rows for a few hundred and picks plans that are slow at this
    size (the agency dashboard took 35 s instead of ~1 s at 100,000 cases)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@functools.cache
def _emergency_country(code: str) -> str | None:
    return emergency_country(code)


class _Generator:
    """Draws rows in a fixed order from one ``random.Random``; holds no rows between batches."""

    def __init__(self, *, seed: int, today: dt.date, checkins_per_case: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = today
        self.now = timezone.now()
        self.checkins_per_case = checkins_per_case
        self.base = kb.load()
        self.procedures = sorted(self.base.procedures)
        self.current_country: list[str] = []  # of each patient made so far, by number
        self.patient_ids: list[int] = []

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def unusable_password(self) -> str:
        # Django's mark: a password starting with "!" never matches (what set_unusable_password stores).
        return f"!{self.rng.getrandbits(160):040x}"

    def agencies(self, count: int) -> tuple[list[Agency], list[User]]:
        agencies = Agency.objects.bulk_create(
            [
                Agency(
                    name=f"Load test agency {self.seed}-{number:03d}",
                    country="KR",
                    email=f"agency-{number}@{LOAD_DOMAIN}",
                )
                for number in range(count)
            ]
        )
        coordinators = User.objects.bulk_create(
            [
                User(
                    email=coordinator_email(self.seed, number),
                    password=self.unusable_password(),
                    display_name=f"Coordinator {number}",
                    role=Role.COORDINATOR,
                    languages=["ko", "en"],
                    country_of_residence="KR",
                    current_country="KR",
                    time_zone="Asia/Seoul",
                )
                for number in range(count)
            ]
        )
        Membership.objects.bulk_create(
            [Membership(agency=agency, user=user) for agency, user in zip(agencies, coordinators, strict=True)]
        )
        return agencies, coordinators

    def batch(self, *, start: int, size: int, patients: int, agencies: Sequence[Agency]) -> tuple[int, int]:
        """Cases ``start`` to ``start + size - 1`` with everything that hangs off them: (check-ins, shares)."""
        rng = self.rng
        new_users: list[User] = []
        owner_numbers: list[int] = []
        for number in range(start, start + size):
            if number < patients:
                new_users.append(self.patient(number))
                owner_numbers.append(number)
            else:  # a returning patient, made in this batch or an earlier one
                owner_numbers.append(rng.randrange(patients))
        # PostgreSQL and SQLite (3.35+) return the new primary keys from a bulk insert.
        self.patient_ids.extend(user.pk for user in User.objects.bulk_create(new_users))
        owners = [User(pk=self.patient_ids[n], current_country=self.current_country[n]) for n in owner_numbers]
        case_rows: list[Case] = []
        procedure_rows: list[CaseProcedure] = []
        share_rows: list[CaseShare] = []
        weights = [1 / (k + 1) for k in range(len(agencies))]

        def checkins() -> Iterator[CheckIn]:
            for number, owner in zip(range(start, start + size), owners, strict=True):
                case, procedures = self.case(owner)
                case_rows.append(case)
                procedure_rows.extend(procedures)
                yield from self.checkins(case, owner, procedures)
                # The first patient's case is always shared with the first agency: the printed logins meet there.
                if number == 0 or rng.random() < 0.85:
                    agency = agencies[0] if number == 0 else rng.choices(agencies, weights)[0]
                    share_rows.append(self.share(case, agency, first=number == 0))

        # Check-ins first, as they are generated; the foreign keys are checked when the transaction commits.
        checkin_count = _insert(CheckIn, checkins())
        _insert(Case, case_rows)
        CaseProcedure.objects.bulk_create(procedure_rows)
        _insert(CaseShare, share_rows)
        return checkin_count, len(share_rows)

    def patient(self, number: int) -> User:
        country, languages, time_zone = self.rng.choices(PATIENT_ORIGINS, ORIGIN_WEIGHTS)[0]
        # Most are back home; some are still in Korea, recovering near the clinic.
        current = "KR" if self.rng.random() < 0.3 else country
        self.current_country.append(current)
        return User(
            email=patient_email(self.seed, number),
            password=self.unusable_password(),
            display_name=f"Patient {number}",
            role=Role.PATIENT,
            languages=languages,
            country_of_residence=country,
            current_country=current,
            time_zone=time_zone,
        )

    def case(self, owner: User) -> tuple[Case, list[CaseProcedure]]:
        rng = self.rng
        clinic, city, country = rng.choices(CLINICS, CLINIC_WEIGHTS)[0]
        count = rng.choices([1, 2, 3], [80, 17, 3])[0]
        chosen = rng.sample(self.procedures, count)
        # Recent operations are the most common; a check-in a day is possible from the day of surgery on.
        days_ago = max(self.checkins_per_case - 1, 0) + min(int(rng.expovariate(1 / 60)), 540)
        surgery = self.today - dt.timedelta(days=days_ago)
        case = Case(
            id=self.uuid(),
            owner_id=owner.pk,
            title=f"{self.base.procedures[chosen[0]].names.en}, {city}",
            clinic_name=clinic,
            clinic_city=city,
            clinic_country=country,
            surgeon_name=rng.choice(SURGEONS),
            leaving_on=surgery + dt.timedelta(days=rng.randint(3, 14)) if country == "KR" else None,
        )
        procedures = []
        for procedure in chosen:
            # A combined operation is done on one day; now and then the second one came some weeks earlier.
            date = surgery if rng.random() < 0.85 else surgery - dt.timedelta(days=rng.randint(14, 120))
            anaesthesia = rng.choice(
                [Anaesthesia.GENERAL, Anaesthesia.SEDATION, Anaesthesia.LOCAL, Anaesthesia.UNKNOWN]
            )
            procedures.append(CaseProcedure(case=case, procedure=procedure, surgery_date=date, anaesthesia=anaesthesia))
        # In the order the case's procedures are read back (``CaseProcedure.Meta.ordering``: date, then ID, and
        # IDs follow this order), since the engine's answer lists them in the order given.
        procedures.sort(key=operator.attrgetter("surgery_date"))
        return case, procedures

    def checkins(self, case: Case, owner: User, procedures: list[CaseProcedure]) -> list[CheckIn]:
        rng = self.rng
        first = min(p.surgery_date for p in procedures)
        latest = max(p.surgery_date for p in procedures)
        span = (self.today - latest).days
        # Check-ins cluster in the first three months; then people stop (``span`` is at least M - 1 days).
        window = max(min(span, 90), self.checkins_per_case - 1)
        offsets = sorted(rng.sample(range(window + 1), self.checkins_per_case))
        ids = [p.procedure for p in procedures]
        symptoms_offered, concerns_offered = _offered(tuple(sorted(ids)))
        country = _emergency_country(owner.current_country)
        rows = []
        for offset in offsets:
            on = latest + dt.timedelta(days=offset)
            day = (on - first).days
            items = {
                entry.item
                for p in ids
                for entry in self.base.procedures[p].expected
                if entry.from_day <= day <= entry.until_day and rng.random() < 0.5
            }
            if rng.random() < 0.08:
                items.add(rng.choice(concerns_offered))
            if symptoms_offered and rng.random() < 0.04:  # a warning sign the sources name (some are emergencies)
                items.add(rng.choice(symptoms_offered))
            symptoms = sorted(i for i in items if i in self.base.symptoms)
            concerns = sorted(i for i in items if i in self.base.concerns)
            pain = None if rng.random() < 0.15 else min(10, max(0, round(rng.gauss(6 - 5 * min(day, 42) / 42, 1.5))))
            temperature = None
            if rng.random() < 0.35:
                mean = 38.4 if rng.random() < 0.05 else 36.8
                temperature = Decimal(str(round(min(max(rng.gauss(mean, 0.35), 35.0), 41.0), 1)))
            result = assess_case(
                procedures=procedures,
                on=on,
                symptoms=symptoms,
                concerns=concerns,
                temperature_c=temperature,
                country=country,
            )
            rows.append(
                CheckIn(
                    id=self.uuid(),
                    case=case,
                    date=on,
                    symptoms=symptoms,
                    concerns=concerns,
                    pain=pain,
                    temperature_c=temperature,
                    notes=rng.choice(NOTES) if rng.random() < 0.15 else "",
                    created_by_id=owner.pk,
                    level=result.level.value,
                    kb_version=result.kb_version,
                    assessment=stored_assessment(result),
                )
            )
        if rows:  # the case's copy of its latest check-in (cases.services.case_urgency_refresh); days are distinct
            case.last_checkin_level, case.last_checkin_on = rows[-1].level, rows[-1].date
        return rows

    def share(self, case: Case, agency: Agency, *, first: bool) -> CaseShare:
        rng = self.rng
        roll = rng.random()
        revoked_at = self.now - dt.timedelta(days=rng.randint(1, 60)) if roll < 0.03 and not first else None
        expires_at = self.now + dt.timedelta(days=rng.randint(30, 180)) if 0.03 <= roll < 0.08 else None
        scope = rng.choices([ShareScope.FULL, ShareScope.DEIDENTIFIED, ShareScope.PHOTOS], [90, 7, 3])[0]
        return CaseShare(
            id=self.uuid(),
            case=case,
            agency=agency,
            scope=ShareScope.FULL if first else scope,
            revoked_at=revoked_at,
            expires_at=expires_at,
        )


def _insert(model: type[models.Model], rows: Iterable[models.Model]) -> int:
    """Insert rows whose primary keys are set (``rows`` may be a generator); the number inserted.

    On PostgreSQL by ``COPY``, streamed while ``rows`` is still being generated, so the server parses and
    indexes one batch while Python computes the next rows. (Django 5.2's ``bulk_create`` sends PostgreSQL
    each column as an array, which psycopg's client-side binding quotes character by character: 10,000
    check-ins with their ~3 kB assessments took ~20 s that way.) Elsewhere ``bulk_create``. Values are what
    ``bulk_create`` would store: ``auto_now_add`` times are now, JSON goes through the field's encoder.
    """
    if connection.vendor != "postgresql":
        return len(model._default_manager.bulk_create(rows))
    now = timezone.now()
    fields = list(model._meta.concrete_fields)
    getters: list[Callable[[models.Model], object]] = []
    for field in fields:
        if isinstance(field, models.JSONField):
            getters.append(_json_getter(field.attname, field.encoder))
        elif getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            getters.append(lambda row: now)
        else:  # uuid, date, Decimal, int, str: psycopg's own text dumpers
            getters.append(operator.attrgetter(field.attname))
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([get(row) for get in getters])
            count += 1
    return count


def _json_getter(attname: str, encoder: type[json.JSONEncoder] | None) -> Callable[[models.Model], object]:
    # COPY's text format takes a jsonb column's value as JSON text.
    def get(row: models.Model) -> object:
        value = getattr(row, attname)
        return None if value is None else json.dumps(value, cls=encoder)

    return get


@functools.cache
def _offered(procedure_ids: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The symptom and concern IDs the check-in form offers for these procedures."""
    symptoms, concerns = vocabulary_for(procedure_ids)
    return [s.id for s in symptoms], [c.id for c in concerns]
