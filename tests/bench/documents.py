"""Benchmark of the documents a payer or a clerk waits for: `make bench` (after the extract's).

    .venv/bin/python -m tests.bench.documents

1. On the database of the extract's benchmark (BENCH_EXTRACTS_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/ocp_bench_extraits), registers once a penal order with an
   arrangement of 8 monthly instalments and a captured card payment of a poursuite.
2. Times, in process, the instalment schedule (8 QR-bills, 9 pages) and the receipt of the card
   payment: one warm-up, then the median (and its CPU time: the machine may be shared) and the
   worst of BENCH_RUNS runs (5). Then the first schedule of a fresh Python process (WeasyPrint's
   import and first load), and of one warmed up as it started (ocp_portal.pdf.warm_up, as the
   Celery and gunicorn workers are).
3. The first card payment after the portal starts, on the embedded default (SQLite, Celery eager,
   e-mails as files, sandbox PSP), as `make run` serves it: in a temporary directory, migrates a
   SQLite database, registers a poursuite, starts `manage.py runserver --noreload`, opens the
   payment, then times the sandbox's « Payer » (the card form's POST) up to the outcome page
   received (redirects followed), and, beside it, up to the receipt written to the mail directory.

Targets (printed, never asserted): the schedule and the receipt under 1 s, « Payer » to the
outcome page under 1 s. Only 127.0.0.1 is contacted.
"""

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

BASE_DIR = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("BENCH_RUNS", 5))
TARGET_DOCUMENT_MS = 1000
TARGET_FIRST_PAYMENT_S = 1.0
INSTALMENTS = 8
BENCH_NAME = "Banc-Documents"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VISA_DEBIT = "4000 0566 5566 5556"


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


# --- In process: the schedule and the receipt ---------------------------------------------------


def arrangement_of(instalments: int):
    """A penal order (CHF 400 of fine and its émoluments) paid in `instalments` monthly instalments."""
    from contraventions import arrangements, services
    from contraventions.balance import order_balance
    from contraventions.models import ArrangementPaiement
    from ocp_portal.dates import today
    from poursuites.constants import PartyKind
    from poursuites.models import Party

    existing = ArrangementPaiement.objects.filter(ordonnance__offender__name=BENCH_NAME, state="accepte").first()
    if existing:
        return existing
    offender = Party.objects.create(
        kind=PartyKind.MORALE, name=BENCH_NAME, street="Rue du Rhône", house_number="1", postal_code="1204",
        town="Genève", uid="CHE-116.281.710",
    )  # fmt: skip
    order = services.register_order(
        offender=offender, offence="Stationnement sur une place réservée aux livraisons", fine=Decimal("400.00"),
        notification_date=today() - timedelta(days=5),
    )  # fmt: skip
    monthly = (order_balance(order).total / instalments).quantize(Decimal("1"), rounding=ROUND_CEILING)
    request = arrangements.request_arrangement(order=order, monthly_amount=monthly, email="banc@exemple.ch", on=today())
    return arrangements.accept(arrangement=request, first_due_date=today() + timedelta(days=5), on=today())


def captured_payment():
    """A card payment of a poursuite, captured (its receipt is what is timed)."""
    from ocp_portal.dates import today
    from paiements import services as payments
    from paiements.conditions import current
    from paiements.constants import Actor, PaymentState
    from paiements.gateways.base import GatewayStatus
    from paiements.models import Payment, SandboxSession
    from poursuites import services
    from poursuites.constants import EventType, PartyKind
    from poursuites.models import Party

    payment = Payment.objects.filter(email="banc-quittance@exemple.ch", state=PaymentState.CAPTURED).first()
    if payment:
        return payment
    debtor = Party.objects.create(
        kind=PartyKind.PHYSIQUE, name=BENCH_NAME, first_name="Jeanne", birth_date=date(1980, 5, 17),
        street="Rue de Carouge", house_number="12", postal_code="1205", town="Genève",
    )  # fmt: skip
    creditor = Party.objects.create(
        kind=PartyKind.MORALE, name="Créancière Banc SA", street="Rue du Rhône", house_number="1",
        postal_code="1204", town="Genève",
    )  # fmt: skip
    start = today() - timedelta(days=90)
    poursuite = services.register_poursuite(
        creditor=creditor, debtor=debtor, kind="saisie", requisition_date=start,
        claims=[{"amount": Decimal("1000"), "title": "Facture", "interest_rate": Decimal("5"), "interest_from": start}],
    )  # fmt: skip
    services.record_event(poursuite=poursuite, type=EventType.NOTIFICATION, on=start + timedelta(days=5))
    payment = payments.create_payment(
        purpose_code="poursuite", reference=poursuite.reference, instalment=Decimal("100"),
        email="banc-quittance@exemple.ch", conditions_version=current()[0],
    )  # fmt: skip
    payments.open_checkout(payment, return_url="http://127.0.0.1/r", cancel_url="http://127.0.0.1/a")
    SandboxSession.objects.filter(payment_public_id=payment.public_id).update(status=PaymentState.AUTHORIZED)
    status = GatewayStatus(state=PaymentState.AUTHORIZED, card_brand="visa", card_funding="debit", card_last4="5556")
    return payments.apply_status(Payment.objects.get(pk=payment.pk), status, actor=Actor.GATEWAY)


def documents() -> dict:
    """name -> a function making that document's PDF."""
    from contraventions.documents import schedule_pdf
    from paiements.receipts import receipt_pdf

    arrangement, payment = arrangement_of(INSTALMENTS), captured_payment()
    return {
        f"instalment schedule, {INSTALMENTS} instalments": lambda: schedule_pdf(arrangement),
        "receipt of a card payment": lambda: receipt_pdf(payment),
    }


def time_documents() -> None:
    import io

    from pypdf import PdfReader

    print(f"\nDocuments (median of {RUNS} after a warm-up, in process; CPU: this process's own time):")
    for label, make in documents().items():
        make()
        timings, cpu, pdf = [], [], b""
        for _run in range(RUNS):
            started, started_cpu = time.perf_counter(), time.process_time()
            pdf = make()
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        median = statistics.median(timings)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"  {label:34} median {median:7.1f} ms (CPU {statistics.median(cpu):6.1f} ms), "
            f"worst {max(timings):7.1f} ms, {pages} page(s)  "
            f"target < {TARGET_DOCUMENT_MS} ms: {_verdict(median < TARGET_DOCUMENT_MS)}"
        )
    for mode in ("--cold", "--warmed"):
        fresh = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "tests.bench.documents", mode], cwd=BASE_DIR, env=os.environ.copy(),
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        print(fresh.stdout.rstrip())


def time_first_schedule(warmed: bool) -> None:
    """In a fresh process, the first schedule: with WeasyPrint's import and first load, or after
    ocp_portal.pdf.warm_up as a worker process makes it when it starts."""
    import django

    django.setup()
    from ocp_portal.pdf import warm_up

    make = documents()[f"instalment schedule, {INSTALMENTS} instalments"]
    warming = ""
    if warmed:
        started = time.perf_counter()
        warm_up()
        warming = f" (after warm_up() at the start: {(time.perf_counter() - started) * 1000:.0f} ms)"
    started = time.perf_counter()
    make()
    first = (time.perf_counter() - started) * 1000
    label = "warmed process" if warmed else "fresh process"
    print(f"  first schedule in a {label}: {first:7.1f} ms{warming}")


# --- The first card payment after start, on the embedded default ----------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def embedded_environment(directory: Path) -> dict:
    """`make run`'s environment, with its database, files and e-mails in `directory`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "CELERY_", "CACHE_URL", "EMAIL_URL", "MEDIA_ROOT", "DJANGO_SETTINGS"))
    }
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{directory / 'ocp.sqlite3'}",
        MEDIA_ROOT=str(directory / "media"),
        EMAIL_URL=f"filemail:///{directory / 'mail'}",
        DJANGO_SETTINGS_MODULE="ocp_portal.settings",
    )
    return env


SETUP_EMBEDDED = """
import django; django.setup()
from datetime import timedelta
from ocp_portal.dates import today
from paiements.links import checkout_path
from tests.factories import make_poursuite
poursuite = make_poursuite(notified_on=today() - timedelta(days=30))
print(checkout_path("poursuite", poursuite.reference))
"""


def first_payment(directory: Path) -> tuple[float, float]:
    """Seconds from « Payer » to the outcome page, and to the receipt in the mail directory."""
    env = embedded_environment(directory)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=BASE_DIR, env=env, check=True)  # noqa: S603
    path = subprocess.run(  # noqa: S603
        [python, "-c", SETUP_EMBEDDED], cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    port = free_port()
    log = open(Path(tempfile.gettempdir()) / "ocp-bench-runserver.log", "w")  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603
        [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    opener = build_opener(HTTPCookieProcessor(CookieJar()))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                opener.open(f"{base}/healthz", timeout=5).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"runserver did not start; see {log.name}")
                time.sleep(0.2)

        def post(url: str, page: str, data: dict):
            token = CSRF_INPUT.search(page).group(1)
            body = urlencode({"csrfmiddlewaretoken": token, **data}).encode()
            return opener.open(Request(url, data=body, headers={"Referer": url}), timeout=60)  # noqa: S310 (127.0.0.1)

        start_url = base + path
        form = opener.open(start_url, timeout=60).read().decode()
        data = {"email": "banc@exemple.ch", "choice": "solde", "accept": "on"}
        checkout = post(start_url, form, data)
        checkout_url, checkout_page = checkout.geturl(), checkout.read().decode()
        if "/psp-test/" not in checkout_url:
            sys.exit(f"The payment did not reach the sandbox checkout ({checkout_url}); see {log.name}")
        card = {"number": VISA_DEBIT, "expiry": "12/30", "security_code": "123", "holder": "Jeanne Banc"}
        started = time.perf_counter()
        outcome = post(checkout_url, checkout_page, card)
        page = outcome.read().decode()
        to_outcome = time.perf_counter() - started
        if "/retour/" not in outcome.geturl() or "Quittance" not in page and "quittance" not in page:
            sys.exit(f"Unexpected outcome page at {outcome.geturl()}; see {log.name}")
        mail = directory / "mail"
        while not (mail.exists() and any("Quittance" in f.read_text(errors="replace") for f in mail.iterdir())):
            if time.perf_counter() - started > 60:
                sys.exit(f"No receipt after 60 s; see {log.name}")
            time.sleep(0.02)
        return to_outcome, time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        if "Traceback" in Path(log.name).read_text(errors="replace"):
            print(f"  (runserver logged an error: see {log.name})")


def time_first_payment() -> None:
    directory = Path(tempfile.mkdtemp(prefix="ocp-bench-embedded-"))
    try:
        to_outcome, to_receipt = first_payment(directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print(
        f"\nFirst card payment after `runserver` starts (embedded default: SQLite, Celery eager):\n"
        f"  « Payer » to the outcome page {to_outcome:5.2f} s  target < {TARGET_FIRST_PAYMENT_S:.0f} s: "
        f"{_verdict(to_outcome < TARGET_FIRST_PAYMENT_S)}\n"
        f"  « Payer » to the receipt in the mail directory {to_receipt:5.2f} s (after the page, in the background)"
    )


def main() -> None:
    from tests.bench.extracts import configure

    configure()
    if {"--cold", "--warmed"} & set(sys.argv):
        time_first_schedule(warmed="--warmed" in sys.argv)
        return
    import django

    django.setup()
    from tests.bench.lookup import create_and_migrate

    create_and_migrate()
    print(f"Load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    time_documents()
    time_first_payment()


if __name__ == "__main__":
    main()
