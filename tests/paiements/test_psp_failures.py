"""A processing error at the PSP is an incident for the office; a card refused by its bank or as a
credit card is not, and the payment's admin page says why in French (sandbox PSP)."""

import pytest
from django.urls import reverse

from paiements.constants import IncidentKind, PaymentState
from paiements.models import Incident
from paiements.state import FAILURE_REASONS
from tests.paiements.test_sandbox_payments import DECLINED, PROCESSING_ERROR, VISA_CREDIT, notify, pay

pytestmark = pytest.mark.django_db


def payment_page(client, clerk, payment) -> str:
    client.force_login(clerk)
    return client.get(reverse("admin:paiements_payment_change", args=[payment.pk])).content.decode()


def test_a_processing_error_records_one_incident(client, clerk, open_payment):
    pay(client, open_payment, PROCESSING_ERROR)
    open_payment.refresh_from_db()

    assert open_payment.state == PaymentState.FAILED
    [incident] = Incident.objects.filter(payment=open_payment)
    assert incident.kind == IncidentKind.GATEWAY_ERROR and incident.is_open
    assert "processing_error" in incident.detail

    # The same news again (a replayed callback) records nothing more.
    from paiements.models import SandboxSession

    notify(client, SandboxSession.objects.get(session_id=open_payment.gateway_session_id))
    assert Incident.objects.filter(payment=open_payment).count() == 1
    assert "Erreur de traitement chez le prestataire de paiement" in payment_page(client, clerk, open_payment)


@pytest.mark.parametrize(
    ("card", "state", "reason"),
    [(DECLINED, PaymentState.REFUSED, "declined"), (VISA_CREDIT, PaymentState.CANCELLED, "card_not_accepted")],
)
def test_a_refused_card_is_no_incident_and_the_admin_says_why(client, clerk, open_payment, card, state, reason):
    pay(client, open_payment, card)
    open_payment.refresh_from_db()

    assert (open_payment.state, open_payment.failure_reason) == (state, reason)
    assert not Incident.objects.exists()
    page = payment_page(client, clerk, open_payment)
    assert "motif du refus ou de l&#x27;échec" in page.lower() or "motif du refus ou de l'échec" in page.lower()
    assert str(FAILURE_REASONS[reason]).replace("'", "&#x27;") in page
