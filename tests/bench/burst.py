"""Benchmark of a burst: `make bench` (after the documents').

    .venv/bin/python -m tests.bench.burst

1. Uses the PostgreSQL database of BENCH_BURST_DATABASE_URL (default
   postgres://postgres@127.0.0.1:5432/ocp_bench_burst): creates and migrates it, registers once a
   debtor with 20 poursuites (tests/bench/extracts.py) and an account.
2. Starts one real Celery worker with 2 processes (prefork, as docker-compose runs it; both queues)
   on the Redis broker of BENCH_BURST_BROKER_URL (redis://127.0.0.1:6379/13).
3. BENCH_BURST_RUNS times (3), with the same worker: opens BURST (200) extract orders with their
   CHF 17 card payments, captures them all at once (one after the other, as fast as the database
   takes them), then measures the time from the first capture until every extract is « disponible »
   and every receipt is sent; and the worker's memory (RSS of its main process and its children)
   before and after the burst.

Targets (printed, never asserted): drained in under 60 s, and memory that does not grow from one
run to the next. BENCH_MAX_TASKS_PER_CHILD gives the worker a `--max-tasks-per-child` (none by
default, as in docker-compose.yml: the memory levels off after the first burst);
BENCH_WORKER_LOG_LEVEL=info logs each task's time. Only 127.0.0.1 is contacted.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

BASE_DIR = Path(__file__).resolve().parents[2]
BURST = int(os.environ.get("BENCH_BURST", 200))
RUNS = int(os.environ.get("BENCH_BURST_RUNS", 3))
MAX_TASKS_PER_CHILD = os.environ.get("BENCH_MAX_TASKS_PER_CHILD", "")
TARGET_DRAINED_S = 60
DEADLINE_S = 600


def configure() -> Path:
    media = Path(tempfile.mkdtemp(prefix="ocp-bench-burst-media-"))
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_BURST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocp_bench_burst"
    )
    os.environ["CELERY_BROKER_URL"] = os.environ.get("BENCH_BURST_BROKER_URL", "redis://127.0.0.1:6379/13")
    os.environ["MEDIA_ROOT"] = str(media)
    os.environ["EMAIL_URL"] = "dummymail://"
    os.environ["PAYMENT_GATEWAY"] = "sandbox"
    os.environ["SANDBOX_PSP_ENABLED"] = "1"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")  # DEBUG off, with a test-only key
    return media


def rss_mib(pid: int) -> float:
    """Resident memory of a process and of its children, in MiB (from /proc)."""
    total, pids = 0, [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except FileNotFoundError:
            continue
        total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        pids += [int(child) for child in children]
    return total / 1024


def start_worker():
    level = os.environ.get("BENCH_WORKER_LOG_LEVEL", "warning")  # info: each task's time in the log
    command = [sys.executable, "-m", "celery", "-A", "ocp_portal", "worker", "--concurrency", "2", "-l", level]
    if MAX_TASKS_PER_CHILD:
        command += ["--max-tasks-per-child", MAX_TASKS_PER_CHILD]
    log = open(Path(tempfile.gettempdir()) / "ocp-bench-burst-worker.log", "w")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=BASE_DIR, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    from ocp_portal.celery import app

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"The Celery worker stopped; see {log.name}.")
        stats = app.control.inspect(timeout=1).stats() or {}
        # Ready once both processes have started (and loaded WeasyPrint, worker_process_init).
        if any(len(worker["pool"].get("processes", [])) == 2 for worker in stats.values()):
            return process
    process.terminate()
    sys.exit("The Celery worker did not answer within 120 s.")


def open_orders(account, party, count: int) -> list:
    """`count` extract requests with their card payments, authorized at the PSP, not yet captured."""
    from extraits import services as extracts
    from paiements import services as payments
    from paiements.conditions import current
    from paiements.constants import PaymentState
    from paiements.models import SandboxSession

    opened = []
    for _ in range(count):
        extract_request = extracts.create_request(
            account=account, kind="physique", name=party.name, first_name="Jeanne",
            birth_date=party.birth_date, street="Rue de Carouge", house_number="12", postal_code="1205",
            town="Genève", country="CH", purpose="Banc d'essai (rafale)",
        )  # fmt: skip
        payment = payments.create_payment(
            purpose_code="extrait", reference=str(extract_request.public_id), instalment=None,
            email="banc@exemple.ch", conditions_version=current()[0],
        )  # fmt: skip
        payments.open_checkout(payment, return_url="http://127.0.0.1/r", cancel_url="http://127.0.0.1/a")
        opened.append((extract_request.pk, payment.pk))
    SandboxSession.objects.filter(status=PaymentState.OPEN).update(status=PaymentState.AUTHORIZED)
    return opened


def burst(account, party) -> float:
    """Seconds from the first capture until every extract is available and every receipt sent."""
    from extraits.constants import RequestState
    from extraits.models import DemandeExtrait
    from paiements import services as payments
    from paiements.constants import Actor, PaymentState
    from paiements.gateways.base import GatewayStatus
    from paiements.models import Payment

    orders = open_orders(account, party, BURST)
    request_ids, payment_ids = [order[0] for order in orders], [order[1] for order in orders]
    status = GatewayStatus(state=PaymentState.AUTHORIZED, card_brand="visa", card_funding="debit", card_last4="5556")
    started = time.perf_counter()
    for payment in Payment.objects.filter(pk__in=payment_ids):
        payments.apply_status(payment, status, actor=Actor.GATEWAY)
    captured = time.perf_counter() - started
    while True:
        waiting_extracts = (
            DemandeExtrait.objects.filter(pk__in=request_ids).exclude(state=RequestState.DISPONIBLE).count()
        )
        waiting_receipts = Payment.objects.filter(pk__in=payment_ids, receipt_sent_at__isnull=True).count()
        if not waiting_extracts and not waiting_receipts:
            break
        if time.perf_counter() - started > DEADLINE_S:
            sys.exit(f"Not drained after {DEADLINE_S} s: {waiting_extracts} extracts, {waiting_receipts} receipts.")
        time.sleep(0.1)
    drained = time.perf_counter() - started
    print(f"    ({BURST} captures took {captured:.1f} s of it)", flush=True)
    return drained


def main() -> None:
    media = configure()
    django.setup()
    import redis
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from ocp_portal.accounts.models import AccountKind, Compte
    from tests.bench.extracts import debtor_with
    from tests.bench.lookup import create_and_migrate

    try:
        redis.Redis.from_url(settings.CELERY_BROKER_URL).ping()
    except redis.exceptions.ConnectionError:
        print(f"\nBurst: skipped, no Redis at {settings.CELERY_BROKER_URL}.")
        return
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()  # the bench's own broker database
    create_and_migrate()
    party = debtor_with(20)
    account, _ = get_user_model().objects.get_or_create(
        username="banc-rafale@exemple.ch", defaults={"email": "banc-rafale@exemple.ch", "is_active": True}
    )
    Compte.objects.get_or_create(
        user=account, defaults={"kind": AccountKind.PARTICULIER, "verified_at": timezone.now()}
    )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    limit = f", --max-tasks-per-child {MAX_TASKS_PER_CHILD}" if MAX_TASKS_PER_CHILD else ""
    print(
        f"\nBurst: {BURST} extract orders (20 poursuites each) paid at once, one Celery worker of 2 processes"
        f"{limit} on Redis and PostgreSQL; load average {load}, {os.cpu_count()} CPUs.",
        flush=True,
    )
    worker = start_worker()
    rows = []
    try:
        for run in range(1, RUNS + 1):
            before = rss_mib(worker.pid)
            drained = burst(account, party)
            time.sleep(1)  # the children's last task returned
            after = rss_mib(worker.pid)
            rows.append((drained, before, after))
            print(
                f"  run {run}: drained in {drained:5.1f} s  (target < {TARGET_DRAINED_S} s: "
                f"{'met' if drained < TARGET_DRAINED_S else 'MISSED'}), worker RSS {before:.0f} MiB before, "
                f"{after:.0f} MiB after",
                flush=True,
            )
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    growth = rows[-1][2] - rows[0][2]
    print(
        f"  worker RSS after the last run minus after the first: {growth:+.0f} MiB  (target: not growing, "
        f"within 10 %: {'met' if growth <= 0.1 * rows[0][2] else 'MISSED'})"
    )
    print(f"  (PDFs of this run under {media})")


if __name__ == "__main__":
    main()
