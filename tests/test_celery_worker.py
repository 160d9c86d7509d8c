"""A task sent through a real Celery worker over the Redis broker (CELERY_BROKER_URL)."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail

from ocp_portal import queue
from ocp_portal.celery import app
from ocp_portal.dates import today
from paiements import services
from paiements.conditions import current
from paiements.constants import Actor, PaymentState
from paiements.gateways.base import GatewayStatus
from paiements.models import Payment, SandboxSession
from tests.factories import make_poursuite

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL,
        reason="CELERY_BROKER_URL is not set: no Redis broker to run a real worker against (.ci/run sets it)",
    ),
]


@pytest.mark.django_db(transaction=True)
def test_a_captured_payment_gets_its_receipt_from_a_real_worker():
    from celery.contrib.testing.worker import start_worker

    assert not app.conf.task_always_eager
    poursuite = make_poursuite(notified_on=today() - timedelta(days=30))
    payment = services.create_payment(
        purpose_code="poursuite",
        reference=poursuite.reference,
        instalment=100,
        email="debiteur@example.ch",
        conditions_version=current()[0],
    )
    services.open_checkout(payment, return_url="http://t/r", cancel_url="http://t/a")
    SandboxSession.objects.update(status=PaymentState.AUTHORIZED)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        # The capture enqueues the receipt on commit; the worker renders and sends it.
        status = GatewayStatus(
            state=PaymentState.AUTHORIZED, card_brand="visa", card_funding="debit", card_last4="5556"
        )
        services.apply_status(Payment.objects.get(pk=payment.pk), status, actor=Actor.GATEWAY)
        deadline = time.monotonic() + 60
        while not Payment.objects.get(pk=payment.pk).receipt_sent_at and time.monotonic() < deadline:
            time.sleep(0.1)
    payment.refresh_from_db()
    assert payment.state == PaymentState.CAPTURED and payment.receipt_sent_at is not None
    assert [message.to for message in mail.outbox] == [["debiteur@example.ch"]]
    assert mail.outbox[0].attachments[0][2] == "application/pdf"


@pytest.mark.django_db(transaction=True)
def test_the_worker_of_the_tests_consumes_every_queue_and_the_beat_jobs_go_to_batch(monkeypatch, time_machine):
    """A lost receipt: the sweep (a beat job, on the "batch" queue) finds it and sends it through
    send_receipt (on "urgent"); the tests' worker, like any worker started without -Q, takes both."""
    from celery.contrib.testing.worker import start_worker

    from paiements.tasks import sweep_receipts

    assert app.amqp.router.route({}, "paiements.tasks.sweep_receipts")["queue"].name == "batch"
    assert app.amqp.router.route({}, "paiements.tasks.send_receipt")["queue"].name == "urgent"
    poursuite = make_poursuite(notified_on=today() - timedelta(days=30))
    payment = services.create_payment(
        purpose_code="poursuite",
        reference=poursuite.reference,
        instalment=100,
        email="debiteur@example.ch",
        conditions_version=current()[0],
    )
    services.open_checkout(payment, return_url="http://t/r", cancel_url="http://t/a")
    SandboxSession.objects.update(status=PaymentState.AUTHORIZED)
    status = GatewayStatus(state=PaymentState.AUTHORIZED, card_brand="visa", card_funding="debit", card_last4="5556")
    with monkeypatch.context() as lost:  # the receipt's message is lost on its way to the broker
        lost.setattr(queue, "enqueue", lambda task, *args: False)
        services.apply_status(Payment.objects.get(pk=payment.pk), status, actor=Actor.GATEWAY)
    time_machine.shift(timedelta(minutes=6))  # the sweep leaves the last five minutes to the first message
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        assert {consumed.name for consumed in worker.consumer.task_consumer.queues} == {"urgent", "batch"}
        sweep_receipts.delay()
        deadline = time.monotonic() + 60
        while not Payment.objects.get(pk=payment.pk).receipt_sent_at and time.monotonic() < deadline:
            time.sleep(0.1)
    assert Payment.objects.get(pk=payment.pk).receipt_sent_at is not None
    assert [message.to for message in mail.outbox] == [["debiteur@example.ch"]]
