"""Benchmark of the public balance lookup under concurrent load: `make bench`.

    .venv/bin/python -m tests.bench.lookup

1. Uses the PostgreSQL database of DATABASE_URL (default
   postgres://postgres@127.0.0.1:5432/ocp_bench): creates it if missing, migrates it and,
   when the register holds fewer than a million poursuites, tops it up with
   `seed_demo --bulk` (a few minutes, once).
2. Counts, in process, the SQL queries of one lookup (`poursuites.lookup.lookup`) and of the
   whole view (a test-client POST) for a few kinds of dossier: they must stay a small constant.
3. Starts gunicorn (`ocp_portal.wsgi`) on 127.0.0.1 and a free port with DEBUG=0, as
   docker-compose runs it (sync workers, 3 of them), then loads, one after the other in the same
   run and with the same clients, (a) the trivial view GET /healthz, the ceiling of the stack,
   and (b) the balance lookup POST /poursuites/solde/ for numbers drawn at random from the
   register (poursuites and ADB), payment date today; each client fetched the form once for its
   CSRF cookie and token, each response must be a 200 showing the dossier's result. (c) For
   reference, the lookup's empty form page (GET, no lookup) is loaded too.
4. Prints requests, throughput and p50/p95/p99 latency of each, the ratio of the lookup's
   throughput to the trivial view's, and the queries per lookup; stops gunicorn.

Targets (printed, never asserted): p95 < 50 ms, lookup >= 40 % of the trivial view's throughput,
the empty form page >= 60 %, queries per lookup a small constant. The load generator is one asyncio
loop speaking raw HTTP/1.1, cheap enough not to be the bottleneck (its CPU use is printed). Sync
workers close the connection after each response, so a client then reconnects (the connection's
cost counts in both views); with BENCH_WORKER_CLASS=gthread connections are kept alive, and a client
reconnects every BENCH_RECYCLE requests so that the workers share the clients. Only 127.0.0.1
is ever contacted and every loop is bounded in time. The machine's load average is printed:
anything else running on it skews the figures.

Knobs (environment): BENCH_CONCURRENCY (16 clients), BENCH_DURATION (20 s a view),
BENCH_WARMUP (3 s), BENCH_WORKERS (gunicorn workers, 3), BENCH_WORKER_CLASS (sync),
BENCH_THREADS (threads a gthread worker, 4), BENCH_RECYCLE (requests a kept-alive connection,
100), BENCH_REGISTER (1000000 poursuites), BENCH_WSGI (ocp_portal.wsgi: another module lets
one measure a candidate change).
"""

import asyncio
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

BASE_DIR = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ocp_bench"
HOST = "127.0.0.1"  # the only host this benchmark ever talks to
TRIVIAL_PATH = "/healthz"
LOOKUP_PATH = "/poursuites/solde/"
ZURICH = ZoneInfo("Europe/Zurich")
SAMPLE_SIZE = 5000
CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)
CSRF_COOKIE = re.compile(rb"\r\nset-cookie:\s*csrftoken=([^;\r]+)", re.IGNORECASE)
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


CONCURRENCY = _env_int("BENCH_CONCURRENCY", 16)
DURATION = _env_int("BENCH_DURATION", 20)
WARMUP = _env_int("BENCH_WARMUP", 3)
WORKERS = _env_int("BENCH_WORKERS", 3)
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")  # as docker-compose runs the portal
THREADS = _env_int("BENCH_THREADS", 4) if WORKER_CLASS == "gthread" else 1
REGISTER = _env_int("BENCH_REGISTER", 1_000_000)
# A gthread worker keeps serving the keep-alive connections it accepted: clients reconnect every
# RECYCLE requests so that gunicorn's workers share them instead of one worker holding them all.
RECYCLE = _env_int("BENCH_RECYCLE", 100)
# Another WSGI module (e.g. one that patches a candidate optimisation in) to compare with the default.
WSGI = os.environ.get("BENCH_WSGI", "ocp_portal.wsgi")
TARGET_P95_MS = 50
TARGET_RATIO = 0.40
TARGET_FORM_RATIO = 0.60  # the empty form page: the templates' and widgets' own cost (issue 17)


# --- Database ---------------------------------------------------------------------------------


def setup_django() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")  # DEBUG off, with a test-only key
    import django

    django.setup()


def create_and_migrate() -> None:
    """Create the PostgreSQL database of DATABASE_URL if missing, and migrate it."""
    import psycopg
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        sys.exit(f"The benchmark runs on PostgreSQL; DATABASE_URL points to {db['ENGINE']}.")
    params = {key: db[name] for key, name in (("host", "HOST"), ("port", "PORT"), ("user", "USER")) if db[name]}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    try:
        psycopg.connect(dbname=db["NAME"], **params).close()
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise
        print(f"Creating database {db['NAME']}.")
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(db["NAME"])))
    call_command("migrate", interactive=False, verbosity=0)


def ensure_database() -> None:
    """Create and migrate the database, top the register up to REGISTER poursuites."""
    from django.core.management import call_command

    from poursuites.models import Poursuite

    create_and_migrate()
    existing = Poursuite.objects.count()
    if existing < REGISTER:
        missing = REGISTER - existing
        print(f"The register holds {existing:,} poursuites, fewer than {REGISTER:,}: seeding {missing:,} more with")
        print(f"`seed_demo --bulk --count {missing}` (a few minutes, once)...", flush=True)
        started = time.monotonic()
        call_command("seed_demo", count=missing, force=True, bulk=True, seed=int(time.time()))
        print(f"Seeded in {time.monotonic() - started:.0f} s.\n", flush=True)


def register_sample() -> tuple[int, int, list[int]]:
    """Numbers drawn at random from the register, poursuites and ADB in their proportion."""
    from poursuites.models import ActeDefautBiens, Poursuite

    poursuites, adbs = Poursuite.objects.count(), ActeDefautBiens.objects.count()
    adb_share = round(SAMPLE_SIZE * adbs / max(poursuites + adbs, 1))
    numbers = list(Poursuite.objects.order_by("?").values_list("number", flat=True)[: SAMPLE_SIZE - adb_share])
    numbers += ActeDefautBiens.objects.order_by("?").values_list("number", flat=True)[:adb_share]
    random.shuffle(numbers)
    return poursuites, adbs, numbers


# --- SQL queries per lookup -------------------------------------------------------------------


def count_queries() -> list[tuple[str, int, int, float]]:
    """(dossier, queries of lookup(), queries of the whole view, ms of one lookup() call) per case."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from ocp_portal.dates import today
    from poursuites.lookup import lookup
    from poursuites.models import ActeDefautBiens, Poursuite
    from poursuites.numbers import NUMBER_MAX, format_number, key_letter

    def poursuite(status):
        return Poursuite.objects.filter(status=status).values_list("number", flat=True).first()

    cases = [
        ("poursuite notified, interest running", poursuite("notifiee")),
        ("poursuite paid", poursuite("payee")),
        ("poursuite, saisie executed", poursuite("saisie_executee")),
        ("poursuite closed by an ADB", poursuite("adb_delivre")),
        (
            "ADB with an instalment",
            ActeDefautBiens.objects.filter(payments__isnull=False).values_list("number", flat=True)[0],
        ),
        ("unknown number", NUMBER_MAX),
    ]
    rows = []
    with override_settings(
        ALLOWED_HOSTS=["testserver"],
        SECURE_SSL_REDIRECT=False,
        LOOKUP_RATE_LIMIT=10**8,
        LOOKUP_SUCCESS_RATE_LIMIT=10**8,
    ):
        client = Client()
        for label, number in cases:
            with CaptureQueriesContext(connection) as in_lookup:
                lookup(number, key_letter(number), today())
            timings = []
            for _ in range(5):
                started = time.perf_counter()
                lookup(number, key_letter(number), today())
                timings.append((time.perf_counter() - started) * 1000)
            data = {"number": f"{number:08d}", "key_letter": key_letter(number), "payment_date": today().isoformat()}
            with CaptureQueriesContext(connection) as in_view:
                response = client.post(LOOKUP_PATH, data)
            expected = "Aucun dossier ne correspond" if number == NUMBER_MAX else format_number(number)
            if response.status_code != 200 or expected not in response.content.decode():
                label += "  [UNEXPECTED RESPONSE]"
            rows.append((label, len(in_lookup), len(in_view), sorted(timings)[2]))
    return rows


# --- gunicorn ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn():
    """gunicorn serving the portal on 127.0.0.1 and a free port; always stopped on the way out."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ocp_portal.settings",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "LOOKUP_RATE_LIMIT": "100000000",  # the limit is per client IP and the whole bench is one client
        "LOOKUP_SUCCESS_RATE_LIMIT": "100000000",
        "LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        WSGI,
        f"--bind={HOST}:{port}",
        f"--workers={WORKERS}",
        f"--worker-class={WORKER_CLASS}",
        f"--threads={THREADS}",
        "--keep-alive=75",
        "--backlog=512",
        "--log-level=warning",
        "--error-logfile=-",
    ]
    log = tempfile.NamedTemporaryFile(prefix="ocp-bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        _wait_healthy(process, port, Path(log.name))
        yield port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        log.close()
        Path(log.name).unlink(missing_ok=True)


def _wait_healthy(process, port: int, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection((HOST, port), timeout=2) as sock:
                sock.sendall(
                    f"GET {TRIVIAL_PATH} HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n".encode()
                )
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {TRIVIAL_PATH} within {timeout} s:\n{log.read_text()[-3000:]}")


# --- Load generator: raw HTTP/1.1, one asyncio loop ------------------------------------------------


class Connection:
    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None
        self.served = 0

    async def request(self, raw: bytes) -> tuple[int, bytes, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
            self.served = 0
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = CONTENT_LENGTH.search(head)
        if length:
            body = await self.reader.readexactly(int(length.group(1)))
        elif b"chunked" in head.lower():
            body = await self._chunked()
        else:
            body = await self.reader.read()
            self.close()
        self.served += 1
        if self.served >= RECYCLE or b"connection: close" in head.lower():
            self.close()
        return int(head[9:12]), head, body

    async def _chunked(self) -> bytes:
        parts = []
        while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append(await self.reader.readexactly(size + 2))
        await self.reader.readuntil(b"\r\n")
        return b"".join(part[:-2] for part in parts)

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""
    elapsed: float = 0.0
    cpu: float = 0.0

    def fail(self, message: str) -> None:
        self.errors += 1
        self.first_error = self.first_error or message

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else float("nan")

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0


# A scenario is a coroutine function: given a client's connection, it prepares that client
# (e.g. fetches the CSRF cookie) and returns a function making (raw request, body check, label).


def trivial(port: int):
    raw = f"GET {TRIVIAL_PATH} HTTP/1.1\r\nHost: {HOST}:{port}\r\n\r\n".encode()

    async def client(_conn):
        return lambda: (raw, lambda body: body == b"ok", "")

    return client


def form_page(port: int):
    """GET of the lookup's empty form: the same page's chrome and form, without any lookup."""
    raw = f"GET {LOOKUP_PATH} HTTP/1.1\r\nHost: {HOST}:{port}\r\n\r\n".encode()

    async def client(_conn):
        return lambda: (raw, lambda body: b'name="csrfmiddlewaretoken"' in body, "")

    return client


def balance_lookup(port: int, numbers: list[int]):
    from poursuites.numbers import format_number, key_letter

    host = f"{HOST}:{port}"

    async def client(conn):
        status, head, body = await conn.request(f"GET {LOOKUP_PATH} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        cookie, token = CSRF_COOKIE.search(head), CSRF_INPUT.search(body)
        if status != 200 or not cookie or not token:
            raise RuntimeError(f"GET {LOOKUP_PATH}: {status}, no CSRF cookie or token")
        cookie, token = cookie.group(1).decode(), token.group(1).decode()
        rng = random.Random()

        def make():
            number = rng.choice(numbers)
            body = urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "number": f"{number:08d}",
                    "key_letter": key_letter(number),
                    "payment_date": datetime.now(ZURICH).date().isoformat(),
                }
            ).encode()
            raw = (
                f"POST {LOOKUP_PATH} HTTP/1.1\r\nHost: {host}\r\nCookie: csrftoken={cookie}\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            reference = format_number(number).encode()
            return raw, lambda page: b'class="result"' in page and reference in page, f"{number:08d}"

        return make

    return client


async def _load(port: int, scenario, seconds: float) -> Run:
    run = Run()
    loop = asyncio.get_running_loop()

    async def one_client():
        conn = Connection(port)
        try:
            make = await scenario(conn)
            while loop.time() < deadline:
                raw, check, what = make()
                started = time.perf_counter()
                try:
                    status, _head, body = await conn.request(raw)
                except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as error:
                    run.fail(f"{type(error).__name__}: {error}")
                    conn.close()
                    continue
                latency = time.perf_counter() - started
                if status == 200 and check(body):
                    run.latencies.append(latency)
                else:
                    run.fail(f"HTTP {status} {what}: {body[:200]!r}")
        finally:
            conn.close()

    cpu, started = time.process_time(), loop.time()
    deadline = started + seconds
    await asyncio.wait_for(asyncio.gather(*(one_client() for _ in range(CONCURRENCY))), seconds + 30)
    run.elapsed = loop.time() - started
    run.cpu = (time.process_time() - cpu) / run.elapsed
    return run


def load(port: int, scenario, seconds: float) -> Run:
    return asyncio.run(_load(port, scenario, seconds))


# --- Report -----------------------------------------------------------------------------------


def main() -> None:
    setup_django()
    from django.db import connection

    ensure_database()
    poursuites, adbs, numbers = register_sample()
    queries = count_queries()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    connection.close()

    print(f"Register: {poursuites:,} poursuites and {adbs:,} ADB on PostgreSQL {pg_version}; {os.cpu_count()} CPUs.")
    print(
        f"gunicorn {WSGI}: {WORKERS} {WORKER_CLASS} workers"
        + (f" x {THREADS} threads" if THREADS > 1 else "")
        + f", DEBUG=0; {CONCURRENCY} concurrent clients "
        + ("(a connection a request)" if WORKER_CLASS == "sync" else f"(keep-alive, {RECYCLE} requests a connection)")
        + f", {WARMUP} s warm-up then {DURATION} s a view."
    )
    print(f"Lookups draw from {len(numbers):,} random register numbers; payment date today.\n", flush=True)
    load_before = os.getloadavg()[0]
    with gunicorn() as port:
        for scenario in (trivial(port), balance_lookup(port, numbers)):
            load(port, scenario, WARMUP)
        results = {
            "trivial  GET  /healthz": load(port, trivial(port), DURATION),
            "lookup   POST /poursuites/solde/": load(port, balance_lookup(port, numbers), DURATION),
            "(form    GET  /poursuites/solde/)": load(port, form_page(port), DURATION),
        }

    print(f"{'':34}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}{'gen CPU':>9}")
    for label, run in results.items():
        print(
            f"{label:34}{len(run.latencies):>9}{run.throughput:>9.0f}{run.percentile(0.50):>9.1f}"
            f"{run.percentile(0.95):>9.1f}{run.percentile(0.99):>9.1f}{run.errors:>8}{run.cpu:>8.0%}"
        )
    print(f"{'':34}(gen CPU: the load generator's own CPU use, as a share of one core)")
    print(
        f"Load average (1 min) of the machine: {load_before:.1f} before the runs, {os.getloadavg()[0]:.1f} after, "
        f"on {os.cpu_count()} CPUs."
    )
    for label, run in results.items():
        if run.errors:
            print(f"  first error ({label.split()[0]}): {run.first_error}")
    base, lookup_run, form_run = results.values()
    ratio, form_ratio = (run.throughput / base.throughput if base.throughput else 0.0 for run in (lookup_run, form_run))
    p95 = lookup_run.percentile(0.95)
    print()
    print(
        f"Lookup / trivial throughput: {ratio:.0%}   (target >= {TARGET_RATIO:.0%}: {_verdict(ratio >= TARGET_RATIO)})"
    )
    print(
        f"The empty form page alone, no lookup: {form_ratio:.0%} of the trivial view   "
        f"(target >= {TARGET_FORM_RATIO:.0%}: {_verdict(form_ratio >= TARGET_FORM_RATIO)})"
    )
    print(f"Lookup p95 latency: {p95:.1f} ms   (target < {TARGET_P95_MS} ms: {_verdict(p95 < TARGET_P95_MS)})")
    print()
    print(f"SQL queries per lookup{'':17}{'lookup()':>9}{'view':>6}   lookup() alone, in process")
    for label, in_lookup, in_view, lookup_ms in queries:
        print(f"  {label:37}{in_lookup:>9}{in_view:>6}{lookup_ms:>8.2f} ms")
    from django.conf import settings

    if settings.DATABASES["default"].get("CONN_HEALTH_CHECKS"):
        print("  (and, under gunicorn, one `SELECT 1` a request from CONN_HEALTH_CHECKS, outside Django's query log)")
    counts = {in_view for _label, _in_lookup, in_view, _ms in queries}
    print(
        f"Queries per lookup: {min(counts)} to {max(counts)} whatever the register's size (target: a small constant)."
    )


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


if __name__ == "__main__":
    main()
