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
from contraventions.constants import EtatOrdonnance
from contraventions.models import PaymentLine
from contraventions.payment_purposes import OrdonnancePenalePurpose
from ocp_portal.bookkeeping import MoneySource
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
    line = PaymentLine.objects.get()
    assert (line.amount, line.source, line.external_reference) == (
        D("220.00"),
        MoneySource.CARTE_EN_LIGNE,
        str(payment.public_id),
    )
    # The same capture reported again is not applied twice.
    registry["ordonnance_penale"].on_captured(reload(order), payment)
    assert PaymentLine.objects.count() == 1
    assert order_balance(reload(order)).paid == D("220.00")


def test_the_receipt_is_headed_by_the_service_des_contraventions(client, order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pay(client, start(order))
    (receipt,) = mail.outbox
    assert "Service des contraventions" in receipt.body and "Office cantonal des poursuites" not in receipt.body
    assert receipt.from_email.startswith("Service des contraventions <")
    text = PdfReader(io.BytesIO(receipt.attachments[0][1])).pages[0].extract_text()
    assert "Service des contraventions" in text and "Chemin de la Gravière 5" in text
    assert not [word for word in OCP_WORDS if word in text or word in receipt.body]


OCP_WORDS = ["Office cantonal des poursuites", "comptabilite.op@", "actes de défaut de biens", "Rue du Stand", "OCP"]


def test_a_penal_order_is_paid_under_the_service_des_contraventions_own_conditions_and_contacts(client, order):
    """Payment page, conditions accepted and outcome page: the Service des contraventions only."""
    from html import unescape

    from paiements.links import checkout_path
    from paiements.models import Payment
    from tests.paiements.conftest import as_payer

    url = checkout_path("ordonnance_penale", order.qr_reference)
    page = unescape(client.get(url).content.decode())
    conditions = page[page.index('id="conditions-title"') : page.index('class="version"')]
    assert "Service des contraventions" in conditions and "ordonnances pénales" in conditions
    assert not [word for word in OCP_WORDS if word in conditions]
    client.post(url, {"choice": "solde", "email": "lea@example.ch", "accept": "on"})
    payment = Payment.objects.get()
    purpose = registry["ordonnance_penale"]
    assert payment.conditions_version == purpose.issuer.conditions()[0] != current()[0]
    pay(client, payment)
    as_payer(client, payment)
    outcome = unescape(client.get(reverse("paiements:return", args=[payment.public_id])).content.decode())
    assert "Paiement accepté" in outcome and "+41 22 427 51 70" in outcome
    assert "comptabilite.op@etat.ge.ch" not in outcome


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
    assert PaymentLine.objects.count() == 1
