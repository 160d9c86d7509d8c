"""The documents' machinery loaded before anyone waits for it, and the embedded default's tasks run
beside the requests (ocp_portal.queue.run_in_background), never in the page a payer waits for."""

import gc
import os
import subprocess
import sys
import time
from datetime import timedelta
from queue import SimpleQueue

import pytest
from celery.signals import worker_process_init
from django.core import mail

from ocp_portal import pdf, queue
from ocp_portal.celery import app
from ocp_portal.dates import today
from paiements.constants import PaymentState
from paiements.links import checkout_path
from paiements.models import Payment
from tests.factories import make_poursuite

VISA_DEBIT = "4000 0566 5566 5556"


def start_payment(client) -> str:
    """Up to the sandbox PSP's card form, as a payer does; returns the form's address."""
    poursuite = make_poursuite(notified_on=today() - timedelta(days=30))
    data = {"choice": "acompte", "instalment": "100", "email": "payeur@example.ch", "accept": "on"}
    to_psp = client.post(checkout_path("poursuite", poursuite.reference), data)
    assert to_psp.status_code == 302, to_psp.content.decode()
    return to_psp["Location"]


def card_form(client, url: str):
    card = {"number": VISA_DEBIT, "expiry": "12/30", "security_code": "123", "holder": "Léa Rochat"}
    return client.post(url, card, follow=True)


def test_a_worker_process_loads_the_pdf_machinery_before_its_first_task(monkeypatch):
    monkeypatch.setattr(pdf, "_warm", False)
    worker_process_init.send(sender="celery@test")  # what each prefork (or solo) process sends as it starts
    assert pdf._warm
    assert "weasyprint" in sys.modules and "pyhanko.sign" in sys.modules


def test_a_rendering_pauses_the_cyclic_collector_and_gives_it_back():
    assert gc.isenabled()
    with pdf.gc_paused():
        with pdf.gc_paused():  # renderings overlapping in two threads
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_html_parser_compiles_each_of_its_expressions_once(monkeypatch):
    """tinyhtml5 2.1.0 stored its compiled expressions under keys it never looks up, and built them
    again for every attribute name and run of text (half of an extract's parsing); the tree is the same."""
    import tinyhtml5
    from tinyhtml5 import constants, inputstream

    html = "<p class=\"a\" data-label='x&amp;y' hidden>Texte <b>gras</b> &eacute;t&eacute; 1 &lt; 2</p><!-- c -->"

    def tree(element):
        return element.tag, sorted(element.attrib.items()), element.text, element.tail, [tree(c) for c in element]

    monkeypatch.setattr(inputstream, "characters_until_regex", {})
    before = tree(tinyhtml5.parse(html))
    pdf._fix_tinyhtml5_cache()
    after = tree(tinyhtml5.parse(html))
    assert after == before
    assert (constants.ascii_letters, True) in inputstream.characters_until_regex
    compiled = inputstream.characters_until_regex[(constants.ascii_letters, True)]
    tinyhtml5.parse(html)
    assert inputstream.characters_until_regex[(constants.ascii_letters, True)] is compiled


def test_the_extract_task_keeps_the_collector_paused_until_the_extract_is_stored(monkeypatch):
    """The render's garbage is collected once the request is committed "disponible", not before."""
    from extraits import services, tasks

    seen = []
    monkeypatch.setattr(services, "process_request", lambda pk: seen.append(gc.isenabled()) or "disponible")
    assert tasks.process_request(1) == "disponible"
    assert seen == [False]
    assert gc.isenabled()


def test_weasyprint_draws_a_text_with_the_pango_layout_it_laid_it_out_with(monkeypatch):
    """WeasyPrint 70 made a new Pango layout for each text it drew and shaped the text again (5 % of
    an extract); the one it laid the text out with is kept and gives the same PDF, byte for byte."""
    from weasyprint import HTML
    from weasyprint.text import line_break

    html = (
        '<html lang="fr-CH"><p style="width: 40mm">Office cantonal des poursuites, CHF 1\'234.50</p>'
        '<p style="width: 40mm; text-align: justify">Un texte justifié sur plusieurs lignes, dessiné avec '
        "une mise en page nouvelle.</p><table><tr><td style='overflow-wrap: anywhere'>Créancière SA</td></tr></table>"
    )
    kept = line_break.Layout.deactivate, line_break.Layout.reactivate
    upstream = getattr(kept[0], "upstream", kept[0]), getattr(kept[1], "upstream", kept[1])
    monkeypatch.setattr(line_break.Layout, "deactivate", upstream[0])
    monkeypatch.setattr(line_break.Layout, "reactivate", upstream[1])
    setups = []
    setup = line_break.Layout.setup
    monkeypatch.setattr(line_break.Layout, "setup", lambda self, style: setups.append(1) or setup(self, style))

    def render():
        document = HTML(string=html).render()
        setups.clear()
        return document.write_pdf(uncompressed_pdf=True), len(setups)

    before, new_layouts_before = render()
    pdf._keep_text_layouts()
    after, new_layouts_after = render()
    assert after == before
    assert new_layouts_after < new_layouts_before  # the justified lines still get new ones


def test_pdf_streams_are_compressed_at_zlibs_default_level(monkeypatch):
    """pydyf compresses at level 9: four times the CPU of level 6 for 3 % less."""
    import zlib

    import pydyf

    monkeypatch.setattr(pydyf, "zlib", zlib)
    content = [f"{i} {i * 7919 % 1000} Td <{i * 31 % 4096:04x}> Tj".encode() for i in range(3000)]
    level = {n: zlib.compress(b"\n".join(content), n) for n in (6, 9)}
    assert level[6] != level[9]
    pdf._fix_pydyf_level()
    data = pydyf.Stream(content, compress=True).data
    assert level[6] in data and level[9] not in data


@pytest.mark.django_db
def test_in_the_embedded_default_the_payer_does_not_wait_for_the_receipt(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    """With the background thread running, the capture only hands the receipt to it: the outcome page
    comes back before any PDF is made."""
    monkeypatch.setattr(queue, "_background", SimpleQueue())
    checkout = start_payment(client)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = card_form(client, checkout)
    assert outcome.status_code == 200 and "Paiement accepté" in outcome.content.decode()
    payment = Payment.objects.get()
    assert payment.state == PaymentState.CAPTURED and payment.receipt_sent_at is None and not mail.outbox
    assert queue._background.get_nowait() == ("paiements.tasks.send_receipt", (payment.pk,))
    assert queue._background.empty()


@pytest.mark.django_db(transaction=True)
def test_the_background_thread_sends_the_receipt_and_runs_the_sweeps(client):
    checkout = start_payment(client)
    queue.run_in_background()
    try:
        assert card_form(client, checkout).status_code == 200
        deadline = time.monotonic() + 60
        while not Payment.objects.get().receipt_sent_at and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        queue.stop_background()
    assert Payment.objects.get().receipt_sent_at is not None
    assert [message.to for message in mail.outbox] == [["payeur@example.ch"]]
    assert app.conf.task_always_eager  # the suite's eager mode is back: tasks run in the sender again
    assert queue._background is None


@pytest.mark.django_db(transaction=True)
def test_a_receipt_that_a_stop_left_unsent_is_sent_after_the_next_start(client, monkeypatch, time_machine):
    """The process stopped with the receipt still in its background queue: the sweep, which the
    thread runs as it starts, finds it."""
    checkout = start_payment(client)
    with monkeypatch.context() as stopped:
        stopped.setattr(queue, "_background", SimpleQueue())  # never run: the process stops
        assert card_form(client, checkout).status_code == 200
    assert Payment.objects.get().receipt_sent_at is None
    time_machine.shift(timedelta(minutes=6))  # the sweep leaves the last five minutes to the first message
    queue.run_in_background()
    try:
        deadline = time.monotonic() + 60
        while not Payment.objects.get().receipt_sent_at and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        queue.stop_background()
    assert Payment.objects.get().receipt_sent_at is not None
    assert [message.to for message in mail.outbox] == [["payeur@example.ch"]]


def test_a_fresh_web_process_finds_every_task_of_the_beat_schedule():
    """The background thread of a web process that has not yet used a task's module still finds it
    (a sweep of extracts, run at the start, was « not registered »)."""
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from ocp_portal.queue import task_named\n"
        "print(sorted(task_named(entry['task']).name for entry in settings.CELERY_BEAT_SCHEDULE.values()))\n"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stderr
    assert "extraits.tasks.sweep_requests" in result.stdout


def test_the_documents_of_a_thread_share_one_font_configuration(monkeypatch):
    """WeasyPrint would load Fontconfig again for each document, and keep part of it: a worker's
    memory grew with every burst of orders."""
    from weasyprint.text import fonts

    from ocp_portal.pdf import render_pdf

    made = []
    real = fonts.FontConfiguration

    class Counted(real):
        def __init__(self):
            made.append(self)
            super().__init__()

    monkeypatch.setattr(fonts, "FontConfiguration", Counted)
    monkeypatch.setattr("weasyprint.document.FontConfiguration", Counted)  # WeasyPrint's own, per document
    monkeypatch.setattr(pdf._fonts, "config", None, raising=False)  # this thread's, made afresh here
    for _ in range(3):
        assert render_pdf("pdf/counter_receipt.html", {}).startswith(b"%PDF")
    assert len(made) == 1


@pytest.mark.django_db
def test_a_sweep_hands_each_receipt_to_the_thread_as_a_job_of_its_own(client, monkeypatch, time_machine):
    """A receipt that keeps failing must not hold back the others: in the background thread the sweep
    queues one job per receipt instead of running them one after the other in its own (found by a
    review: one failing PDF stopped every later receipt, at every sweep)."""
    from paiements.tasks import sweep_receipts

    for _ in range(3):
        card_form(client, start_payment(client))
    Payment.objects.update(receipt_sent_at=None)
    mail.outbox.clear()
    time_machine.shift(timedelta(minutes=6))
    monkeypatch.setattr(queue, "_background", SimpleQueue())
    assert sweep_receipts() == 3
    jobs = [queue._background.get_nowait() for _ in range(3)]
    assert sorted(args for _name, args in jobs) == sorted((pk,) for pk in Payment.objects.values_list("pk", flat=True))
    assert not mail.outbox  # nothing sent by the sweep itself


def test_a_task_that_asks_to_be_retried_runs_again_in_the_background_thread(monkeypatch):
    """An SMTP server down makes a task ask for a retry (`autoretry_for`): the thread tries it again
    later, as a worker would, instead of dropping it (found by a review)."""
    calls = []

    @app.task(name="tests.flaky_mail", autoretry_for=(OSError,), retry_kwargs={"max_retries": 3})
    def flaky_mail():
        calls.append(1)
        if len(calls) < 3:
            raise OSError("SMTP down")
        return True

    background = SimpleQueue()
    monkeypatch.setattr(queue, "_background", background)
    queue.run_task("tests.flaky_mail", ())
    for _ in range(2):
        job = background.get(timeout=10)  # put back after the backoff (1 s, then 2 s)
        queue.run_task(*job)
    assert len(calls) == 3 and background.empty()
