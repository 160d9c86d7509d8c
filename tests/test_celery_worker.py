"""A task sent through a real Celery worker over the Redis broker (CELERY_BROKER_URL)."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail

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
