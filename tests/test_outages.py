"""Redis down (cache and Celery broker): the public side keeps answering, and no payment is lost.

The way to Redis is cut by pointing the cache and the broker at a closed port of this machine.
"""

import contextlib
import re
import time
from datetime import timedelta
from html import unescape

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from ocp_portal.celery import app
from ocp_portal.dates import today
from paiements.constants import PaymentState
from paiements.links import checkout_path
from paiements.models import Payment
from paiements.tasks import sweep_receipts
from tests.contraventions.conftest import make_order
from tests.factories import make_poursuite

CLOSED = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there
UNREACHABLE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CLOSED}}
VISA_DEBIT = "4000 0566 5566 5556"


@contextlib.contextmanager
def broker(url: str):
    """Celery publishes to `url` (its connection and producer pools are dropped, to be made anew)."""

    def switch(to):
        app.conf.broker_url = app.conf.broker_write_url = to
        app.close()
        app.amqp._producer_pool = None

    previous = app.conf.broker_url
    switch(url)
    try:
        yield
    finally:
        switch(previous)


@pytest.fixture
def redis_down(settings):
    """Cache and broker out of reach, tasks sent to the broker (not run eagerly)."""
    settings.CACHES = {**settings.CACHES, **UNREACHABLE_CACHE}
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    with broker(CLOSED):
        yield
    app.conf.task_always_eager = previous


def pay_by_card(client, path: str) -> Payment:
    """The payer's whole journey: the payment page, the sandbox's hosted page, back to the portal."""
    page = client.get(path)
    assert page.status_code == 200
    form = {"choice": "solde", "email": "payeur@example.ch", "accept": "on"}
    to_psp = client.post(path, form)
    assert to_psp.status_code == 302, unescape(to_psp.content.decode())
    card = {"number": VISA_DEBIT, "expiry": "12/30", "security_code": "123", "holder": "Jean Dupont"}
    back = client.post(to_psp["Location"], card)
    assert back.status_code == 302
    outcome = client.get(back["Location"])
    assert outcome.status_code == 200
    assert "Paiement accepté" in unescape(outcome.content.decode())
    return Payment.objects.get(public_id=re.search(r"/paiements/([0-9a-f-]{36})/", back["Location"]).group(1))


@pytest.mark.django_db(transaction=True)
def test_lookups_and_payments_answer_while_redis_is_down(client, redis_down, caplog):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=30))
    order = make_order()
    for _ in range(3):
        lookup = client.post(
            reverse("poursuites:balance_lookup"),
            {"number": f"{poursuite.number:08d}", "key_letter": poursuite.key_letter, "payment_date": today()},
        )
        assert lookup.status_code == 200 and "result-title" in lookup.content.decode()
        penal = client.post(reverse("contraventions:pay"), {"reference": order.qr_reference})
        assert penal.status_code == 200 and "Ordonnance pénale" in unescape(penal.content.decode())
    payment = pay_by_card(client, checkout_path("poursuite", poursuite.reference))
    assert payment.state == PaymentState.CAPTURED and payment.receipt_sent_at is None
    assert mail.outbox == []
    assert "broker unreachable, paiements.tasks.send_receipt" in caplog.text


def test_the_rate_limit_still_holds_in_memory_while_the_cache_is_down(client, settings, db, caplog, monkeypatch):
    from ocp_portal import ratelimit

    monkeypatch.setattr(ratelimit, "_warned_at", float("-inf"))
    settings.CACHES, settings.LOOKUP_RATE_LIMIT = {**settings.CACHES, **UNREACHABLE_CACHE}, 2
    data = {"number": "00000001", "key_letter": "R", "payment_date": today()}
    statuses = [client.post(reverse("poursuites:balance_lookup"), data).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert caplog.text.count("rate-limit cache unreachable") == 1  # once a minute, not once a request


@pytest.mark.worker
@pytest.mark.skipif(
    not settings.CELERY_BROKER_URL,
    reason="CELERY_BROKER_URL is not set: no Redis broker to run a real worker against (.ci/run sets it)",
)
@pytest.mark.django_db(transaction=True)
def test_the_sweep_sends_the_receipt_once_redis_is_back(client, time_machine):
    from celery.contrib.testing.worker import start_worker

    poursuite = make_poursuite(notified_on=today() - timedelta(days=30))
    with broker(CLOSED):
        payment = pay_by_card(client, checkout_path("poursuite", poursuite.reference))
    assert payment.receipt_sent_at is None
    time_machine.shift(timedelta(minutes=6))  # the sweep leaves the last five minutes to the first message
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        sweep_receipts.delay()
        sweep_receipts.delay()  # twice: the receipt still leaves once
        deadline = time.monotonic() + 60
        while not Payment.objects.get(pk=payment.pk).receipt_sent_at and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
    payment.refresh_from_db()
    assert payment.receipt_sent_at is not None
    assert [message.to for message in mail.outbox] == [["payeur@example.ch"]]
