"""Card payments of penal orders through the sandbox PSP: the order shows paid, the money lands
once (the paiements payment's public_id is the unique external reference)."""

import io
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from contraventions import services
from contraventions.balance import order_balance
from contraventions.constants import EtatOrdonnance, SourcePaiement
from contraventions.models import Paiement
from contraventions.payment_purposes import OrdonnancePenalePurpose
from ocp_portal.dates import today
from paiements import services as payments
from paiements.conditions import current
from paiements.constants import IncidentKind, PaymentState
from paiements.models import Incident
from paiements.purposes import registry
from tests.contraventions.conftest import reload

pytestmark = pytest.mark.django_db
VISA_DEBIT = "4000 0566 5566 5556"


def start(order, instalment=None):
    payment = payments.create_payment(
        purpose_code=OrdonnancePenalePurpose.code,
        reference=order.qr_reference,
        instalment=instalment,
        email="lea@example.ch",
        conditions_version=current()[0],
    )
    payments.open_checkout(payment, return_url="http://testserver/retour", cancel_url="http://testserver/abandon")
    payment.refresh_from_db()
    return payment


def pay(client, payment):
    card = {"number": VISA_DEBIT, "expiry": "12/30", "security_code": "123", "holder": "Léa Rochat"}
    return client.post(reverse("sandbox_psp:checkout", args=[payment.gateway_session_id]), card)


def test_the_purpose_is_registered_by_the_app():
    assert isinstance(registry.get("ordonnance_penale"), OrdonnancePenalePurpose)


def test_paying_the_balance_by_card_marks_the_order_paid_once(client, order, django_capture_on_commit_callbacks):
    payment = start(order)
    assert payment.amount == D("220.00") and payment.label == str(order)
    with django_capture_on_commit_callbacks(execute=True):
        pay(client, payment)
    payment.refresh_from_db()
    assert payment.state == PaymentState.CAPTURED and payment.balance_after == D("0.00")
    order = reload(order)
    assert order.state == EtatOrdonnance.PAYEE
    line = Paiement.objects.get()
    assert (line.amount, line.source, line.external_reference) == (
        D("220.00"),
        SourcePaiement.CARTE_EN_LIGNE,
        str(payment.public_id),
    )
    # The same capture reported again is not applied twice.
    registry["ordonnance_penale"].on_captured(reload(order), payment)
    assert Paiement.objects.count() == 1
    assert order_balance(reload(order)).paid == D("220.00")


def test_the_receipt_is_headed_by_the_service_des_contraventions(client, order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pay(client, start(order))
    (receipt,) = mail.outbox
    assert "Service des contraventions" in receipt.body and "Office cantonal des poursuites" not in receipt.body
    text = PdfReader(io.BytesIO(receipt.attachments[0][1])).pages[0].extract_text()
    assert "Service des contraventions" in text and "Chemin de la Gravière 5" in text


def test_no_instalment_by_card_without_an_arrangement(order):
    with pytest.raises(ValidationError, match="se paie en une fois"):
        start(order, instalment=D("50"))


def test_money_captured_for_an_order_paid_meanwhile_is_flagged_for_refund(client, order):
    payment = start(order)
    services.record_payment(order=order, on=today(), amount=order_balance(order).total)
    pay(client, payment)
    payment.refresh_from_db()
    assert payment.state == PaymentState.CAPTURED and payment.surplus == payment.amount
    assert Incident.objects.filter(kind=IncidentKind.NOT_PAYABLE, payment=payment).exists()
    assert Paiement.objects.count() == 1
