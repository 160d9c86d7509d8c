from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ocp_portal.queue import enqueue

from . import receipts, services
from .constants import Actor, IncidentKind, PaymentState
from .gateways.base import GatewayError
from .models import Incident, Payment
from .state import record_incident, transition


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_kwargs={"max_retries": 8})
def send_receipt(payment_id: int) -> bool:
    return receipts.send_receipt(payment_id)


@shared_task
def sweep_receipts() -> int:
    """Captured payments whose receipt was never sent (lost message, SMTP down) get it now."""
    stale = timezone.now() - timedelta(minutes=5)
    undeliverable = Incident.objects.filter(kind=IncidentKind.RECEIPT_UNDELIVERABLE, closed_at__isnull=True)
    ids = list(
        Payment.objects.filter(state=PaymentState.CAPTURED, receipt_sent_at__isnull=True, captured_at__lt=stale)
        .exclude(Exists(undeliverable.filter(payment=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    for payment_id in ids:
        enqueue(send_receipt, payment_id)
    return len(ids)


@shared_task
def reconcile_payments() -> int:
    """Payments still open or authorized after their time are moved to their real PSP state."""
    stale = timezone.now() - timedelta(seconds=settings.PAYMENT_RECONCILE_AFTER)
    pending = Payment.objects.filter(
        state__in=[PaymentState.CREATED, PaymentState.OPEN, PaymentState.AUTHORIZED], created_at__lt=stale
    )
    moved = 0
    for payment in pending.iterator():
        if not payment.gateway_session_id:
            transition(payment.pk, PaymentState.FAILED, actor=Actor.RECONCILIATION, detail="jamais ouvert")
            moved += 1
            continue
        try:
            after = services.refresh_from_gateway(payment, actor=Actor.RECONCILIATION)
        except GatewayError as error:
            record_incident(IncidentKind.GATEWAY_ERROR, f"Rapprochement impossible : {error}", payment)
            continue
        moved += after.state != payment.state
    return moved
