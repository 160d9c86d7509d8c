"""Benchmark of the extract: `make bench` (after the lookup benchmark).

    .venv/bin/python -m tests.bench.extracts

1. Uses the PostgreSQL database of BENCH_EXTRACTS_DATABASE_URL (default
   postgres://postgres@127.0.0.1:5432/ocp_bench_extraits): creates and migrates it, and
   registers, once, three debtors with 0, 20 and 500 poursuites (and an ADB each for the last two).
2. Times, in process, building the content and rendering the PDF of an extract about each of
   them (WeasyPrint, the templates of templates/pdf/): one warm-up, then the median and the worst
   of BENCH_RUNS runs (5). As in the worker's task (extraits.tasks.process_request), the cyclic
   collector is paused until the extract is available and the render's garbage collected after:
   the time is the one until the extract is available, what its orderer waits for; the worker's
   whole CPU per extract, the collection included, is printed beside it.
3. Starts a real Celery worker (`celery -A ocp_portal worker --pool solo`) on the Redis broker of
   BENCH_BROKER_URL (redis://127.0.0.1:6379/12), then, BENCH_RUNS times, orders an extract about
   the 20-poursuite debtor, captures its CHF 17 payment (sandbox gateway) and measures the time
   from the capture's commit to the request shown "disponible" (the worker sends the receipt, the
   confirmation, matches, renders and stores the PDF in that time). Stops the worker.

Targets (printed, never asserted): render under 300 ms for 20 poursuites and under 1.5 s for 500;
capture to "disponible" under 10 s.
"""

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import django
from django.db import transaction

BASE_DIR = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("BENCH_RUNS", 5))
SIZES = (0, 20, 500)
TARGETS_MS = {20: 300, 500: 1500}
TARGET_END_TO_END_S = 10
BENCH_NAME = "Banc-Extrait"


def configure() -> Path:
    media = Path(tempfile.mkdtemp(prefix="ocp-bench-media-"))
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_EXTRACTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocp_bench_extraits"
    )
    os.environ["CELERY_BROKER_URL"] = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")
    os.environ["MEDIA_ROOT"] = str(media)
    os.environ["EMAIL_URL"] = "dummymail://"
    os.environ["PAYMENT_GATEWAY"] = "sandbox"
    os.environ["SANDBOX_PSP_ENABLED"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")  # DEBUG off, with a test-only key
    return media


@transaction.atomic
def debtor_with(count: int):
    """A debtor with `count` poursuites (registered through the services once, then reused)."""
    from poursuites import services
    from poursuites.constants import EventType, PartyKind
    from poursuites.models import Party

    name = f"{BENCH_NAME}-{count}"
    party = Party.objects.filter(name=name).first()
    if party:
        return party
    print(f"Registering a debtor with {count} poursuites (once)...", flush=True)
    party = Party.objects.create(
        kind=PartyKind.PHYSIQUE, name=name, first_name="Jeanne", birth_date=date(1980, 5, 17),
        street="Rue de Carouge", house_number="12", postal_code="1205", town="Genève",
    )  # fmt: skip
    creditor = Party.objects.create(
        kind=PartyKind.MORALE, name="Créancière Banc SA", street="Rue du Rhône", house_number="1",
        postal_code="1204", town="Genève",
    )  # fmt: skip
    start = date.today() - timedelta(days=300)
    for index in range(count):
        poursuite = services.register_poursuite(
            creditor=creditor,
            debtor=party,
            kind="saisie",
            claims=[
                {
                    "amount": Decimal(100 + index),
                    "title": "Facture",
                    "interest_rate": Decimal("5"),
                    "interest_from": start,
                }
            ],
            requisition_date=start,
        )
        services.record_event(poursuite=poursuite, type=EventType.NOTIFICATION, on=start + timedelta(days=5))
        if index == 0:
            for step, days in (
                (EventType.CONTINUATION, 30),
                (EventType.AVIS_SAISIE, 40),
                (EventType.SAISIE_EXECUTEE, 50),
            ):
                services.record_event(poursuite=poursuite, type=step, on=start + timedelta(days=days))
            services.issue_adb(poursuite=poursuite, on=start + timedelta(days=100))
    return party


def time_rendering() -> None:
    from pypdf import PdfReader

    from extraits import keys
    from extraits.content import extract_content
    from extraits.rendering import render_extract_pdf
    from ocp_portal.pdf import gc_paused

    print(
        f"\nRendering an extract (content + PDF, median of {RUNS} after a warm-up; time until available, the "
        "render's garbage collected after it as in the worker's task; CPU: the worker's whole, collection included):"
    )
    for size in SIZES:
        party = debtor_with(size)
        timings, cpu_times, pdf = [], [], b""
        for run in range(RUNS + 1):
            cpu = time.process_time()
            with gc_paused():  # as extraits.tasks.process_request
                started = time.perf_counter()
                content = extract_content([party])
                pdf = render_extract_pdf(content, reference=keys.new_reference(), access_key=keys.new_access_key())
                available = time.perf_counter()
            gc.collect(0)  # what the collector left of the render's garbage, in the worker's CPU
            if run:
                timings.append((available - started) * 1000)
                cpu_times.append((time.process_time() - cpu) * 1000)
        pages = len(PdfReader(__import__("io").BytesIO(pdf)).pages)
        target = TARGETS_MS.get(size)
        verdict = (
            ""
            if target is None
            else f"  target < {target} ms: {'met' if statistics.median(timings) < target else 'MISSED'}"
        )
        print(
            f"  {size:>3} poursuites: median {statistics.median(timings):7.1f} ms, worst {max(timings):7.1f} ms "
            f"(CPU incl. collection: median {statistics.median(cpu_times):7.1f} ms), "
            f"{pages} page(s), {len(pdf) / 1024:.0f} KiB{verdict}"
        )


def start_worker():
    command = [sys.executable, "-m", "celery", "-A", "ocp_portal", "worker", "--pool", "solo", "-l", "warning"]
    log = open(Path(tempfile.gettempdir()) / "ocp-bench-worker.log", "w")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=BASE_DIR, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    from ocp_portal.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"The Celery worker stopped; see {log.name}.")
        if app.control.ping(timeout=0.5):
            return process
    process.terminate()
    sys.exit("The Celery worker did not answer within 60 s.")


def time_end_to_end() -> None:
    import redis
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from extraits import services as extracts
    from extraits.constants import RequestState
    from extraits.models import DemandeExtrait
    from ocp_portal.accounts.models import AccountKind, Compte
    from paiements import services as payments
    from paiements.conditions import current
    from paiements.constants import Actor, PaymentState
    from paiements.gateways.base import GatewayStatus
    from paiements.models import SandboxSession

    try:
        redis.Redis.from_url(settings.CELERY_BROKER_URL).ping()
    except redis.exceptions.ConnectionError:
        print(f"\nCapture to 'disponible': skipped, no Redis at {settings.CELERY_BROKER_URL}.")
        return
    party = debtor_with(20)
    account, _ = get_user_model().objects.get_or_create(
        username="banc@exemple.ch", defaults={"email": "banc@exemple.ch", "is_active": True}
    )
    Compte.objects.get_or_create(
        user=account, defaults={"kind": AccountKind.PARTICULIER, "verified_at": timezone.now()}
    )
    worker = start_worker()
    timings = []
    try:
        for _run in range(RUNS):
            extract_request = extracts.create_request(
                account=account, kind="physique", name=party.name, first_name="Jeanne",
                birth_date=party.birth_date, street="Rue de Carouge", house_number="12", postal_code="1205",
                town="Genève", country="CH", purpose="Banc d'essai",
            )  # fmt: skip
            payment = payments.create_payment(
                purpose_code="extrait", reference=str(extract_request.public_id), instalment=None,
                email="banc@exemple.ch", conditions_version=current()[0],
            )  # fmt: skip
            payments.open_checkout(payment, return_url="http://127.0.0.1/r", cancel_url="http://127.0.0.1/a")
            SandboxSession.objects.filter(payment_public_id=payment.public_id).update(status=PaymentState.AUTHORIZED)
            status = GatewayStatus(
                state=PaymentState.AUTHORIZED, card_brand="visa", card_funding="debit", card_last4="5556"
            )
            started = time.perf_counter()
            payments.apply_status(type(payment).objects.get(pk=payment.pk), status, actor=Actor.GATEWAY)
            deadline = time.monotonic() + 60
            while DemandeExtrait.objects.get(pk=extract_request.pk).state != RequestState.DISPONIBLE:
                if time.monotonic() > deadline:
                    sys.exit("No extract after 60 s: see the worker's log.")
                time.sleep(0.02)
            timings.append(time.perf_counter() - started)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    median = statistics.median(timings)
    print(
        f"\nCapture to 'disponible' through a real worker on Redis ({RUNS} runs, 20 poursuites): "
        f"median {median:.2f} s, worst {max(timings):.2f} s  target < {TARGET_END_TO_END_S} s: "
        f"{'met' if median < TARGET_END_TO_END_S else 'MISSED'}"
    )


def main() -> None:
    media = configure()
    django.setup()
    from tests.bench.lookup import create_and_migrate

    create_and_migrate()
    time_rendering()
    time_end_to_end()
    print(f"\n(PDFs of this run under {media})")


if __name__ == "__main__":
    main()
