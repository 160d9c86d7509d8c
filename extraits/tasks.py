"""Thin Celery tasks: ids in, idempotent, retried; the sweep finds work a lost message left undone."""

from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from ocp_portal.pdf import gc_paused
from ocp_portal.queue import enqueue

from . import notices, selectors, services

RETRY = {"retry_backoff": True, "retry_kwargs": {"max_retries": 8}}


@shared_task(autoretry_for=(OperationalError, OSError), **RETRY)
def process_request(extract_request_id: int) -> str:
    """The cyclic collector stays paused until the extract is stored and its request committed
    "disponible": the render's garbage (some 190,000 objects in cycles for 500 poursuites, 120 ms
    of CPU) is collected once the orderer can download the extract, not while the orderer waits."""
    with gc_paused():
        return services.process_request(extract_request_id)


@shared_task(autoretry_for=(SMTPException, OSError), **RETRY)
def send_payment_confirmation(extract_request_id: int) -> bool:
    return notices.send_payment_confirmation(extract_request_id)


@shared_task(autoretry_for=(SMTPException, OSError), **RETRY)
def send_ready_notice(document_id: int) -> bool:
    return notices.send_ready_notice(document_id)


@shared_task
def sweep_requests() -> int:
    """Redo what a lost message left undone (selectors.unfinished_work), through the same tasks."""
    work = selectors.unfinished_work(timezone.now())
    for extract_request_id in work.stuck:
        services.hand_to_clerks(extract_request_id)
    for extract_request_id in work.unissued:
        enqueue(process_request, extract_request_id)
    for extract_request_id in work.unconfirmed:
        enqueue(send_payment_confirmation, extract_request_id)
    for document_id in work.unannounced:
        enqueue(send_ready_notice, document_id)
    return work.count
