"""Card payment workflows: start a checkout, take the PSP's word, capture, cancel, refund.

State changes all go through `state.transition`; PSP calls all go through a Gateway.
"""

import logging
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocp_portal.dates import today
from ocp_portal.formats import format_chf
from ocp_portal.money import ZERO, chf, to_centimes

from .constants import ACCEPTED_BRANDS, ACCEPTED_FUNDING, MIN_INSTALMENT, Actor, IncidentKind, PaymentState
from .gateways import get_gateway
from .gateways.base import BadSignature, GatewayError, GatewayStatus, Notification
from .models import GatewayEvent, Incident, Payment, Refund
from .purposes import registry
from .state import PSP_FAULTS, record_incident, transition

log = logging.getLogger(__name__)
P = PaymentState


def checkout_amount(purpose, obj, *, instalment: Decimal | None) -> Decimal:
    """The amount to pay: the balance, or an instalment between CHF 10 and the balance."""
    due = purpose.amount_due(obj, today())
    if due <= ZERO:
        raise ValidationError(_("Aucun montant n'est dû : il n'y a rien à payer."), code="nothing_due")
    if instalment is None:
        return due
    instalment = chf(instalment)
    minimum = Decimal(MIN_INSTALMENT)
    if not purpose.allows_instalments(obj):
        raise ValidationError(_("Cet objet se paie en une fois."), code="no_instalment")
    if instalment < minimum or instalment > due:
        raise ValidationError(
            _("Un acompte est compris entre %(min)s et le solde de %(due)s.")
            % {"min": format_chf(minimum), "due": format_chf(due)},
            code="instalment_range",
        )
    return instalment


def create_payment(
    *, purpose_code: str, reference: str, instalment: Decimal | None, email: str, conditions_version: str
) -> Payment:
    purpose = registry[purpose_code]
    obj = purpose.resolve(reference)
    if obj is None:
        raise ValidationError(_("Cet objet n'existe plus."), code="unknown")
    amount = checkout_amount(purpose, obj, instalment=instalment)
    return Payment.objects.create(
        purpose=purpose_code,
        object_reference=reference,
        label=purpose.describe(obj),
        amount=amount,
        is_instalment=instalment is not None and amount < purpose.amount_due(obj, today()),
        email=email,
        conditions_version=conditions_version,
        gateway=get_gateway().name,
    )


def open_checkout(payment: Payment, *, return_url: str, cancel_url: str) -> str:
    """Open the hosted checkout and return where to send the payer; raises GatewayError."""
    gateway = get_gateway(payment.gateway)
    try:
        checkout = gateway.start(payment, return_url=return_url, cancel_url=cancel_url)
    except GatewayError as error:
        record_incident(IncidentKind.GATEWAY_ERROR, f"Ouverture du paiement impossible : {error}", payment)
        transition(payment.pk, P.FAILED, actor=Actor.GATEWAY, detail=str(error))
        raise
    Payment.objects.filter(pk=payment.pk).update(gateway_session_id=checkout.session_id, expires_at=checkout.expires_at)
    transition(payment.pk, P.OPEN, actor=Actor.PAYER, detail=_("Payeur envoyé sur la page de paiement"))
    return checkout.redirect_url


def card_is_accepted(status: GatewayStatus) -> bool:
    """Visa debit and Mastercard debit only (seed 000 §2-3)."""
    return status.card_brand in ACCEPTED_BRANDS and status.card_funding in ACCEPTED_FUNDING


def apply_status(payment: Payment, status: GatewayStatus, *, actor: str, psp_event_id: str = "") -> Payment:
    """Bring the payment to what the PSP says; check the card and capture what is authorized."""
    card = {
        "card_brand": status.card_brand,
        "card_funding": status.card_funding,
        "card_last4": status.card_last4,
        "gateway_payment_id": status.payment_id,
        "failure_reason": status.failure_reason,
    }
    gateway = get_gateway(payment.gateway)
    if status.amount_centimes is not None and status.amount_centimes != to_centimes(payment.amount):
        record_incident(
            IncidentKind.AMOUNT_MISMATCH,
            f"Le prestataire annonce {status.amount_centimes} centimes pour un paiement de {payment.amount} CHF.",
            payment,
        )
        if status.state in (P.OPEN, P.AUTHORIZED):
            # Keep the PSP's payment id first: it names the hold to release.
            payment = transition(payment.pk, payment.state, actor=actor, **card).payment
            return _release(
                payment, gateway, actor=actor, reason="amount_mismatch", psp_event_id=psp_event_id, card=card
            )
        if status.state != P.CAPTURED:
            return transition(payment.pk, status.state, actor=actor, psp_event_id=psp_event_id, **card).payment
    if status.state == P.AUTHORIZED:
        payment = transition(payment.pk, P.AUTHORIZED, actor=actor, psp_event_id=psp_event_id, **card).payment
        if payment.state != P.AUTHORIZED:
            return payment  # already captured or released by another delivery
        if not card_is_accepted(status):
            return _release(
                payment, gateway, actor=actor, reason="card_not_accepted", psp_event_id=psp_event_id, card=card
            )
        try:
            captured = gateway.capture(payment)
        except GatewayError as error:
            record_incident(IncidentKind.CAPTURE_FAILED, f"Encaissement impossible : {error}", payment)
            return payment  # still authorized: the reconciliation asks again
        if captured.state != P.CAPTURED:
            record_incident(IncidentKind.CAPTURE_FAILED, f"Le prestataire répond « {captured.state} ».", payment)
            return payment
        return transition(payment.pk, P.CAPTURED, actor=actor, psp_event_id=psp_event_id).payment
    if status.state == P.OPEN:
        payment = transition(payment.pk, P.OPEN, actor=actor, psp_event_id=psp_event_id, **card).payment
        if status.failure_reason in PSP_FAULTS:
            # The payer may try again on the PSP's page: the payment stays open, the fault is recorded.
            _record_psp_fault(payment, status.failure_reason, psp_event_id)
        return payment
    move = transition(payment.pk, status.state, actor=actor, psp_event_id=psp_event_id, **card)
    if move.changed and status.state == P.FAILED:
        _record_psp_fault(move.payment, status.failure_reason or "processing_error", psp_event_id)
    return move.payment


def _record_psp_fault(payment: Payment, reason: str, psp_event_id: str) -> None:
    """A processing error at the PSP is an anomaly for the office (seed 000); a refused card is not."""
    record_incident(
        IncidentKind.GATEWAY_ERROR,
        f"Erreur de traitement chez le prestataire ({payment.gateway}, motif « {reason} »"
        + (f", événement {psp_event_id}" if psp_event_id else "")
        + ").",
        payment,
    )


def _release(payment, gateway, *, actor, reason, psp_event_id, card) -> Payment:
    """Release the hold (or close the checkout) and mark the payment cancelled."""
    try:
        gateway.cancel(payment)
    except GatewayError as error:
        record_incident(IncidentKind.GATEWAY_ERROR, f"Libération du montant réservé impossible : {error}", payment)
        return payment
    return transition(
        payment.pk,
        P.CANCELLED,
        actor=actor,
        psp_event_id=psp_event_id,
        detail=reason,
        **{**card, "failure_reason": reason},
    ).payment


def refresh_from_gateway(payment: Payment, *, actor: str) -> Payment:
    """Ask the PSP for the real state (return page, reconciliation); raises GatewayError."""
    if payment.is_final or not payment.gateway_session_id:
        return payment
    status = get_gateway(payment.gateway).fetch(payment)
    return apply_status(payment, status, actor=actor)


def handle_notification(gateway_name: str, body: bytes, headers) -> Payment | None:
    """A PSP webhook or sandbox callback: verify, deduplicate by event id, apply. Raises BadSignature."""
    gateway = get_gateway(gateway_name)
    try:
        note: Notification = gateway.parse_notification(body, headers)
    except BadSignature as error:
        # Anyone can post here: one open incident says it happens, the log keeps each one.
        if Incident.objects.filter(kind=IncidentKind.BAD_SIGNATURE, closed_at__isnull=True).exists():
            log.warning("%s notification rejected: %s", gateway_name, error)
        else:
            record_incident(IncidentKind.BAD_SIGNATURE, f"Notification {gateway_name} rejetée : {error}")
        raise
    if GatewayEvent.objects.filter(gateway=gateway_name, event_id=note.event_id).exists():
        log.info("duplicate %s event %s ignored", gateway_name, note.event_id)
        return None
    payment = _find_payment(gateway_name, note)
    if payment is None:
        if note.session_id or note.payment_id:
            record_incident(
                IncidentKind.UNKNOWN_PAYMENT,
                f"Notification {note.type} ({note.event_id}) pour un paiement inconnu "
                f"(session {note.session_id or '-'}, paiement {note.payment_id or '-'}).",
            )
    else:
        status = note.status or gateway.fetch(payment)
        payment = apply_status(payment, status, actor=Actor.GATEWAY, psp_event_id=note.event_id)
    try:
        with transaction.atomic():
            GatewayEvent.objects.create(gateway=gateway_name, event_id=note.event_id, type=note.type)
    except IntegrityError:
        pass  # delivered twice at once: both applications were idempotent
    return payment


def _find_payment(gateway_name: str, note: Notification) -> Payment | None:
    payments = Payment.objects.filter(gateway=gateway_name)
    if note.session_id:
        return payments.filter(gateway_session_id=note.session_id).first()
    if note.payment_id and (payment := payments.filter(gateway_payment_id=note.payment_id).first()):
        return payment
    if note.public_id:
        try:
            return payments.filter(public_id=uuid.UUID(note.public_id)).first()
        except ValueError:
            return None
    return None


def abandon(payment: Payment) -> Payment:
    """The payer left the hosted page: close the checkout unless the PSP says it went through."""
    payment = refresh_from_gateway(payment, actor=Actor.PAYER)
    if payment.state == P.OPEN:
        gateway = get_gateway(payment.gateway)
        payment = _release(payment, gateway, actor=Actor.PAYER, reason="abandoned", psp_event_id="", card={})
    return payment


def cancel_authorized(payment: Payment, *, user) -> Payment:
    """A clerk releases the hold of an authorized payment."""
    if payment.state != P.AUTHORIZED:
        raise ValidationError(_("Seul un paiement autorisé (non encaissé) peut être annulé."))
    get_gateway(payment.gateway).cancel(payment)
    return transition(payment.pk, P.CANCELLED, actor=Actor.CLERK, user=user, detail=_("Annulé au guichet")).payment


@transaction.atomic
def record_refund(*, payment: Payment, amount: Decimal, note: str, user) -> Refund:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)  # two clerks never refund twice
    amount = chf(amount)
    refunded = sum((refund.amount for refund in payment.refunds.all()), ZERO)
    if payment.state != P.CAPTURED or amount <= ZERO or refunded + amount > payment.amount:
        raise ValidationError(_("Le remboursement dépasse le montant encaissé ou le paiement n'est pas encaissé."))
    return Refund.objects.create(payment=payment, amount=amount, note=note, recorded_by=user)


def close_incident(incident: Incident, *, user, resolution: str) -> Incident:
    if incident.closed_at:
        raise ValidationError(_("Cet incident est déjà traité."))
    incident.closed_at, incident.closed_by, incident.resolution = timezone.now(), user, resolution
    incident.save(update_fields=["closed_at", "closed_by", "resolution"])
    return incident
