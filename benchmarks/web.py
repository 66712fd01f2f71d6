"""Benchmark: the web app under load, on PostgreSQL with 100,000 cases and 1,000,000 check-ins.

    .venv/bin/python benchmarks/web.py [--cases 100000] [--checkins-per-case 10] [--clients 20] [--seconds 60]
        [--workers 2] [--small-cases 1000] [--scenarios bare,dashboard,case,checkin] [--reuse-database]

1. Creates a throw-away PostgreSQL database (``--database``, default ``revisio_bench``, on ``--postgres``,
   default postgres@127.0.0.1:5432), migrates it and fills it with ``revisio seed-load`` (timed).
2. Counts the SQL queries of each page with Django's test client (``CaptureQueriesContext``), on that
   database and on a second one seeded with ``--small-cases`` cases, to show the count does not grow with
   the data. The same step signs in the seeded coordinator (with a second factor) and ``--clients``
   patients, and checks each page answers as the load test expects.
3. Starts ``revisio serve --workers N`` (production-like settings over HTTP: neither ``REVISIO_DEBUG`` nor
   ``REVISIO_PRODUCTION``) and, for each scenario, runs locust headless (its Python API, in a process of its
   own) with ``--clients`` clients and no think time for ``--warmup`` + ``--seconds`` seconds, counting only
   requests started after the warm-up:

   bare       a constant page from a Django view behind the whole middleware stack, as the coordinator
   dashboard  the agency dashboard's first page (``/agency/``), as the seeded coordinator
   case       the case page of a random case shared with that coordinator's agency, as the coordinator
   checkin    a check-in submitted through the form (with its CSRF token), as ``--clients`` patients

Prints p50, p95, requests/s and errors of each, each as a ratio to the bare view of the same run.

The bare view exists only here: the server runs with a settings module written to the temporary folder
(``revisio_bench_settings``: the shipped settings with a URL configuration that adds ``/bench/bare/`` in
front of the app's own), so no benchmark-only route ships in Revisio and the server, middleware and gunicorn
settings are exactly those of ``revisio serve``. Nothing is written into the repository: the data folder,
the settings module and the server's log live in a temporary folder. The database is dropped, the server
stopped and the folder deleted at the end, also after Ctrl-C or a failure (``--reuse-database`` keeps the
database for the next run and skips seeding it when it exists: for iterating on a page, not for figures).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

NAN = float("nan")
SCENARIOS = ("bare", "dashboard", "case", "checkin")
BARE_PATH = "/bench/bare/"
BARE_PAGE = "<!doctype html><title>Revisio</title><p>A constant page for the benchmark.</p>"
BENCH_SETTINGS = "revisio_bench_settings"

SETTINGS_MODULE = """\
from revisio.web.settings import *  # noqa: F403 (the shipped settings, with one URL more)

ROOT_URLCONF = "revisio_bench_urls"
"""
URLS_MODULE = f"""\
from django.http import HttpResponse
from django.urls import path

from revisio.web.urls import handler400, handler403, handler404, handler500, urlpatterns as app_urlpatterns


def bare(request):
    return HttpResponse({BARE_PAGE!r})


urlpatterns = [path({BARE_PATH.strip("/") + "/"!r}, bare), *app_urlpatterns]
"""


# --- The orchestrator ------------------------------------------------------------------------------------------


class Bench:
    """Owns the temporary folder, the databases and the server: ``close()`` undoes all of it."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.folder = Path(tempfile.mkdtemp(prefix="revisio-bench-"))
        self.databases: list[str] = []
        self.server: subprocess.Popen[bytes] | None = None
        (self.folder / f"{BENCH_SETTINGS}.py").write_text(SETTINGS_MODULE)
        (self.folder / "revisio_bench_urls.py").write_text(URLS_MODULE)
        self.bin = Path(sys.executable).parent

    def env(self, database: str) -> dict[str, str]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("REVISIO_") and k != "DATABASE_URL"}
        return clean | {
            "DATABASE_URL": f"{self.args.postgres.rstrip('/')}/{database}",
            "REVISIO_DATA_DIR": str(self.folder / "data"),
            "DJANGO_SETTINGS_MODULE": BENCH_SETTINGS,
            "PYTHONPATH": os.pathsep.join([str(self.folder), *filter(None, [os.environ.get("PYTHONPATH")])]),
            "PYTHONDONTWRITEBYTECODE": "1",
            "REVISIO_LOG_LEVEL": "WARNING",
        }

    def admin(self) -> Any:
        import psycopg

        return psycopg.connect(f"{self.args.postgres.rstrip('/')}/postgres", autocommit=True)

    def database_exists(self, name: str) -> bool:
        with self.admin() as connection:
            return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None

    def create_database(self, name: str, *, keep: bool = False) -> None:
        with self.admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        if not keep:
            self.databases.append(name)

    def drop_database(self, name: str) -> None:
        with self.admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.databases:
            self.databases.remove(name)

    def run(self, database: str, *argv: str) -> str:
        done = subprocess.run(argv, env=self.env(database), capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv[:3])}... failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return done.stdout

    def seed(self, database: str, cases: int) -> dict[str, Any]:
        """Migrate and seed ``database``: the seed-load's own report and its wall time."""
        self.run(database, str(self.bin / "revisio"), "manage", "migrate", "--no-input", "-v", "0")
        started = time.perf_counter()
        out = self.run(
            database,
            str(self.bin / "revisio"),
            "seed-load",
            f"--cases={cases}",
            f"--checkins-per-case={self.args.checkins_per_case}",
            f"--agencies={self.args.agencies}",
            f"--seed={self.args.seed}",
        )
        return {"seconds": time.perf_counter() - started, "report": out.splitlines()[0]}

    def prepare(self, database: str, clients: int) -> dict[str, Any]:
        spec = self.folder / "prepare.json"
        spec.write_text(json.dumps({"seed": self.args.seed, "clients": clients}))
        out = self.run(database, sys.executable, __file__, "_prepare", str(spec))
        return json.loads(out)  # type: ignore[no-any-return]

    def start_server(self, database: str) -> str:
        log = (self.folder / "server.log").open("wb")
        argv = [str(self.bin / "revisio"), "serve", "--port", str(self.args.port), "--workers", str(self.args.workers)]
        # A session of its own, so stopping it stops gunicorn's workers too.
        self.server = subprocess.Popen(
            argv, env=self.env(database), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        base = f"http://127.0.0.1:{self.args.port}"
        deadline = time.monotonic() + 300  # migrate (nothing to do) and collectstatic (half a minute) first
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise SystemExit(f"the server stopped:\n{(self.folder / 'server.log').read_text()[-3000:]}")
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(f"{base}{BARE_PATH}", timeout=2) as response,
            ):
                if response.status == 200:
                    return base
            time.sleep(1)
        raise SystemExit("the server did not answer within 300 s")

    def stop_server(self) -> None:
        if self.server is None or self.server.poll() is not None:
            self.server = None
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.server.pid, signal.SIGTERM)
        try:
            self.server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait()
        self.server = None

    def load(self, scenario: str, base: str, prepared: dict[str, Any]) -> dict[str, Any]:
        spec = self.folder / f"load-{scenario}.json"
        spec.write_text(
            json.dumps(
                {
                    "scenario": scenario,
                    "base": base,
                    "clients": self.args.clients,
                    "seconds": self.args.seconds,
                    "warmup": self.args.warmup,
                    "seed": self.args.seed,
                    **prepared["load"],
                }
            )
        )
        done = subprocess.run(
            [sys.executable, __file__, "_load", str(spec)],
            capture_output=True,
            text=True,
            env=os.environ | {"PYTHONDONTWRITEBYTECODE": "1"},
        )
        if done.returncode != 0:
            raise SystemExit(f"the load generator failed on {scenario}:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]

    def close(self) -> None:
        self.stop_server()
        for name in list(self.databases):
            try:
                self.drop_database(name)
            except Exception as error:  # still remove the folder; say what is left behind
                print(f"could not drop the database {name}: {error}", file=sys.stderr)
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """SIGTERM (and SIGHUP) end the run like Ctrl-C does, through every ``finally``."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    bench = Bench(args)
    try:
        with interruptible():
            return run_benchmark(bench, args)
    except KeyboardInterrupt:
        print("\ninterrupted: cleaning up", file=sys.stderr)
        return 130
    finally:
        bench.close()


def run_benchmark(bench: Bench, args: argparse.Namespace) -> int:
    print(f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    database = args.database
    seeded: dict[str, Any] | None = None
    if args.reuse_database and bench.database_exists(database):
        print(f"Reusing the database {database} as it is (--reuse-database): no seeding", flush=True)
    else:
        bench.create_database(database, keep=args.reuse_database)
        print(f"Seeding {args.cases:,} cases x {args.checkins_per_case} check-ins into {database}...", flush=True)
        seeded = bench.seed(database, args.cases)
        print(f"  {seeded['report']} (wall {seeded['seconds']:.0f} s)", flush=True)
    # The server first: ``revisio serve`` collects the static files the pages name, which the next step renders.
    base = bench.start_server(database)
    prepared = bench.prepare(database, args.clients)
    print(f"Queries per page at {args.cases:,} cases: {prepared['queries']}", flush=True)
    results: dict[str, dict[str, Any]] = {}
    print(f"Serving at {base} with {args.workers} workers; {args.clients} clients, {args.seconds} s each", flush=True)
    for scenario in args.scenarios:
        results[scenario] = bench.load(scenario, base, prepared)
        print(f"  {scenario}: {summary_line(results[scenario])}", flush=True)
    bench.stop_server()

    small: dict[str, Any] = {}
    if args.small_cases:
        small_db = f"{database}_small"
        bench.create_database(small_db)
        bench.seed(small_db, args.small_cases)
        small = bench.prepare(small_db, 1)["queries"]
        bench.drop_database(small_db)
    print()
    print(report(args, seeded, results, prepared["queries"], small, prepared["sizes"]))
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--checkins-per-case", type=int, default=10)
    parser.add_argument("--agencies", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--small-cases", type=int, default=1000, help="the second data size for query counts (0: skip)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients, no think time")
    parser.add_argument("--seconds", type=float, default=60, help="measured seconds per scenario")
    parser.add_argument("--warmup", type=float, default=5, help="seconds per scenario before measuring")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (revisio serve --workers)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help=f"comma-separated, of {', '.join(SCENARIOS)}")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432", help="server URL, no database")
    parser.add_argument("--database", default="revisio_bench", help="throw-away database (name starts revisio_bench)")
    parser.add_argument("--reuse-database", action="store_true", help="keep the database, reuse it if it exists")
    args = parser.parse_args(argv)
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios {', '.join(sorted(unknown))}: choose from {', '.join(SCENARIOS)}")
    if "bare" not in args.scenarios:
        parser.error("the bare scenario is the yardstick of the others: keep it in --scenarios")
    if not args.database.startswith("revisio_bench"):
        parser.error("--database must start with revisio_bench: the benchmark drops it")
    if min(args.cases, args.checkins_per_case, args.clients, args.workers) < 1 or args.seconds <= 0:
        parser.error("--cases, --checkins-per-case, --clients, --workers and --seconds must be positive")
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            parser.error(f"port {args.port} is in use: choose another with --port")
    return args


def summary_line(result: dict[str, Any]) -> str:
    reasons = "; ".join(f"{count} x {reason}" for reason, count in result["error_reasons"].items())
    return (
        f"{result['requests']:,} requests, {result['rps']:.1f}/s, p50 {result['p50']:.1f} ms, "
        f"p95 {result['p95']:.1f} ms, {result['errors']} errors{f' ({reasons})' if reasons else ''}"
    )


def report(
    args: argparse.Namespace,
    seeded: dict[str, Any] | None,
    results: dict[str, dict[str, Any]],
    queries: dict[str, int],
    small: dict[str, int],
    sizes: dict[str, int],
) -> str:
    bare = results["bare"]
    lines = [
        f"Data: {sizes['cases']:,} cases, {sizes['checkins']:,} check-ins; the coordinator's agency sees "
        f"{sizes['agency_cases']:,} cases.",
    ]
    if seeded:
        lines.append(f"Seeding: {seeded['report']}")
    lines += [
        f"Load: {args.clients} clients, no think time, {args.seconds:.0f} s measured after {args.warmup:.0f} s "
        "warm-up, "
        f"revisio serve --workers {args.workers} (4 threads each), {os.cpu_count()} cores shared with PostgreSQL "
        f"and the load generator.",
        "",
        "| page | requests/s | p50 ms | p95 ms | errors | throughput / bare | p50 / bare | p95 / bare |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario, result in results.items():
        lines.append(
            f"| {scenario} | {result['rps']:.1f} | {result['p50']:.1f} | {result['p95']:.1f} | "
            f"{result['errors']} of {result['requests'] + result['errors']} | {result['rps'] / bare['rps']:.2f}x | "
            f"{result['p50'] / bare['p50']:.1f}x | {result['p95'] / bare['p95']:.1f}x |"
        )
    lines += [
        "",
        f"| page | SQL queries at {sizes['cases']:,} cases | at {args.small_cases:,} cases |",
        "|---|---:|---:|",
    ]
    for page, count in queries.items():
        lines.append(f"| {page} | {count} | {small.get(page, '-')} |")
    return "\n".join(lines)


# --- Step 2, in a process of its own with Django set up on the benchmark database --------------------------------


def prepare(spec_path: str) -> None:
    """Sign in the clients, check each page answers as the load test expects, and count its queries."""
    spec = json.loads(Path(spec_path).read_text())
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django.utils.crypto import get_random_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from revisio.accounts.models import User
    from revisio.cases.models import Case, CaseShare, ShareScope, active_share_filter
    from revisio.demo.load import coordinator_email
    from revisio.diary.models import CheckIn
    from revisio.recovery.vocabulary import vocabulary_for

    rng = random.Random(spec["seed"])
    coordinator = User.objects.get(email=coordinator_email(spec["seed"], 0))
    agency = coordinator.memberships.get().agency
    shared = CaseShare.objects.filter(active_share_filter(), agency=agency)
    agency_cases = shared.values("case_id").distinct().count()
    # The case page shows the clinical record, which a photos-only share does not open (cases.access).
    readable = shared.exclude(scope=ShareScope.PHOTOS).values_list("case_id", flat=True)
    case_ids = sorted({str(pk) for pk in readable})
    # Patients whose cases the agency follows, one per client, each submitting check-ins to a case of their own.
    owners: dict[int, str] = {}
    for case_id, owner_id in Case.objects.filter(
        pk__in=rng.sample(case_ids, min(len(case_ids), 50 * spec["clients"]))
    ).values_list("pk", "owner_id"):
        owners.setdefault(owner_id, str(case_id))
        if len(owners) == spec["clients"]:
            break

    def session(user: User, *, second_factor: bool) -> Client:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        if second_factor:
            stored = client.session
            stored[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
            stored.save()
        return client

    def counted(client: Client, method: str, url: str, expect: int, data: dict[str, Any] | None = None) -> int:
        for _attempt in range(2):  # the first request warms caches (templates, knowledge base): count the second
            with CaptureQueriesContext(connection) as queries:
                response = client.post(url, data) if method == "POST" else client.get(url)
            if response.status_code != expect:
                raise SystemExit(f"{method} {url} answered {response.status_code}, not {expect}")
        return len(queries)

    as_coordinator = session(coordinator, second_factor=True)
    today = timezone.localdate()
    patients = []
    for owner_id, case_id in owners.items():
        case = Case.objects.get(pk=case_id)
        symptoms, _ = vocabulary_for([p.procedure for p in case.procedures.all()])
        csrf = get_random_string(32)  # an unmasked CSRF secret is a valid token for its own cookie
        form = {
            "date": today.isoformat(),
            "symptoms": [symptoms[0].id] if symptoms else [],
            "pain": "3",
            "temperature_c": "36.9",
            "notes": "",
            "photos-TOTAL_FORMS": "3",
            "photos-INITIAL_FORMS": "0",
            "photos-MIN_NUM_FORMS": "0",
            "photos-MAX_NUM_FORMS": "12",
            **{f"photos-{n}-view": "front" for n in range(3)},
        }
        client = session(User.objects.get(pk=owner_id), second_factor=False)
        patients.append(
            {
                "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}",
                "url": f"/cases/{case_id}/checkins/new/",
                "form": form | {"csrfmiddlewaretoken": csrf},
                "body": urlencode(form | {"csrfmiddlewaretoken": csrf}, doseq=True),
                "client": client,
            }
        )
    first = patients[0]
    queries = {
        "bare": counted(as_coordinator, "GET", BARE_PATH, 200),
        "dashboard": counted(as_coordinator, "GET", "/agency/", 200),
        "case": counted(as_coordinator, "GET", f"/cases/{owners[next(iter(owners))]}/", 200),
        "checkin": counted(first["client"], "POST", first["url"], 302, first["form"]),
    }
    result = {
        "queries": queries,
        "sizes": {"cases": Case.objects.count(), "checkins": CheckIn.objects.count(), "agency_cases": agency_cases},
        "load": {
            "coordinator_cookie": f"{settings.SESSION_COOKIE_NAME}="
            f"{as_coordinator.cookies[settings.SESSION_COOKIE_NAME].value}",
            "case_urls": [f"/cases/{pk}/" for pk in rng.sample(case_ids, min(len(case_ids), 5000))],
            "patients": [{k: v for k, v in p.items() if k not in ("client", "form")} for p in patients],
        },
    }
    print(json.dumps(result))


# --- Step 3, in a process of its own: locust patches the standard library with gevent as it is imported ----------


def load(spec_path: str) -> None:
    import gevent
    from locust import FastHttpUser, constant, events, task
    from locust.env import Environment
    from locust.log import setup_logging

    setup_logging("WARNING")
    spec = json.loads(Path(spec_path).read_text())
    measure_from = time.time() + spec["warmup"]
    latencies: list[float] = []
    errors: dict[str, int] = {}

    def record(response_time: float, exception: BaseException | None, start_time: float, **_: Any) -> None:
        if start_time < measure_from:
            return
        if exception is None:
            latencies.append(response_time)
        else:
            reason = str(exception)[:200]
            errors[reason] = errors.get(reason, 0) + 1

    events.request.add_listener(lambda **kw: record(kw["response_time"], kw.get("exception"), kw["start_time"]))
    scenario = spec["scenario"]
    numbers = iter(range(10**9))

    class Client(FastHttpUser):
        host = spec["base"]
        wait_time = constant(0)

        def on_start(self) -> None:
            self.number = next(numbers)
            self.rng = random.Random(spec["seed"] * 1000 + self.number)
            self.patient = spec["patients"][self.number % len(spec["patients"])]

        def get(self, url: str, name: str, cookie: str) -> None:
            with self.client.get(
                url, name=name, headers={"Cookie": cookie}, allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"{url} answered {response.status_code}")

        @task
        def request(self) -> None:
            if scenario == "bare":
                self.get(BARE_PATH, "bare", spec["coordinator_cookie"])
            elif scenario == "dashboard":
                self.get("/agency/", "dashboard", spec["coordinator_cookie"])
            elif scenario == "case":
                self.get(self.rng.choice(spec["case_urls"]), "case", spec["coordinator_cookie"])
            else:
                with self.client.post(
                    self.patient["url"],
                    name="checkin",
                    data=self.patient["body"],
                    headers={"Cookie": self.patient["cookie"], "Content-Type": "application/x-www-form-urlencoded"},
                    allow_redirects=False,
                    catch_response=True,
                ) as response:
                    if response.status_code != 302:
                        response.failure(f"the check-in answered {response.status_code}")

    environment = Environment(user_classes=[Client], events=events)
    runner = environment.create_local_runner()
    runner.start(spec["clients"], spawn_rate=spec["clients"])
    gevent.spawn_later(spec["warmup"] + spec["seconds"], runner.quit)
    runner.greenlet.join()
    ordered = sorted(latencies)
    # No answer in time at all gives no percentiles (nan), not a crash; a single answer is every percentile.
    cuts = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else (ordered or [NAN]) * 99
    print(
        json.dumps(
            {
                "requests": len(ordered),
                "errors": sum(errors.values()),
                "error_reasons": errors,
                "rps": len(ordered) / spec["seconds"],
                "p50": cuts[49],
                "p95": cuts[94],
            }
        )
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "_prepare":
        prepare(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "_load":
        load(sys.argv[2])
    else:
        sys.exit(main())
