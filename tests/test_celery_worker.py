"""A task sent through a real Celery worker over the Redis broker (CELERY_BROKER_URL)."""

import time

import pytest
from django.conf import settings
from django.core import mail

from ocp_portal.celery import app
from ocp_portal.tasks import send_email

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL,
        reason="CELERY_BROKER_URL is not set: no Redis broker to run a real worker against (.ci/run sets it)",
    ),
]


def test_task_goes_through_redis_to_a_real_worker_and_is_done():
    from celery.contrib.testing.worker import start_worker

    assert not app.conf.task_always_eager
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        send_email.delay(to=["debiteur@example.ch"], subject="Quittance", body="Paiement reçu.")
        deadline = time.monotonic() + 30
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.05)
    assert [message.subject for message in mail.outbox] == ["Quittance"]
    assert mail.outbox[0].to == ["debiteur@example.ch"]
