"""The built-in sandbox PSP: a hosted page of the portal's own (paiements/sandbox_views.py)
that behaves like Stripe Checkout with Stripe's test cards, and reports through a signed
callback that goes through the same notification service as Stripe's webhooks."""

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ocp_portal.money import to_centimes

from ..constants import PaymentState
from ..models import SandboxSession
from .base import BadSignature, Checkout, Gateway, GatewayError, GatewayStatus, Notification

P = PaymentState
SIGNATURE_HEADER = "X-Sandbox-Signature"
TOLERANCE = 300
LIFETIME = timedelta(minutes=30)


@dataclass(frozen=True)
class TestCard:
    number: str
    brand: str
    funding: str
    outcome: str  # a PaymentState the sandbox reports
    label: str
    failure_reason: str = ""


TEST_CARDS = (
    TestCard("4000056655665556", "visa", "debit", P.AUTHORIZED, "Visa Debit : paiement accepté"),
    TestCard("5200828282828210", "mastercard", "debit", P.AUTHORIZED, "Mastercard Debit : paiement accepté"),
    TestCard("4242424242424242", "visa", "credit", P.AUTHORIZED, "Visa (crédit) : refusée, carte de crédit"),
    TestCard(
        "5555555555554444", "mastercard", "credit", P.AUTHORIZED, "Mastercard (crédit) : refusée, carte de crédit"
    ),
    TestCard("4000000000000002", "visa", "debit", P.REFUSED, "Refusée par la banque", "declined"),
    TestCard("4000000000000119", "visa", "debit", P.FAILED, "Erreur de traitement", "processing_error"),
)
CARDS_BY_NUMBER = {card.number: card for card in TEST_CARDS}


def is_enabled() -> bool:
    return settings.SANDBOX_PSP_ENABLED


def _key() -> bytes:
    return hashlib.sha256(b"paiements.sandbox:" + settings.SECRET_KEY.encode()).digest()


def sign(body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(_key(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def notification_body(session: SandboxSession) -> bytes:
    return json.dumps(
        {
            "id": f"sbevt_{secrets.token_hex(12)}",
            "type": f"session.{session.status}",
            "session": session.session_id,
            "amount": session.amount_centimes,
            "card": {"brand": session.card_brand, "funding": session.card_funding, "last4": session.card_last4},
            "failure_reason": session.failure_reason,
        }
    ).encode()


def _status(session: SandboxSession) -> GatewayStatus:
    return GatewayStatus(
        state=session.status,
        session_id=session.session_id,
        payment_id=session.session_id,
        amount_centimes=session.amount_centimes,
        card_brand=session.card_brand,
        card_funding=session.card_funding,
        card_last4=session.card_last4,
        failure_reason=session.failure_reason,
    )


class SandboxGateway(Gateway):
    name = "sandbox"

    def start(self, payment, *, return_url, cancel_url) -> Checkout:
        if not is_enabled():
            raise GatewayError("sandbox PSP disabled (DEBUG off and SANDBOX_PSP_ENABLED not set)")
        session = SandboxSession.objects.create(
            session_id=f"sbcs_{secrets.token_urlsafe(24)}",
            payment_public_id=payment.public_id,
            label=payment.label,
            amount_centimes=to_centimes(payment.amount),
            return_url=return_url,
            cancel_url=cancel_url,
            expires_at=timezone.now() + LIFETIME,
        )
        url = reverse("sandbox_psp:checkout", args=[session.session_id])
        return Checkout(session_id=session.session_id, redirect_url=url, expires_at=session.expires_at)

    def _session(self, payment) -> SandboxSession:
        try:
            session = SandboxSession.objects.get(session_id=payment.gateway_session_id)
        except SandboxSession.DoesNotExist as error:
            raise GatewayError("unknown sandbox session") from error
        if session.status == P.OPEN and session.expires_at < timezone.now():
            session.status = P.EXPIRED
            session.save(update_fields=["status"])
        return session

    def fetch(self, payment) -> GatewayStatus:
        return _status(self._session(payment))

    def capture(self, payment) -> GatewayStatus:
        session = self._session(payment)
        if session.status == P.AUTHORIZED:
            session.status = P.CAPTURED
            session.save(update_fields=["status"])
        return _status(session)

    def cancel(self, payment) -> GatewayStatus:
        session = self._session(payment)
        if session.status in (P.OPEN, P.AUTHORIZED):
            session.status = P.CANCELLED
            session.save(update_fields=["status"])
        return _status(session)

    def parse_notification(self, body: bytes, headers) -> Notification:
        header = headers.get(SIGNATURE_HEADER, "")
        try:
            parts = dict(part.split("=", 1) for part in header.split(","))
            timestamp = int(parts["t"])
            expected = sign(body, timestamp).split("v1=")[1]
            valid = hmac.compare_digest(expected, parts["v1"])
        except (ValueError, KeyError) as error:
            raise BadSignature("malformed sandbox signature") from error
        if not valid or abs(time.time() - timestamp) > TOLERANCE:
            raise BadSignature("sandbox signature does not verify")
        try:
            data = json.loads(body)
            card = data.get("card") or {}
            status = GatewayStatus(
                state=P(data["type"].removeprefix("session.")),
                session_id=data["session"],
                amount_centimes=data.get("amount"),
                card_brand=card.get("brand", ""),
                card_funding=card.get("funding", ""),
                card_last4=card.get("last4", ""),
                failure_reason=data.get("failure_reason", ""),
            )
            return Notification(event_id=data["id"], type=data["type"], session_id=data["session"], status=status)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BadSignature("unreadable sandbox notification") from error
