"""Thin Celery tasks: ids in, idempotent, retried; the sweep finds work a lost message left undone."""

from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from . import notices, services
from .constants import RequestState
from .models import DemandeExtrait, Extrait

RETRY = {"retry_backoff": True, "retry_kwargs": {"max_retries": 8}}


@shared_task(autoretry_for=(OperationalError, OSError), **RETRY)
def process_request(request_id: int) -> str:
    return services.process_request(request_id)


@shared_task(autoretry_for=(SMTPException, OSError), **RETRY)
def send_payment_confirmation(request_id: int) -> bool:
    return notices.send_payment_confirmation(request_id)


@shared_task(autoretry_for=(SMTPException, OSError), **RETRY)
def send_ready_notice(document_id: int) -> bool:
    return notices.send_ready_notice(document_id)


@shared_task
def sweep_requests() -> int:
    """Paid requests never issued, and mails never sent, some minutes after the fact; a request
    still not issued after EXTRACT_STUCK_AFTER (a rendering that keeps failing) goes to the clerks."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.EXTRACT_SWEEP_AFTER)
    paid = DemandeExtrait.objects.filter(paid_at__lt=stale)
    unissued = paid.filter(state__in=[RequestState.PAYEE, RequestState.EN_TRAITEMENT])
    stuck = now - timedelta(seconds=settings.EXTRACT_STUCK_AFTER)
    work = 0
    for request_id in unissued.filter(paid_at__lt=stuck).values_list("pk", flat=True):
        work += services.hand_to_clerks(request_id)
    for request_id in unissued.filter(paid_at__gte=stuck).values_list("pk", flat=True):
        process_request.delay(request_id)
        work += 1
    for request_id in paid.filter(confirmation_sent_at__isnull=True).values_list("pk", flat=True):
        send_payment_confirmation.delay(request_id)
        work += 1
    unsent = Extrait.objects.filter(
        ready_notice_sent_at__isnull=True, superseded_at__isnull=True, issued_at__lt=stale
    ).values_list("pk", flat=True)
    for document_id in unsent:
        send_ready_notice.delay(document_id)
        work += 1
    return work
