"""Stripe Checkout. Every call to the Stripe SDK is in this module.

Manual capture: the portal checks the card's brand and funding before it captures, and
releases the hold of anything but a Visa or Mastercard debit card.
"""

import json
from datetime import UTC, datetime

import stripe
from django.conf import settings
from django.utils import timezone

from ocp_portal.money import to_centimes

from ..constants import IncidentKind, PaymentState
from .base import BadSignature, Checkout, Gateway, GatewayError, GatewayStatus, Notification

API_VERSION = "2026-08-26.dahlia"  # first version with card.restrictions.funding_types_blocked
# Parameters Stripe renamed: (old name, the API version that renamed it, new name). Calls are written
# with the old names and sent under the names of API_VERSION, so that moving the pin needs no other change.
RENAMED = [("payment_method_types", "2026-10-28", "allowed_payment_method_types")]
WEBHOOK_TOLERANCE = 300  # seconds
# Stripe refuses a Checkout Session that expires less than 30 minutes after it receives the call; the
# expiry is computed once, before the call, and reused by the SDK's retries: keep a margin.
CHECKOUT_LIFETIME = 33 * 60
BLOCKED_BRANDS = ["american_express", "discover_global_network"]

P = PaymentState


def _plain(value):
    """A Stripe response as plain dicts and lists (a StripeObject is no dict in stripe-python 16: no .get)."""
    if isinstance(value, stripe.StripeObject):
        value = value.to_dict()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _idempotency_key(action: str, payment) -> str:
    """`capture-<public_id>`, then a new key after each recorded failure.

    Stripe replays the saved answer to a key for 24 hours, errors (402, 500) included: retrying a
    failed capture or cancel under the same key would only get the same error back. Concurrent
    attempts still share a key, and every capture or cancel follows a fresh fetch of the state.
    """
    failures = payment.incidents.filter(kind__in=[IncidentKind.CAPTURE_FAILED, IncidentKind.GATEWAY_ERROR]).count()
    return f"{action}-{payment.public_id}" + (f"-{failures}" if failures else "")


def for_version(params: dict) -> dict:
    """`params` with each renamed parameter under the name that API_VERSION knows."""
    params = dict(params)
    for old, since, new in RENAMED:
        if old in params and API_VERSION[:10] >= since:
            params[new] = params.pop(old)
    return params


def _client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        stripe_version=API_VERSION,
        base_addresses={"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None,
        max_network_retries=2,
    )


def _status_of(session) -> GatewayStatus:
    """Read a Checkout Session (with its PaymentIntent and charge expanded) as a GatewayStatus."""
    intent = session.get("payment_intent") or {}
    if isinstance(intent, str):
        intent = {"id": intent}
    charge = intent.get("latest_charge") or {}
    card = ((charge.get("payment_method_details") or {}).get("card")) if isinstance(charge, dict) else None
    card = card or {}
    state = P.OPEN
    if session.get("status") == "expired":
        state = P.EXPIRED
    elif intent.get("status") == "requires_capture":
        state = P.AUTHORIZED
    elif intent.get("status") == "succeeded":
        state = P.CAPTURED
    elif intent.get("status") == "canceled":
        state = P.CANCELLED
    elif session.get("status") == "complete" and session.get("payment_status") == "unpaid":
        state = P.REFUSED
    return GatewayStatus(
        state=state,
        session_id=session.get("id", ""),
        payment_id=intent.get("id", ""),
        amount_centimes=session.get("amount_total"),
        card_brand=card.get("brand", ""),
        card_funding=card.get("funding", ""),
        card_last4=card.get("last4", ""),
    )


def _failure_reason(intent: dict) -> str:
    """`processing_error` for a fault of Stripe or the card network, `declined` for a refused card."""
    error = intent.get("last_payment_error") or {}
    if not isinstance(error, dict):
        return "declined"
    if error.get("code") == "processing_error" or error.get("type") == "api_error":
        return "processing_error"
    if error.get("decline_code") == "card_not_supported":  # refused by the card restrictions (credit, prepaid)
        return "card_not_accepted"
    return "declined"


def _intent_status(intent) -> GatewayStatus:
    mapping = {"requires_capture": P.AUTHORIZED, "succeeded": P.CAPTURED, "canceled": P.CANCELLED}
    return GatewayStatus(state=mapping.get(intent.get("status"), P.OPEN), payment_id=intent.get("id", ""))


class StripeGateway(Gateway):
    name = "stripe"

    def start(self, payment, *, return_url, cancel_url) -> Checkout:
        expires_at = int(timezone.now().timestamp()) + CHECKOUT_LIFETIME
        params = {
            "mode": "payment",
            "payment_method_types": ["card"],
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": "chf",
                        "unit_amount": to_centimes(payment.amount),
                        "product_data": {"name": payment.label},
                    },
                }
            ],
            "payment_intent_data": {
                "capture_method": "manual",
                "metadata": {"payment": str(payment.public_id)},
                "description": payment.label,
            },
            "payment_method_options": {
                "card": {
                    "restrictions": {
                        "brands_blocked": BLOCKED_BRANDS,
                        "funding_types_blocked": ["credit", "prepaid"],
                    }
                }
            },
            "customer_email": payment.email,
            "client_reference_id": str(payment.public_id),
            "locale": "fr",
            "success_url": return_url + "?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": cancel_url,
            "expires_at": expires_at,
        }
        params = for_version(params)
        session = self._call(
            lambda client: client.v1.checkout.sessions.create(
                params, {"idempotency_key": f"checkout-{payment.public_id}"}
            )
        )
        return Checkout(
            session_id=session["id"],
            redirect_url=session["url"],
            expires_at=datetime.fromtimestamp(expires_at, tz=UTC),
        )

    def fetch(self, payment) -> GatewayStatus:
        session = self._call(
            lambda client: client.v1.checkout.sessions.retrieve(
                payment.gateway_session_id, {"expand": ["payment_intent.latest_charge"]}
            )
        )
        return _status_of(session)

    def capture(self, payment) -> GatewayStatus:
        intent = self._call(
            lambda client: client.v1.payment_intents.capture(
                payment.gateway_payment_id, {}, {"idempotency_key": _idempotency_key("capture", payment)}
            )
        )
        return _intent_status(intent)

    def cancel(self, payment) -> GatewayStatus:
        if payment.gateway_payment_id:
            intent = self._call(
                lambda client: client.v1.payment_intents.cancel(
                    payment.gateway_payment_id, {}, {"idempotency_key": _idempotency_key("cancel", payment)}
                )
            )
            return _intent_status(intent)
        session = self._call(
            lambda client: client.v1.checkout.sessions.expire(
                payment.gateway_session_id, {}, {"idempotency_key": _idempotency_key("expire", payment)}
            )
        )
        return _status_of(session)

    def parse_notification(self, body: bytes, headers) -> Notification:
        try:
            stripe.WebhookSignature.verify_header(
                body, headers.get("Stripe-Signature", ""), settings.STRIPE_WEBHOOK_SECRET, WEBHOOK_TOLERANCE
            )
            event = json.loads(body)
            event_id, event_type, obj = event["id"], event["type"], event["data"]["object"]
            if not (isinstance(obj, dict) and isinstance(event_type, str) and isinstance(event_id, str) and event_id):
                raise ValueError("not a Stripe event")
        except (ValueError, TypeError, KeyError, stripe.SignatureVerificationError) as error:
            raise BadSignature(str(error) or type(error).__name__) from error
        if event_type not in HANDLED_EVENTS:
            return Notification(event_id=event_id, type=event_type)  # acknowledged, nothing to do
        session_id = obj.get("id", "") if obj.get("object") == "checkout.session" else ""
        payment_id = obj.get("id", "") if obj.get("object") == "payment_intent" else ""
        if session_id and isinstance(obj.get("payment_intent"), str):
            payment_id = obj["payment_intent"]
        status = None
        if event_type == "checkout.session.expired":
            status = GatewayStatus(state=P.EXPIRED, session_id=session_id)
        elif event_type == "checkout.session.async_payment_failed":
            status = GatewayStatus(state=P.REFUSED, session_id=session_id, failure_reason="declined")
        elif event_type == "payment_intent.canceled":
            status = GatewayStatus(state=P.CANCELLED, payment_id=payment_id)
        elif event_type == "payment_intent.payment_failed":
            # An attempt on the hosted page failed; the payer may try again there, so the payment stays open.
            status = GatewayStatus(state=P.OPEN, payment_id=payment_id, failure_reason=_failure_reason(obj))
        metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        return Notification(
            event_id=event_id,
            type=event_type,
            session_id=session_id,
            payment_id=payment_id,
            status=status,
            public_id=str(metadata.get("payment", "")),
        )

    @staticmethod
    def _call(request) -> dict:
        try:
            return _plain(request(_client()))
        except stripe.StripeError as error:
            raise GatewayError(f"{type(error).__name__}: {error.user_message or error}") from error


HANDLED_EVENTS = frozenset(
    {
        "checkout.session.completed",
        "checkout.session.expired",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "payment_intent.canceled",
        "payment_intent.payment_failed",
    }
)
