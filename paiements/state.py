"""The payment state machine: the one service through which every state change goes.

Whatever the source (payer's return, PSP webhook, sandbox callback, reconciliation, clerk), a
move is made under a row lock, refused when illegal, and written as a PaymentEvent. The move to
`captured` applies the money through the purpose in the same transaction, so it lands once.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocp_portal.queue import enqueue_on_commit

from .constants import IncidentKind, PaymentState
from .models import Incident, Payment, PaymentEvent
from .purposes import NotPayable, registry

log = logging.getLogger(__name__)
P = PaymentState

FINAL_STATES = frozenset({P.CAPTURED, P.REFUSED, P.CANCELLED, P.EXPIRED, P.FAILED})
TRANSITIONS = {
    P.CREATED: frozenset({P.OPEN, P.CANCELLED, P.FAILED}),
    P.OPEN: frozenset({P.AUTHORIZED, P.CAPTURED, P.REFUSED, P.CANCELLED, P.EXPIRED, P.FAILED}),
    P.AUTHORIZED: frozenset({P.CAPTURED, P.CANCELLED, P.EXPIRED, P.FAILED}),
    # Money the PSP really captured is recorded even after we had given up on the payment.
    P.REFUSED: frozenset({P.CAPTURED}),
    P.CANCELLED: frozenset({P.CAPTURED}),
    P.EXPIRED: frozenset({P.CAPTURED}),
    P.FAILED: frozenset({P.CAPTURED}),
    P.CAPTURED: frozenset(),
}
# Why a payment did not go through, as the PSP or the portal says it (Payment.failure_reason).
# Only a fault of the PSP is an incident: a card refused by its bank or as a credit card is the
# payer's business, and the clerk reads the reason on the payment's page.
FAILURE_REASONS = {
    "declined": _("Carte refusée par la banque émettrice (fonds insuffisants, carte bloquée ou autre motif)."),
    "card_not_accepted": _(
        "Carte non admise : seules les cartes de débit Visa et Mastercard sont acceptées "
        "(carte de crédit, prépayée ou d'une autre marque) ; le montant réservé a été libéré."
    ),
    "amount_mismatch": _("Montant annoncé par le prestataire différent du paiement ; le montant réservé a été libéré."),
    "processing_error": _("Erreur de traitement chez le prestataire de paiement ; un incident a été signalé."),
}
PSP_FAULTS = frozenset({"processing_error"})


def failure_text(reason: str) -> str:
    """The reason in French for the clerks; an unknown code as the PSP gave it."""
    return str(FAILURE_REASONS.get(reason, reason))


CARD_FIELDS = ("card_brand", "card_funding", "card_last4", "gateway_payment_id", "failure_reason")


@dataclass(frozen=True)
class Move:
    payment: Payment
    changed: bool


def record_incident(kind: str, detail: str, payment: Payment | None = None) -> Incident:
    log.warning("payment incident %s payment=%s: %s", kind, payment.public_id if payment else "-", detail)
    return Incident.objects.create(kind=kind, payment=payment, detail=detail)


def transition(
    payment_id: int,
    to: str,
    *,
    actor: str,
    psp_event_id: str = "",
    detail: str = "",
    user=None,
    **fields,
) -> Move:
    """Move the payment to `to`. Same state again: nothing happens (replays are harmless).
    An illegal move changes nothing and returns changed=False."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        current = P(payment.state)
        for name, value in fields.items():
            if name in CARD_FIELDS and value and not getattr(payment, name):
                setattr(payment, name, value)
        if to == current or to not in TRANSITIONS[current]:
            if fields:
                payment.save()
            if to != current and current != P.CAPTURED:
                log.info("ignored move %s -> %s for payment %s", current, to, payment.public_id)
            return Move(payment, False)
        if current in FINAL_STATES:
            record_incident(
                IncidentKind.ILLEGAL_TRANSITION,
                f"Le prestataire annonce un encaissement pour un paiement déjà « {current.label} ».",
                payment,
            )
        payment.state = to
        if to == P.CAPTURED:
            payment.captured_at = timezone.now()
            _apply_money(payment)
        payment.save()
        PaymentEvent.objects.create(
            payment=payment,
            from_state=current,
            to_state=to,
            actor=actor,
            user=user if user is not None and user.is_authenticated else None,
            psp_event_id=psp_event_id,
            detail=detail[:255],
        )
        if to == P.CAPTURED:
            from .tasks import send_receipt

            enqueue_on_commit(send_receipt, payment.pk)
    log.info("payment %s %s -> %s by %s", payment.public_id, current, to, actor)
    return Move(payment, True)


def _apply_money(payment: Payment) -> None:
    """Hand the captured money to the purpose, once. If the object can no longer take it, the
    capture is still recorded and the whole amount is flagged for a refund decision."""
    purpose = registry[payment.purpose]
    try:
        with transaction.atomic():
            obj = purpose.resolve(payment.object_reference, for_update=True)
            if obj is None:
                raise NotPayable(f"{payment.object_reference} introuvable")
            outcome = purpose.on_captured(obj, payment)
    except NotPayable as error:
        payment.applied_amount, payment.surplus = 0, payment.amount
        record_incident(
            IncidentKind.NOT_PAYABLE,
            f"Montant encaissé mais non imputé ({error}) : décider du remboursement de {payment.amount} CHF.",
            payment,
        )
        return
    payment.applied_amount, payment.surplus, payment.balance_after = (
        outcome.applied,
        outcome.surplus,
        outcome.new_balance,
    )
    if outcome.surplus:
        record_incident(
            IncidentKind.OVERPAYMENT,
            f"Paiement de {payment.amount} CHF pour un solde dû de {outcome.applied} CHF : "
            f"trop-perçu de {outcome.surplus} CHF à rembourser.",
            payment,
        )
