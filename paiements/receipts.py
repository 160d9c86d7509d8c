"""Receipts (quittances): one PDF e-mailed per captured payment, never twice, never lost."""

import logging
import uuid
from smtplib import SMTPRecipientsRefused

from django.core.mail import BadHeaderError, EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ocp_portal.pdf import render_pdf
from ocp_portal.seal import seal_pdf
from ocp_portal.text import one_line

from .constants import IncidentKind, PaymentState
from .models import Payment
from .purposes import Purpose, registry
from .state import record_incident

# What a retry cannot cure: a header Django refuses, an address the mail server refuses.
PERMANENT_MAIL_ERRORS = (BadHeaderError, SMTPRecipientsRefused)

log = logging.getLogger(__name__)

# What the seal names the document as; its reference is the payment's public id (« Numéro de transaction »).
SEALED_DOCUMENT = "Quittance de paiement"


def receipt_filename(payment: Payment) -> str:
    return f"quittance-{payment.public_id}.pdf"


def receipt_context(payment: Payment) -> dict:
    purpose = registry.get(payment.purpose) or Purpose()
    return {
        "payment": payment,
        "office": purpose.issuer,
        "paid_for": purpose.paid_for(payment),
        "notes": purpose.receipt_notes(payment),
    }


def receipt_pdf(payment: Payment, context: dict | None = None) -> bytes:
    """The receipt of a captured payment, sealed by the office so that the payer can prove the payment.
    It is not stored: it is made from the payment's own row (amount, capture time, card, balance after)
    each time, so the copy downloaded later says what the one e-mailed said (under a seal of its own time)."""
    pdf = render_pdf("pdf/receipt.html", context or receipt_context(payment))
    return seal_pdf(pdf, reference=str(payment.public_id), document=SEALED_DOCUMENT)


def sealed_receipt_payment(reference: str) -> Payment | None:
    """The captured payment whose receipt carries `reference` in its seal (ocp_portal.seal_check)."""
    try:
        return Payment.objects.filter(public_id=uuid.UUID(reference), state=PaymentState.CAPTURED).first()
    except ValueError:
        return None


def send_receipt(payment_id: int) -> bool:
    """Send the receipt of a captured payment once; True when it was sent now.

    The row stays locked while sending, so two workers never both send it; if sending fails
    the transaction rolls back and the task (or the sweep) tries again. A failure that no retry
    can cure (the address refused by the mail server) is an incident for the clerks instead; the
    sweep leaves the payment alone until a clerk closes it.
    """
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.state != PaymentState.CAPTURED or payment.receipt_sent_at:
            return False
        context = receipt_context(payment)
        message = EmailMessage(
            subject=one_line(f"Quittance de paiement — {payment.label}"),
            body=render_to_string("paiements/email/receipt.txt", context),
            from_email=context["office"].sender,
            to=[payment.email],
        )
        message.attach(receipt_filename(payment), receipt_pdf(payment, context), "application/pdf")
        try:
            message.send()
        except PERMANENT_MAIL_ERRORS as error:
            record_incident(
                IncidentKind.RECEIPT_UNDELIVERABLE,
                f"La quittance ne peut pas être envoyée à {payment.email} ({type(error).__name__}) : "
                "corriger l'adresse, puis clore l'incident pour qu'elle reparte.",
                payment,
            )
            return False
        payment.receipt_sent_at = timezone.now()
        payment.save(update_fields=["receipt_sent_at", "updated_at"])
    log.info("receipt sent for payment %s", payment.public_id)
    return True
