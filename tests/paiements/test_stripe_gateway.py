"""The Stripe gateway, offline.

Stripe is never called: `settings.STRIPE_API_BASE` points the SDK at `FakeStripe`, a small HTTP
server on 127.0.0.1 that answers the endpoints the gateway uses with realistic objects and
records every request (form-decoded body, headers). Webhooks are signed with the SDK's own
`stripe.WebhookSignature.generate_signature_header`.
"""

import itertools
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import stripe
from django.utils import timezone

from ocp_portal.bookkeeping import MoneySource
from ocp_portal.dates import today
from ocp_portal.money import to_centimes
from paiements import services, tasks
from paiements.conditions import current
from paiements.constants import Actor, IncidentKind, PaymentState
from paiements.gateways import stripe as stripe_gateway
from paiements.gateways.base import GatewayError
from paiements.models import GatewayEvent, Incident, Payment, PaymentEvent
from poursuites.balance import poursuite_balance
from poursuites.models import PaymentLine, Poursuite
from tests.paiements.conftest import as_payer

P = PaymentState
SECRET_KEY = "sk_test_fake"
WEBHOOK_SECRET = "whsec_test"
WEBHOOK_URL = "/paiements/notifications/stripe/"
EMAIL = "debiteur@example.ch"

# --- A fake of the Stripe API -------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    """One request the SDK sent: method, path, decoded query and form body, lower-cased headers."""

    method: str
    path: str
    query: dict
    form: dict
    headers: dict

    def listed(self, prefix: str) -> list[str]:
        """The values of a form-encoded list, e.g. `expand` from `expand[0]`, `expand[1]`..."""
        values = []
        for index in itertools.count():
            key = f"{prefix}[{index}]"
            if key not in self.form and key not in self.query:
                return values
            values.append(self.form.get(key, self.query.get(key)))


def _decode(text: str) -> dict:
    return {key: value[0] if len(value) == 1 else value for key, value in parse_qs(text, True).items()}


def _error(status: int, type_: str, message: str, code: str = "", **more) -> tuple[int, dict]:
    body = {"error": {"type": type_, "message": message, **({"code": code} if code else {}), **more}}
    return status, body


class FakeStripe:
    """The part of the Stripe API the gateway uses, kept in memory.

    Tests play the payer with `pay()`, Stripe's own moves with `set_intent()`, and outages with
    `fail()`. As on Stripe (API v1), a POST with an Idempotency-Key already answered gets the saved
    answer again without side effects, errors included, unless the error said
    `Stripe-Should-Retry: true` (it was not saved).
    """

    ROUTES = (
        ("POST", re.compile(r"^/v1/checkout/sessions$"), "create_session"),
        ("GET", re.compile(r"^/v1/checkout/sessions/(?P<id>[^/]+)$"), "retrieve_session"),
        ("POST", re.compile(r"^/v1/checkout/sessions/(?P<id>[^/]+)/expire$"), "expire_session"),
        ("POST", re.compile(r"^/v1/payment_intents/(?P<id>[^/]+)/capture$"), "capture"),
        ("POST", re.compile(r"^/v1/payment_intents/(?P<id>[^/]+)/cancel$"), "cancel"),
    )

    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[Recorded] = []
        self.sessions: dict[str, dict] = {}
        self.intents: dict[str, dict] = {}
        self.failures: list[tuple[str, int, dict, dict]] = []
        self.idempotent: dict[str, tuple[int, dict]] = {}
        self.ids = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake._handle(self)

            def do_POST(self):
                fake._handle(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    # -- serving

    def _handle(self, handler):
        url = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        request = Recorded(
            method=handler.command,
            path=url.path,
            query=_decode(url.query),
            form=_decode(body),
            headers={key.lower(): value for key, value in handler.headers.items()},
        )
        extra_headers = {}
        with self.lock:
            self.requests.append(request)
            status, payload, extra_headers = self._answer(request)
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Request-Id", f"req_{secrets.token_hex(8)}")
        handler.send_header("Stripe-Version", request.headers.get("stripe-version", ""))
        for name, value in extra_headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _answer(self, request: Recorded) -> tuple[int, dict, dict]:
        if request.headers.get("authorization") != f"Bearer {SECRET_KEY}":
            return *_error(401, "invalid_request_error", "Invalid API Key provided."), {}
        route = next(
            (
                (name, match)
                for method, pattern, name in self.ROUTES
                if method == request.method and (match := pattern.match(request.path))
            ),
            None,
        )
        if route is None:
            return *_error(404, "invalid_request_error", f"Unrecognized request URL ({request.path})."), {}
        name, match = route
        key = request.headers.get("idempotency-key", "") if request.method == "POST" else ""
        if key in self.idempotent:
            return *self.idempotent[key], {"Idempotent-Replayed": "true"}
        headers = {}
        for index, (endpoint, failure_status, failure_body, failure_headers) in enumerate(self.failures):
            if endpoint == name:
                del self.failures[index]
                status, body, headers = failure_status, failure_body, failure_headers
                break
        else:
            status, body = getattr(self, f"_{name}")(request, **match.groupdict())
        if key and headers.get("Stripe-Should-Retry") != "true":
            self.idempotent[key] = (status, body)
        return status, body, headers

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}_test_{next(self.ids):04d}{secrets.token_hex(10)}"

    def _create_session(self, request):
        form = request.form
        # Stripe's own rules: the parameter set of the API version asked for, and an expiry at least
        # 30 minutes after the call arrives.
        renamed = request.headers.get("stripe-version", "")[:10] >= "2026-10-28"
        unknown = "payment_method_types" if renamed else "allowed_payment_method_types"
        if any(key.startswith(f"{unknown}[") for key in form):
            return _error(400, "invalid_request_error", f"Received unknown parameter: {unknown}")
        if int(form["expires_at"]) < time.time() + 30 * 60:
            return _error(
                400,
                "invalid_request_error",
                "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.",
            )
        session_id = self._new_id("cs")
        amount = int(form["line_items[0][price_data][unit_amount]"]) * int(form["line_items[0][quantity]"])
        self.sessions[session_id] = {
            "id": session_id,
            "object": "checkout.session",
            "amount_subtotal": amount,
            "amount_total": amount,
            "cancel_url": form.get("cancel_url"),
            "client_reference_id": form.get("client_reference_id"),
            "created": int(time.time()),
            "currency": form["line_items[0][price_data][currency]"],
            "customer_email": form.get("customer_email"),
            "expires_at": int(form["expires_at"]),
            "livemode": False,
            "locale": form.get("locale"),
            "metadata": {},
            "mode": form["mode"],
            "payment_intent": None,
            "payment_status": "unpaid",
            "status": "open",
            "success_url": form.get("success_url"),
            "url": f"https://checkout.stripe.com/c/pay/{session_id}#fidkdWxOYHwnPyd1blpxYHZxWjA0",
        }
        return 200, self.session_payload(session_id)

    def _retrieve_session(self, request, id):
        if id not in self.sessions:
            return _error(404, "invalid_request_error", f"No such checkout.session: '{id}'", "resource_missing")
        return 200, self.session_payload(id, expand=Recorded.listed(request, "expand"))

    def _expire_session(self, request, id):
        session = self.sessions[id]
        if session["status"] != "open":
            return _error(400, "invalid_request_error", "Only Checkout Sessions with a status of open can be expired.")
        session.update(status="expired", url=None)
        return 200, self.session_payload(id)

    def _capture(self, request, id):
        intent = self.intents[id]
        if intent["status"] != "requires_capture":
            return _error(
                400,
                "invalid_request_error",
                f"This PaymentIntent could not be captured because it has a status of {intent['status']}.",
                "payment_intent_unexpected_state",
            )
        intent.update(status="succeeded", amount_capturable=0, amount_received=intent["amount"])
        intent["_charge"]["captured"] = True
        self.sessions[intent["_session"]]["payment_status"] = "paid"
        return 200, self.intent_payload(id)

    def _cancel(self, request, id):
        intent = self.intents[id]
        if intent["status"] in ("succeeded", "canceled"):
            return _error(
                400,
                "invalid_request_error",
                f"You cannot cancel this PaymentIntent because it has a status of {intent['status']}.",
                "payment_intent_unexpected_state",
            )
        intent.update(status="canceled", amount_capturable=0, cancellation_reason="requested_by_customer")
        return 200, self.intent_payload(id)

    # -- what the tests read and play

    def session_payload(self, session_id: str, expand=()) -> dict:
        """The session as Stripe shows it (and as a webhook carries it: nothing expanded)."""
        session = dict(self.sessions[session_id])
        if session["payment_intent"] and any(path.startswith("payment_intent") for path in expand):
            session["payment_intent"] = self.intent_payload(
                session["payment_intent"], expand_charge="payment_intent.latest_charge" in expand
            )
        return session

    def intent_payload(self, intent_id: str, *, expand_charge: bool = False) -> dict:
        intent = {key: value for key, value in self.intents[intent_id].items() if not key.startswith("_")}
        charge = self.intents[intent_id]["_charge"]
        intent["latest_charge"] = dict(charge) if expand_charge else charge["id"]
        return intent

    def pay(self, session_id: str, *, brand="visa", funding="debit", last4="5556") -> str:
        """The payer completes the hosted page: the card is authorized (manual capture)."""
        with self.lock:
            session = self.sessions[session_id]
            intent_id, charge_id = self._new_id("pi"), self._new_id("ch")
            amount = session["amount_total"]
            self.intents[intent_id] = {
                "id": intent_id,
                "object": "payment_intent",
                "amount": amount,
                "amount_capturable": amount,
                "amount_received": 0,
                "cancellation_reason": None,
                "capture_method": "manual",
                "created": int(time.time()),
                "currency": "chf",
                "livemode": False,
                "metadata": {"payment": session["client_reference_id"]},
                "payment_method_types": ["card"],
                "status": "requires_capture",
                "_session": session_id,
                "_charge": {
                    "id": charge_id,
                    "object": "charge",
                    "amount": amount,
                    "captured": False,
                    "currency": "chf",
                    "paid": True,
                    "status": "succeeded",
                    "payment_intent": intent_id,
                    "payment_method_details": {
                        "type": "card",
                        "card": {
                            "brand": brand,
                            "funding": funding,
                            "last4": last4,
                            "exp_month": 11,
                            "exp_year": 2031,
                            "country": "CH",
                            "fingerprint": "Xt5EWLLDS7FJjR1c",
                            "network": brand,
                            "checks": {"cvc_check": "pass"},
                        },
                    },
                },
            }
            session.update(status="complete", payment_status="unpaid", payment_intent=intent_id, url=None)
            return intent_id

    def set_intent(self, intent_id: str, **changes):
        with self.lock:
            self.intents[intent_id].update(changes)

    def set_session(self, session_id: str, **changes):
        with self.lock:
            self.sessions[session_id].update(changes)

    def fail(self, endpoint: str, status: int, body: dict, headers: dict | None = None):
        """The next request to `endpoint` (a route name such as "capture") gets this error."""
        with self.lock:
            self.failures.append((endpoint, status, body, headers or {}))

    def calls(self, method: str, path: str) -> list[Recorded]:
        with self.lock:
            return [request for request in self.requests if request.method == method and request.path == path]

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.requests)


@pytest.fixture(autouse=True)
def fake_stripe(settings):
    """The Stripe gateway configured against a fresh FakeStripe (after the package's sandbox default)."""
    fake = FakeStripe()
    thread = threading.Thread(target=fake.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake.base
    yield fake
    fake.server.shutdown()
    fake.server.server_close()
    thread.join(timeout=5)


# --- Helpers ------------------------------------------------------------------------------------


def start_payment(poursuite, instalment=Decimal("123.45")) -> Payment:
    payment = services.create_payment(
        purpose_code="poursuite",
        reference=poursuite.reference,
        instalment=instalment,
        email=EMAIL,
        conditions_version=current()[0],
    )
    services.open_checkout(
        payment,
        return_url=f"http://testserver/paiements/{payment.public_id}/retour/",
        cancel_url=f"http://testserver/paiements/{payment.public_id}/abandon/",
    )
    payment.refresh_from_db()
    return payment


def stripe_event(type_: str, obj: dict, event_id: str | None = None) -> dict:
    return {
        "id": event_id or f"evt_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": stripe_gateway.API_VERSION,
        "created": int(time.time()),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type_,
    }


def deliver(client, event, *, secret=WEBHOOK_SECRET, timestamp=None, body: str | None = None, header=None):
    payload = body if body is not None else json.dumps(event)
    if header is None:
        header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp)
    return client.post(WEBHOOK_URL, data=payload, content_type="application/json", headers={"Stripe-Signature": header})


def completed(client, fake, payment, event_id=None):
    return deliver(
        client, stripe_event("checkout.session.completed", fake.session_payload(payment.gateway_session_id), event_id)
    )


def balance(poursuite) -> Decimal:
    return poursuite_balance(Poursuite.objects.get(pk=poursuite.pk), today()).total


def card_lines(payment):
    return PaymentLine.objects.filter(source=MoneySource.CARTE_EN_LIGNE, external_reference=str(payment.public_id))


def incidents(kind, payment=None):
    queryset = Incident.objects.filter(kind=kind)
    return queryset.filter(payment=payment) if payment is not None else queryset


def capture_path(payment):
    return f"/v1/payment_intents/{payment.gateway_payment_id}/capture"


def cancel_path(payment):
    return f"/v1/payment_intents/{payment.gateway_payment_id}/cancel"


def session_path(payment):
    return f"/v1/checkout/sessions/{payment.gateway_session_id}"


# --- Opening the checkout -----------------------------------------------------------------------


def test_checkout_session_blocks_credit_prepaid_and_amex_with_manual_capture(fake_stripe, poursuite):
    before = timezone.now()
    payment = start_payment(poursuite, Decimal("123.45"))

    [request] = fake_stripe.calls("POST", "/v1/checkout/sessions")
    form = request.form
    assert form["mode"] == "payment"
    assert request.listed("payment_method_types") == ["card"]
    assert form["line_items[0][quantity]"] == "1"
    assert form["line_items[0][price_data][currency]"] == "chf"
    assert form["line_items[0][price_data][unit_amount]"] == "12345"
    assert form["line_items[0][price_data][product_data][name]"] == payment.label
    assert form["payment_intent_data[capture_method]"] == "manual"
    assert form["payment_intent_data[metadata][payment]"] == str(payment.public_id)
    restrictions = "payment_method_options[card][restrictions]"
    assert request.listed(f"{restrictions}[funding_types_blocked]") == ["credit", "prepaid"]
    blocked_brands = request.listed(f"{restrictions}[brands_blocked]")
    assert "american_express" in blocked_brands
    assert not {"visa", "mastercard"} & set(blocked_brands)
    assert form["customer_email"] == EMAIL
    assert form["client_reference_id"] == str(payment.public_id)
    assert (
        form["success_url"]
        == f"http://testserver/paiements/{payment.public_id}/retour/?session_id={{CHECKOUT_SESSION_ID}}"
    )
    assert form["cancel_url"] == f"http://testserver/paiements/{payment.public_id}/abandon/"
    assert request.headers["idempotency-key"] == f"checkout-{payment.public_id}"
    assert request.headers["stripe-version"] == stripe_gateway.API_VERSION
    assert request.headers["authorization"] == f"Bearer {SECRET_KEY}"

    session = fake_stripe.sessions[payment.gateway_session_id]
    assert payment.gateway == "stripe"
    assert payment.state == P.OPEN
    assert session["client_reference_id"] == str(payment.public_id)
    # the session expires in 33 minutes (Stripe's minimum is 30, counted when the call arrives), and
    # the payment knows when
    assert int(form["expires_at"]) == int(payment.expires_at.timestamp())
    assert timedelta(minutes=32) < payment.expires_at - before <= timedelta(minutes=33, seconds=5)


@pytest.mark.parametrize(
    ("instalment", "centimes"),
    [(Decimal("10.00"), 1000), (Decimal("123.45"), 12345), (Decimal("99.99"), 9999), (None, None)],
)
def test_checkout_amount_is_sent_in_integer_centimes(fake_stripe, poursuite, instalment, centimes):
    payment = start_payment(poursuite, instalment)

    [request] = fake_stripe.calls("POST", "/v1/checkout/sessions")
    expected = centimes if centimes is not None else to_centimes(balance(poursuite))
    assert request.form["line_items[0][price_data][unit_amount]"] == str(expected)
    assert expected == to_centimes(payment.amount)


def test_start_page_redirects_to_the_stripe_session_url(fake_stripe, poursuite, client):
    from paiements.links import checkout_path

    response = client.post(
        checkout_path("poursuite", poursuite.reference), {"choice": "solde", "email": EMAIL, "accept": "on"}
    )

    payment = Payment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == fake_stripe.sessions[payment.gateway_session_id]["url"]
    assert payment.state == P.OPEN


def test_stripe_down_when_opening_fails_the_payment_and_records_an_incident(fake_stripe, poursuite, client):
    from paiements.links import checkout_path

    fake_stripe.fail(
        "create_session",
        500,
        {"error": {"type": "api_error", "message": "An unknown error occurred"}},
        {"Stripe-Should-Retry": "false"},
    )
    response = client.post(
        checkout_path("poursuite", poursuite.reference), {"choice": "solde", "email": EMAIL, "accept": "on"}
    )

    payment = Payment.objects.get()
    assert response.status_code == 503
    assert payment.state == P.FAILED
    assert incidents(IncidentKind.GATEWAY_ERROR, payment).count() == 1


# --- checkout.session.completed: check the card, then capture -----------------------------------


@pytest.mark.parametrize("brand", ["visa", "mastercard"])
def test_completed_webhook_fetches_the_session_and_captures_a_debit_card(fake_stripe, poursuite, client, brand):
    payment = start_payment(poursuite)
    due_before = balance(poursuite)
    intent_id = fake_stripe.pay(payment.gateway_session_id, brand=brand, funding="debit", last4="5556")

    response = completed(client, fake_stripe, payment)

    assert response.status_code == 200
    payment.refresh_from_db()
    [fetch] = fake_stripe.calls("GET", session_path(payment))
    assert fetch.listed("expand") == ["payment_intent.latest_charge"]
    assert payment.gateway_payment_id == intent_id
    [capture] = fake_stripe.calls("POST", capture_path(payment))
    assert capture.headers["idempotency-key"] == f"capture-{payment.public_id}"
    assert capture.headers["stripe-version"] == stripe_gateway.API_VERSION
    assert fake_stripe.intents[intent_id]["status"] == "succeeded"
    assert not fake_stripe.calls("POST", cancel_path(payment))

    assert payment.state == P.CAPTURED
    assert (payment.card_brand, payment.card_funding, payment.card_last4) == (brand, "debit", "5556")
    assert payment.applied_amount == payment.amount == Decimal("123.45")
    assert balance(poursuite) == due_before - payment.amount
    [line] = card_lines(payment)
    assert line.amount == payment.amount
    assert GatewayEvent.objects.filter(gateway="stripe", type="checkout.session.completed").count() == 1


def test_async_payment_succeeded_webhook_is_handled_like_completed(fake_stripe, poursuite, client):
    payment = start_payment(poursuite)
    fake_stripe.pay(payment.gateway_session_id)

    event = stripe_event(
        "checkout.session.async_payment_succeeded", fake_stripe.session_payload(payment.gateway_session_id)
    )
    assert deliver(client, event).status_code == 200

    payment.refresh_from_db()
    assert payment.state == P.CAPTURED
    assert len(fake_stripe.calls("POST", capture_path(payment))) == 1
    assert card_lines(payment).count() == 1


def test_same_event_delivered_ten_times_is_credited_once(fake_stripe, poursuite, client):
    payment = start_payment(poursuite)
    due_before = balance(poursuite)
    fake_stripe.pay(payment.gateway_session_id)
    event = stripe_event("checkout.session.completed", fake_stripe.session_payload(payment.gateway_session_id))

    statuses = [deliver(client, event).status_code for _ in range(10)]

    payment.refresh_from_db()
    assert statuses == [200] * 10
    assert len(fake_stripe.calls("GET", session_path(payment))) == 1  # duplicates never reach Stripe
    assert len(fake_stripe.calls("POST", capture_path(payment))) == 1
    assert card_lines(payment).count() == 1
    assert GatewayEvent.objects.filter(event_id=event["id"]).count() == 1
    assert balance(poursuite) == due_before - payment.amount

    # Another event about the same session (e.g. async_payment_succeeded after completed): still once.
    assert completed(client, fake_stripe, payment).status_code == 200
    assert len(fake_stripe.calls("POST", capture_path(payment))) == 1
    assert card_lines(payment).count() == 1
    assert balance(poursuite) == due_before - payment.amount
    assert PaymentEvent.objects.filter(payment=payment, to_state=P.CAPTURED).count() == 1


# --- Anything but a Visa or Mastercard debit card: the hold is released ---------------------------


@pytest.mark.parametrize(
    ("brand", "funding"),
    [
        ("visa", "credit"),
        ("mastercard", "credit"),
        ("visa", "prepaid"),
        ("mastercard", "unknown"),
        ("amex", "credit"),
        ("american_express", "debit"),
        ("discover", "debit"),
    ],
)
def test_card_other_than_visa_or_mastercard_debit_is_released_not_captured(
    fake_stripe, poursuite, client, brand, funding
):
    payment = start_payment(poursuite)
    due_before = balance(poursuite)
    intent_id = fake_stripe.pay(payment.gateway_session_id, brand=brand, funding=funding, last4="0005")

    assert completed(client, fake_stripe, payment).status_code == 200

    payment.refresh_from_db()
    [cancel] = fake_stripe.calls("POST", f"/v1/payment_intents/{intent_id}/cancel")
    assert cancel.headers["idempotency-key"] == f"cancel-{payment.public_id}"
    assert not fake_stripe.calls("POST", f"/v1/payment_intents/{intent_id}/capture")
    assert fake_stripe.intents[intent_id]["status"] == "canceled"
    assert payment.state == P.CANCELLED
    assert payment.failure_reason == "card_not_accepted"
    assert (payment.card_brand, payment.card_funding) == (brand, funding)
    assert balance(poursuite) == due_before
    assert not card_lines(payment).exists()

    # The payer's return page tells them, without asking Stripe again (the payment is final).
    requests_before = fake_stripe.count
    page = client.get(f"/paiements/{payment.public_id}/retour/?session_id={payment.gateway_session_id}")
    assert "Carte non acceptée" in page.content.decode()
    assert fake_stripe.count == requests_before

    # Stripe then confirms the cancellation by webhook: nothing more happens.
    event = stripe_event("payment_intent.canceled", fake_stripe.intent_payload(intent_id))
    assert deliver(client, event).status_code == 200
    payment.refresh_from_db()
    assert payment.state == P.CANCELLED
    assert not incidents(IncidentKind.UNKNOWN_PAYMENT).exists()


def test_amount_differing_from_the_payment_releases_the_hold(fake_stripe, poursuite, client):
    payment = start_payment(poursuite)
    intent_id = fake_stripe.pay(payment.gateway_session_id)
    fake_stripe.set_session(payment.gateway_session_id, amount_total=100)

    assert completed(client, fake_stripe, payment).status_code == 200

    payment.refresh_from_db()
    assert payment.state == P.CANCELLED
    assert payment.failure_reason == "amount_mismatch"
    assert fake_stripe.intents[intent_id]["status"] == "canceled"
    assert not fake_stripe.calls("POST", f"/v1/payment_intents/{intent_id}/capture")
    assert incidents(IncidentKind.AMOUNT_MISMATCH, payment).count() == 1
    assert not card_lines(payment).exists()


# --- Webhook signature ---------------------------------------------------------------------------


def _tampered(event):
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)
    return {"body": payload.replace('"livemode": false', '"livemode": true'), "header": header}


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda event: {"secret": "whsec_other"}, id="wrong-secret"),
        pytest.param(lambda event: {"timestamp": int(time.time()) - 301}, id="older-than-5-minutes"),
        pytest.param(_tampered, id="body-changed-after-signing"),
        pytest.param(lambda event: {"header": ""}, id="no-header"),
        pytest.param(lambda event: {"header": "t=abc,v0=zzz"}, id="garbage-header"),
        pytest.param(lambda event: {"body": "{not json", "header": "t=1,v1=00"}, id="garbage-body"),
        pytest.param(lambda event: {"body": "{not json"}, id="garbage-body-signed"),
        pytest.param(lambda event: {"body": "[1, 2]"}, id="not-an-event-signed"),
    ],
)
def test_webhook_with_a_bad_signature_is_rejected_and_changes_nothing(fake_stripe, poursuite, client, forge):
    payment = start_payment(poursuite)
    fake_stripe.pay(payment.gateway_session_id)
    requests_before = fake_stripe.count
    event = stripe_event("checkout.session.completed", fake_stripe.session_payload(payment.gateway_session_id))

    response = deliver(client, event, **forge(event))

    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.state == P.OPEN
    assert fake_stripe.count == requests_before
    assert not GatewayEvent.objects.exists()
    assert not card_lines(payment).exists()
    assert incidents(IncidentKind.BAD_SIGNATURE).count() == 1


def test_webhook_tolerance_is_five_minutes(fake_stripe, poursuite, client):
    assert stripe_gateway.WEBHOOK_TOLERANCE == 300
    payment = start_payment(poursuite)
    fake_stripe.pay(payment.gateway_session_id)
    event = stripe_event("checkout.session.completed", fake_stripe.session_payload(payment.gateway_session_id))

    assert deliver(client, event, timestamp=int(time.time()) - 290).status_code == 200

    payment.refresh_from_db()
    assert payment.state == P.CAPTURED


# --- The other events ----------------------------------------------------------------------------


def test_session_expired_webhook_expires_the_payment(fake_stripe, poursuite, client):
    payment = start_payment(poursuite)
    fake_stripe.set_session(payment.gateway_session_id, status="expired", url=None)
    requests_before = fake_stripe.count

    event = stripe_event("checkout.session.expired", fake_stripe.session_payload(payment.gateway_session_id))
    assert deliver(client, event).status_code == 200

    payment.refresh_from_db()
    assert payment.state == P.EXPIRED
    assert fake_stripe.count == requests_before  # the signed event says it all


def test_async_payment_failed_webhook_refuses_the_payment(fake_stripe, poursuite, client):
    payment = start_payment(poursuite)
    due_before = balance(poursuite)
    fake_stripe.set_session(payment.gateway_session_id, status="complete", payment_status="unpaid")

    event = stripe_event(
        "checkout.session.async_payment_failed", fake_stripe.session_payload(payment.gateway_session_id)
    )
    assert deliver(client, event).status_code == 200

    payment.refresh_from_db()
    assert payment.state == P.REFUSED
    assert payment.failure_reason == "declined"
    assert balance(poursuite) == due_before


def test_payment_intent_canceled_webhook_finds_the_payment_by_its_intent(fake_stripe, poursuite, client):
    """An authorization Stripe releases itself (e.g. after 7 days uncaptured) cancels the payment."""
    payment = start_payment(poursuite)
    due_before = balance(poursuite)
    intent_id = fake_stripe.pay(payment.gateway_session_id)
    fake_stripe.fail(
        "capture", 500, {"error": {"type": "api_error", "message": "boom"}}, {"Stripe-Should-Retry": "false"}
    )
    completed(client, fake_stripe, payment)
    payment.refresh_from_db()
    assert (payment.state, payment.gateway_payment_id) == (P.AUTHORIZED, intent_id)

    fake_stripe.set_intent(intent_id, status="canceled", cancellation_reason="automatic")
    event = stripe_event("payment_intent.canceled", fake_stripe.intent_payload(intent_id))
    assert deliver(client, event).status_code == 200

    payment.refresh_from_db()
    assert payment.state == P.CANCELLED
    assert balance(poursuite) == due_before
    assert not card_lines(payment).exists()


def test_unknown_session_in_a_webhook_is_acknowledged_and_reported(fake_stripe, poursuite, client):
    start_payment(poursuite)
    requests_before = fake_stripe.count
    session = {"id": "cs_test_not_ours", "object": "checkout.session", "payment_intent": "pi_test_not_ours"}

    response = deliver(client, stripe_event("checkout.session.completed", session))

    assert response.status_code == 200
    [incident] = incidents(IncidentKind.UNKNOWN_PAYMENT)
    assert "cs_test_not_ours" in incident.detail
    assert fake_stripe.count == requests_before
    assert Payment.objects.get().state == P.OPEN


def test_event_types_we_do_not_handle_are_acknowledged_and_ignored(fake_stripe, poursuite, client):
    """The endpoint may be subscribed to more than we handle: no false 'unknown payment' alarms."""
    payment = start_payment(poursuite)
    requests_before = fake_stripe.count
    intent = {"id": "pi_test_just_created", "object": "payment_intent", "status": "requires_payment_method"}

    response = deliver(client, stripe_event("payment_intent.created", intent))

    assert response.status_code == 200
    assert not Incident.objects.exists()
    assert fake_stripe.count == requests_before
    payment.refresh_from_db()
    assert payment.state == P.OPEN


# --- The payer's return: Stripe's word, never the URL's ------------------------------------------


def test_return_page_reads_the_payments_own_session_from_stripe_not_the_url(fake_stripe, poursuite, client):
    other = start_payment(poursuite, Decimal("50.00"))
    fake_stripe.pay(other.gateway_session_id)
    payment = start_payment(poursuite)
    forged = other.gateway_session_id  # a real, paid session, but not this payment's

    page = client.get(f"/paiements/{payment.public_id}/retour/?session_id={forged}")

    assert page.status_code == 200
    assert "La démarche n'a pas abouti" in page.content.decode()
    assert len(fake_stripe.calls("GET", session_path(payment))) == 1
    assert not fake_stripe.calls("GET", f"/v1/checkout/sessions/{forged}")
    payment.refresh_from_db()
    other.refresh_from_db()
    assert (payment.state, other.state) == (P.OPEN, P.OPEN)
    assert not PaymentLine.objects.exists()

    # Once this payment's own session is paid, the same page (any session_id) captures it.
    fake_stripe.pay(payment.gateway_session_id, last4="8210")
    as_payer(client, payment)
    page = client.get(f"/paiements/{payment.public_id}/retour/?session_id=cs_forged")
    assert "Paiement accepté" in page.content.decode()
    assert "•••• 8210" in page.content.decode()
    payment.refresh_from_db()
    assert payment.state == P.CAPTURED
    assert len(fake_stripe.calls("POST", capture_path(payment))) == 1
    assert not fake_stripe.calls("GET", "/v1/checkout/sessions/cs_forged")


def test_return_page_when_stripe_is_unreachable_changes_nothing(fake_stripe, poursuite, client):
    payment = start_payment(poursuite)
    fake_stripe.pay(payment.gateway_session_id)
    fake_stripe.fail(
        "retrieve_session", 500, {"error": {"type": "api_error", "message": "boom"}}, {"Stripe-Should-Retry": "false"}
    )

    page = client.get(f"/paiements/{payment.public_id}/retour/")

    assert "Le service de paiement n'a pas répondu." in page.content.decode()
    payment.refresh_from_db()
    assert payment.state == P.OPEN


def test_abandon_page_expires_the_open_session(fake_stripe, poursuite, client):
    payment = start_payment(poursuite)
    as_payer(client, payment)

    assert client.get(f"/paiements/{payment.public_id}/abandon/").status_code == 200
    assert not fake_stripe.calls("POST", f"{session_path(payment)}/expire")  # Stripe's cancel link (GET)
    page = client.post(f"/paiements/{payment.public_id}/abandon/")  # the payer's « Abandonner »

    assert page.status_code == 200
    [expire] = fake_stripe.calls("POST", f"{session_path(payment)}/expire")
    assert expire.headers["idempotency-key"] == f"expire-{payment.public_id}"
    assert fake_stripe.sessions[payment.gateway_session_id]["status"] == "expired"
    payment.refresh_from_db()
    assert payment.state == P.CANCELLED
    assert payment.failure_reason == "abandoned"


def test_abandon_page_after_paying_captures_instead(fake_stripe, poursuite, client):
    """The cancel URL is no proof either: a session Stripe reports paid is captured, not expired."""
    payment = start_payment(poursuite)
    fake_stripe.pay(payment.gateway_session_id)

    client.get(f"/paiements/{payment.public_id}/abandon/")

    payment.refresh_from_db()
    assert payment.state == P.CAPTURED
    assert not fake_stripe.calls("POST", f"{session_path(payment)}/expire")
    assert card_lines(payment).count() == 1


# --- Stripe errors on capture ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error", "headers"),
    [
        (500, {"type": "api_error", "message": "An unknown error occurred"}, {"Stripe-Should-Retry": "false"}),
        (
            402,
            {"type": "card_error", "code": "card_declined", "decline_code": "generic_decline", "message": "Declined"},
            {},
        ),
    ],
    ids=["500", "402"],
)
def test_capture_error_keeps_the_payment_authorized_and_a_later_refresh_captures_once(
    fake_stripe, poursuite, client, settings, status, error, headers
):
    payment = start_payment(poursuite)
    due_before = balance(poursuite)
    fake_stripe.pay(payment.gateway_session_id)
    fake_stripe.fail("capture", status, {"error": error}, headers)

    response = completed(client, fake_stripe, payment)

    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.state == P.AUTHORIZED
    assert incidents(IncidentKind.CAPTURE_FAILED, payment).count() == 1
    assert len(fake_stripe.calls("POST", capture_path(payment))) == 1
    assert balance(poursuite) == due_before
    assert not card_lines(payment).exists()

    # The periodic reconciliation asks Stripe again and captures.
    settings.PAYMENT_RECONCILE_AFTER = 0
    tasks.reconcile_payments()
    # ...and a late webhook about the same session changes nothing more.
    completed(client, fake_stripe, payment)

    payment.refresh_from_db()
    assert payment.state == P.CAPTURED
    captures = fake_stripe.calls("POST", capture_path(payment))
    # Stripe replays the saved error to a reused key for 24 hours: the retry needs a new key.
    assert [request.headers["idempotency-key"] for request in captures] == [
        f"capture-{payment.public_id}",
        f"capture-{payment.public_id}-1",
    ]
    assert card_lines(payment).count() == 1
    assert balance(poursuite) == due_before - payment.amount
    assert PaymentEvent.objects.filter(payment=payment, to_state=P.CAPTURED, actor=Actor.RECONCILIATION).count() == 1


def test_failed_release_of_a_credit_card_is_retried_by_the_reconciliation(fake_stripe, poursuite, client, settings):
    payment = start_payment(poursuite)
    intent_id = fake_stripe.pay(payment.gateway_session_id, brand="visa", funding="credit")
    fake_stripe.fail(
        "cancel", 500, {"error": {"type": "api_error", "message": "boom"}}, {"Stripe-Should-Retry": "false"}
    )

    assert completed(client, fake_stripe, payment).status_code == 200
    payment.refresh_from_db()
    assert payment.state == P.AUTHORIZED
    assert incidents(IncidentKind.GATEWAY_ERROR, payment).count() == 1

    settings.PAYMENT_RECONCILE_AFTER = 0
    tasks.reconcile_payments()

    payment.refresh_from_db()
    assert payment.state == P.CANCELLED
    assert payment.failure_reason == "card_not_accepted"
    assert fake_stripe.intents[intent_id]["status"] == "canceled"
    cancels = fake_stripe.calls("POST", f"/v1/payment_intents/{intent_id}/cancel")
    assert [request.headers["idempotency-key"] for request in cancels] == [
        f"cancel-{payment.public_id}",
        f"cancel-{payment.public_id}-1",
    ]
    assert not fake_stripe.calls("POST", f"/v1/payment_intents/{intent_id}/capture")
    assert not card_lines(payment).exists()


def test_transient_capture_error_is_retried_with_the_same_idempotency_key(fake_stripe, poursuite, client):
    payment = start_payment(poursuite)
    fake_stripe.pay(payment.gateway_session_id)
    fake_stripe.fail(
        "capture", 503, {"error": {"type": "api_error", "message": "lock timeout"}}, {"Stripe-Should-Retry": "true"}
    )

    completed(client, fake_stripe, payment)

    payment.refresh_from_db()
    assert payment.state == P.CAPTURED
    captures = fake_stripe.calls("POST", capture_path(payment))
    assert [request.headers["idempotency-key"] for request in captures] == [f"capture-{payment.public_id}"] * 2
    assert not incidents(IncidentKind.CAPTURE_FAILED).exists()
    assert card_lines(payment).count() == 1


def test_stripe_unreachable_during_a_webhook_answers_503_so_stripe_retries(fake_stripe, poursuite, client):
    payment = start_payment(poursuite)
    fake_stripe.pay(payment.gateway_session_id)
    event = stripe_event("checkout.session.completed", fake_stripe.session_payload(payment.gateway_session_id))
    fake_stripe.fail(
        "retrieve_session", 500, {"error": {"type": "api_error", "message": "boom"}}, {"Stripe-Should-Retry": "false"}
    )

    assert deliver(client, event).status_code == 503
    assert not GatewayEvent.objects.exists()  # not marked as handled: the redelivery is processed

    assert deliver(client, event).status_code == 200
    payment.refresh_from_db()
    assert payment.state == P.CAPTURED
    assert card_lines(payment).count() == 1


def test_gateway_errors_carry_stripes_message(fake_stripe, poursuite):
    payment = start_payment(poursuite)
    fake_stripe.fail("retrieve_session", 404, {"error": {"type": "invalid_request_error", "message": "No such"}})

    with pytest.raises(GatewayError, match="InvalidRequestError"):
        stripe_gateway.StripeGateway().fetch(payment)


# --- Through the public pages, and nothing card-like kept -----------------------------------------

# A card number stands alone (not inside a PSP id such as cs_test_0001a22494195...).
PAN_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{12,19}(?![0-9A-Za-z])")


def test_public_flow_pays_by_debit_card_and_keeps_only_brand_funding_and_last4(fake_stripe, poursuite, client):
    due_before = balance(poursuite)
    lookup = client.post(
        "/poursuites/solde/",
        {"number": str(poursuite.number), "key_letter": poursuite.key_letter, "payment_date": today().isoformat()},
    )
    assert lookup.status_code == 200
    content = lookup.content.decode()
    assert "Payer par carte de débit" in content
    start_url = lookup.context["card_payment_url"]
    assert start_url in content

    assert client.get(start_url).status_code == 200
    redirect = client.post(start_url, {"choice": "solde", "email": EMAIL, "accept": "on"})
    payment = Payment.objects.get()
    session = fake_stripe.sessions[payment.gateway_session_id]
    assert redirect.status_code == 302
    assert redirect["Location"] == session["url"]
    assert payment.amount == due_before

    intent_id = fake_stripe.pay(payment.gateway_session_id, brand="visa", funding="debit", last4="5556")
    assert completed(client, fake_stripe, payment).status_code == 200
    return_url = session["success_url"].replace("{CHECKOUT_SESSION_ID}", payment.gateway_session_id)
    page = client.get(return_url.removeprefix("http://testserver"))

    assert "Paiement accepté" in page.content.decode()
    payment.refresh_from_db()
    assert payment.state == P.CAPTURED
    assert balance(poursuite) == Decimal("0.00")
    assert card_lines(payment).count() == 1
    assert len(fake_stripe.calls("POST", f"/v1/payment_intents/{intent_id}/capture")) == 1

    # Nothing card-like is stored: brand, funding and the last 4 digits, nothing else of the card.
    assert (payment.card_brand, payment.card_funding, payment.card_last4) == ("visa", "debit", "5556")
    card = fake_stripe.intents[intent_id]["_charge"]["payment_method_details"]["card"]
    charge_id = fake_stripe.intents[intent_id]["_charge"]["id"]
    stored = [
        *(str(getattr(payment, field.attname)) for field in Payment._meta.concrete_fields),
        *(f"{event.detail} {event.psp_event_id}" for event in PaymentEvent.objects.all()),
        *(incident.detail for incident in Incident.objects.all()),
        *(f"{event.event_id} {event.type}" for event in GatewayEvent.objects.all()),
    ]
    for value in stored:
        assert not PAN_LIKE.search(value), value
        assert card["fingerprint"] not in value
        assert charge_id not in value
        assert str(card["exp_year"]) not in value
    card_fields = {"card_brand", "card_funding", "card_last4"}
    assert {field.name for field in Payment._meta.concrete_fields if field.name.startswith("card")} == card_fields
    assert len(payment.card_last4) == 4


def test_a_checkout_retried_two_minutes_late_is_still_accepted(fake_stripe, poursuite, time_machine, monkeypatch):
    """The expiry is computed before the call and reused by the SDK's retry: it keeps a margin over
    Stripe's 30 minutes, counted when the (late) retry arrives."""
    answer, late = fake_stripe._answer, []

    def first_attempt_hangs(request):
        if request.path == "/v1/checkout/sessions" and not late:
            late.append(request)
            time_machine.shift(timedelta(minutes=2))
        return answer(request)

    monkeypatch.setattr(fake_stripe, "_answer", first_attempt_hangs)
    fake_stripe.fail("create_session", 500, {"error": {"type": "api_error"}}, {"Stripe-Should-Retry": "true"})

    payment = start_payment(poursuite)

    assert len(fake_stripe.calls("POST", "/v1/checkout/sessions")) == 2
    assert payment.state == P.OPEN and payment.gateway_session_id in fake_stripe.sessions


@pytest.mark.parametrize(
    ("version", "sent", "not_sent"),
    [
        ("2026-08-26.dahlia", "payment_method_types", "allowed_payment_method_types"),
        ("2026-10-28.endive", "allowed_payment_method_types", "payment_method_types"),
    ],
)
def test_checkout_parameters_follow_the_pinned_api_version(
    fake_stripe, poursuite, monkeypatch, version, sent, not_sent
):
    """Moving the pin past Stripe's renaming cannot turn every checkout into a 400."""
    monkeypatch.setattr(stripe_gateway, "API_VERSION", version)

    payment = start_payment(poursuite)

    [request] = fake_stripe.calls("POST", "/v1/checkout/sessions")
    assert request.headers["stripe-version"] == version
    assert request.listed(sent) == ["card"] and not request.listed(not_sent)
    assert payment.state == P.OPEN


# --- A failed attempt on Stripe's page: an incident for a processing error only -------------------


def payment_failed(fake, payment, error: dict) -> dict:
    """Stripe's `payment_intent.payment_failed` for an attempt on the hosted page of `payment`."""
    intent_id = fake.pay(payment.gateway_session_id)
    fake.set_intent(intent_id, status="requires_payment_method", last_payment_error=error)
    fake.set_session(payment.gateway_session_id, status="open", payment_status="unpaid")
    return stripe_event("payment_intent.payment_failed", fake.intent_payload(intent_id))


def test_a_processing_error_at_stripe_records_an_incident_and_keeps_the_payment_open(
    fake_stripe, poursuite, client, admin_client
):
    payment = start_payment(poursuite)
    event = payment_failed(
        fake_stripe,
        payment,
        {"type": "card_error", "code": "processing_error", "message": "An error occurred while processing your card."},
    )

    assert deliver(client, event).status_code == 200
    assert deliver(client, event).status_code == 200  # delivered twice: one incident

    payment.refresh_from_db()
    assert payment.state == P.OPEN  # the payer may try again on Stripe's page
    assert payment.failure_reason == "processing_error"
    [incident] = incidents(IncidentKind.GATEWAY_ERROR, payment)
    assert event["id"] in incident.detail
    assert not incidents(IncidentKind.UNKNOWN_PAYMENT).exists()


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        ({"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds"}, "declined"),
        ({"type": "card_error", "code": "card_declined", "decline_code": "card_not_supported"}, "card_not_accepted"),
    ],
)
def test_a_card_declined_at_stripe_is_no_incident_and_the_admin_says_why(
    fake_stripe, poursuite, client, admin_client, error, reason
):
    from paiements.state import FAILURE_REASONS

    payment = start_payment(poursuite)
    assert deliver(client, payment_failed(fake_stripe, payment, error)).status_code == 200

    payment.refresh_from_db()
    assert (payment.state, payment.failure_reason) == (P.OPEN, reason)
    assert not Incident.objects.exists()
    fake_stripe.set_session(payment.gateway_session_id, status="expired", url=None)
    expired = stripe_event("checkout.session.expired", fake_stripe.session_payload(payment.gateway_session_id))
    assert deliver(client, expired).status_code == 200
    page = admin_client.get(f"/guichet/paiements/payment/{payment.pk}/change/").content.decode()
    assert str(FAILURE_REASONS[reason]).replace("'", "&#x27;") in page


def test_a_credit_card_released_by_the_portal_is_no_incident(fake_stripe, poursuite, client):
    payment = start_payment(poursuite)
    fake_stripe.pay(payment.gateway_session_id, brand="visa", funding="credit")
    assert completed(client, fake_stripe, payment).status_code == 200
    payment.refresh_from_db()
    assert (payment.state, payment.failure_reason) == (P.CANCELLED, "card_not_accepted")
    assert not Incident.objects.exists()
