"""Benchmark of the office's electronic seal: `make bench` (after the extract benchmark).

    .venv/bin/python -m tests.bench.seal

Makes a demo PKI in a temporary folder, renders once an extract with 0, 20 and 500 poursuites and a
receipt, then times sealing each of them (ocp_portal.seal.seal_pdf: the PAdES signature with its
visible block, as the services apply it after rendering) and checking the sealed file
(ocp_portal.seal_check.check_pdf, as the verification page does): one warm-up (the key is opened, the
font cut down), then the median, the 95th percentile and the worst of BENCH_SEAL_RUNS runs (30), with
the median CPU time (the machine's load aside).
Needs no database.

Target (printed, never asserted): sealing under 100 ms per document.
"""

import os
import statistics
import tempfile
import time
from decimal import Decimal
from functools import partial
from pathlib import Path

import django

RUNS = int(os.environ.get("BENCH_SEAL_RUNS", 30))
TARGET_MS = 100  # per document, issue 18


def timed(function, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU times (ms) of `runs` calls; the CPU time tells a slow machine from a slow seal."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return sorted(wall), sorted(cpu)


def report(label: str, times: tuple[list[float], list[float]], target: float | None = None) -> None:
    wall, cpu = times
    median, p95 = statistics.median(wall), wall[min(len(wall) - 1, int(len(wall) * 0.95))]
    verdict = "" if target is None else f"  (target < {target} ms: {'met' if median < target else 'MISSED'})"
    print(
        f"  {label:<30} median {median:6.1f} ms (CPU {statistics.median(cpu):5.1f})"
        f"   p95 {p95:6.1f}   worst {wall[-1]:6.1f}{verdict}"
    )


def documents() -> dict[str, tuple[bytes, str, str]]:
    from django.utils import timezone

    from extraits.constants import SEALED_DOCUMENT
    from extraits.rendering import render_extract_pdf
    from ocp_portal.pdf import render_pdf
    from paiements.models import Payment
    from paiements.receipts import SEALED_DOCUMENT as RECEIPT
    from paiements.receipts import receipt_context
    from tests.test_pdf_documents import extract_of

    made = {}
    for rows in (0, 20, 500):
        pdf = render_extract_pdf(extract_of(rows), reference="AEL-45RX1KL1P2Q", access_key="pXnFJRsNoRJS7UD")
        made[f"extract, {rows} poursuites"] = (pdf, "AEL-45RX1KL1P2Q", SEALED_DOCUMENT)
    payment = Payment(
        label="Poursuite n° 10000001 W",
        amount=Decimal("100.00"),
        email="payeur@example.ch",
        conditions_version="2026-01",
        state="captured",
        gateway="sandbox",
        card_brand="visa",
        card_last4="5556",
        captured_at=timezone.now(),
        balance_after=Decimal("3380.55"),
    )
    made["receipt"] = (render_pdf("pdf/receipt.html", receipt_context(payment)), str(payment.public_id), RECEIPT)
    return made


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ["SEAL_DEMO_DIR"] = str(Path(tempfile.mkdtemp(prefix="ocp-bench-seal-")) / "pki")
    django.setup()
    from ocp_portal import seal
    from ocp_portal.seal_check import SealVerdict, check_pdf

    start = time.perf_counter()
    seal.ensure_demo_pki(Path(os.environ["SEAL_DEMO_DIR"]))
    print(f"Electronic seal ({RUNS} runs each; demo PKI made in {time.perf_counter() - start:.1f} s)")
    made = documents()
    first = next(iter(made.values()))
    start = time.perf_counter()
    seal.seal_pdf(first[0], reference=first[1], document=first[2])
    print(f"  first seal of the process (opens the key, cuts the font): {(time.perf_counter() - start) * 1000:.0f} ms")
    for label, (pdf, reference, document) in made.items():
        sealed = seal.seal_pdf(pdf, reference=reference, document=document)
        assert check_pdf(sealed).verdict == SealVerdict.VALID
        report(
            f"seal {label}", timed(partial(seal.seal_pdf, pdf, reference=reference, document=document), RUNS), TARGET_MS
        )
        report(f"check {label}", timed(partial(check_pdf, sealed), max(5, RUNS // 3)))
        print(f"  {'':<30} {len(pdf) / 1024:.0f} KiB rendered, +{(len(sealed) - len(pdf)) / 1024:.0f} KiB sealed")


if __name__ == "__main__":
    main()
