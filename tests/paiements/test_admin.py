from decimal import Decimal as D

import pytest
from django.urls import reverse

from paiements.constants import PaymentState
from paiements.gateways.sandbox import notification_body
from paiements.models import Incident, Payment, Refund, SandboxSession
from paiements.services import handle_notification
from paiements.state import record_incident

pytestmark = pytest.mark.django_db


def authorize(payment, funding="debit"):
    session = SandboxSession.objects.get(session_id=payment.gateway_session_id)
    session.status, session.card_brand, session.card_funding, session.card_last4 = "authorized", "visa", funding, "5556"
    session.save()
    from paiements.gateways.sandbox import SIGNATURE_HEADER, sign

    body = notification_body(session)
    handle_notification("sandbox", body, {SIGNATURE_HEADER: sign(body)})
    payment.refresh_from_db()
    return payment


def test_clerk_finds_a_payment_by_email_and_sees_no_card_number(client, clerk, open_payment):
    authorize(open_payment)
    client.force_login(clerk)
    listing = client.get(reverse("admin:paiements_payment_changelist"), {"q": "debiteur@example.ch"})
    assert listing.status_code == 200 and open_payment.label in listing.content.decode()
    page = client.get(reverse("admin:paiements_payment_change", args=[open_payment.pk])).content.decode()
    assert "5556" in page and "4000056655665556" not in page


def test_clerk_marks_an_incident_handled_with_who_and_why(client, clerk, open_payment):
    incident = record_incident("overpayment", "Trop-perçu de 10 CHF", open_payment)
    client.force_login(clerk)
    url = reverse("admin:paiements_incident_change", args=[incident.pk])
    assert client.post(url, {"resolution": "Remboursé par virement du 26.11."}).status_code == 302
    incident.refresh_from_db()
    assert incident.closed_by == clerk and incident.closed_at and not incident.is_open


def test_supervisor_records_a_refund_within_the_captured_amount(client, supervisor, open_payment):
    client.force_login(supervisor)
    change_page = reverse("admin:paiements_payment_change", args=[open_payment.pk])
    assert "Enregistrer un remboursement" not in client.get(change_page).content.decode()  # nothing captured yet
    authorize(open_payment)
    assert "Enregistrer un remboursement" in client.get(change_page).content.decode()
    url = reverse("admin:paiements_payment_action", args=[open_payment.pk, "remboursement"])
    assert client.post(url, {"amount": "150.00", "note": "trop"}).status_code == 200  # more than paid
    assert client.post(url, {"amount": "60.00", "note": "Virement BCGE 26.11"}).status_code == 302
    assert Refund.objects.get().amount == D("60.00")


def test_supervisor_cancels_an_authorized_payment(client, supervisor, open_payment, monkeypatch):
    # Keep it authorized: the sandbox capture is made to fail once.
    from paiements.gateways.base import GatewayError
    from paiements.gateways.sandbox import SandboxGateway

    def unavailable(self, payment):
        raise GatewayError("capture indisponible")

    monkeypatch.setattr(SandboxGateway, "capture", unavailable)
    authorize(open_payment)
    assert open_payment.state == PaymentState.AUTHORIZED
    assert Incident.objects.filter(kind="capture_failed").exists()
    client.force_login(supervisor)
    response = client.post(
        reverse("admin:paiements_payment_changelist"),
        {"action": "cancel_authorized", "_selected_action": [open_payment.pk]},
    )
    assert response.status_code == 302
    assert Payment.objects.get(pk=open_payment.pk).state == PaymentState.CANCELLED
    assert SandboxSession.objects.get().status == PaymentState.CANCELLED


def test_daily_totals_sum_captured_payments_per_purpose(client, clerk, open_payment):
    authorize(open_payment)
    client.force_login(clerk)
    html = client.get(reverse("admin:paiements_payment_totals")).content.decode()
    assert "poursuite" in html and "CHF 100.00" in html
