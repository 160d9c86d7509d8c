"""An order under a granted arrangement offers its next instalment (its own QR-bill and card
payment), its schedule, and the balance as an option; no new request, no « déjà en cours »."""

from datetime import timedelta
from decimal import Decimal as D
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contraventions import arrangements, services
from contraventions.balance import order_balance
from contraventions.instalment_payments import InstalmentPurpose
from contraventions.payment_purposes import OrdonnancePenalePurpose
from ocp_portal.dates import today
from ocp_portal.formats import format_date
from paiements import links
from paiements import services as payments
from paiements.conditions import current
from paiements.constants import PaymentState
from tests.contraventions.conftest import reload
from tests.contraventions.test_card_payment import pay

pytestmark = pytest.mark.django_db
PAY_URL = reverse("contraventions:pay")
ARRANGEMENT_URL = reverse("contraventions:arrangement")


@pytest.fixture
def granted(order):
    """CHF 220 in three instalments (100, 100, 20), the first due in 5 days."""
    request = arrangements.request_arrangement(order=order, monthly_amount=D("100"), email="a@b.ch", on=today())
    return arrangements.accept(arrangement=request, first_due_date=today() + timedelta(days=5), on=today())


def target(path: str) -> tuple[str, str]:
    token = path.rstrip("/").rsplit("/", 1)[-1]
    return links.read_token(token)


def test_the_page_offers_the_next_instalment_first_and_the_balance_as_an_option(client, order, granted):
    first, second, _third = granted.instalments.all()
    response = client.post(PAY_URL, {"reference": order.qr_reference})
    html = unescape(response.content.decode())
    assert "Payer la mensualité n° 1" in html and f"à payer au plus tard le {format_date(first.due_date)}" in html
    assert target(response.context["instalment_card_url"]) == (InstalmentPurpose.code, first.qr_reference)
    token = links.read_qr_bill_token(response.context["instalment_qr_bill_token"])
    assert token[:2] == (InstalmentPurpose.code, first.qr_reference)
    assert "Facture QR de CHF 100.00 en faveur du Service des contraventions" in html  # the instalment's, not 220
    assert "Facture QR de CHF 220.00" not in html
    # The balance stays an option, by card and by QR-bill.
    assert target(response.context["card_payment_url"]) == (OrdonnancePenalePurpose.code, order.qr_reference)
    assert "Payer le solde par carte de débit" in html and "Facture QR du solde (PDF)" in html
    # The schedule, and no new request.
    assert "Échéancier de l'arrangement accordé" in html and format_date(second.due_date) in html
    assert "/echeancier/" in html
    assert "Demander un arrangement" not in html


def test_once_the_first_is_paid_the_second_is_offered_and_the_first_shows_paid(client, order, granted):
    services.record_payment(order=order, on=today(), amount=D("100"))
    response = client.post(PAY_URL, {"reference": order.qr_reference})
    html = unescape(response.content.decode())
    second = granted.instalments.get(position=2)
    assert target(response.context["instalment_card_url"]) == (InstalmentPurpose.code, second.qr_reference)
    assert "Payer la mensualité n° 2" in html and "Payée" in html


def test_a_part_payment_lowers_the_next_instalment(order, granted):
    services.record_payment(order=order, on=today(), amount=D("30"))
    first = granted.instalments.get(position=1)
    assert InstalmentPurpose().amount_due(first, today()) == D("70.00")
    assert InstalmentPurpose().qr_bill(first, today()).amount == D("70.00")


def test_an_instalment_is_paid_by_card_and_lands_on_the_order(
    client, order, granted, django_capture_on_commit_callbacks
):
    first = granted.instalments.get(position=1)
    payment = payments.create_payment(
        purpose_code=InstalmentPurpose.code,
        reference=first.qr_reference,
        instalment=None,
        email="lea@example.ch",
        conditions_version=current()[0],
    )
    assert payment.amount == D("100.00") and "Mensualité 1/3" in payment.label
    payments.open_checkout(payment, return_url="http://testserver/r", cancel_url="http://testserver/a")
    payment.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        pay(client, payment)
    payment.refresh_from_db()
    assert payment.state == PaymentState.CAPTURED and payment.balance_after == D("120.00")
    assert order_balance(reload(order)).total == D("120.00")
    assert InstalmentPurpose().amount_due(first, today()) == D("0.00")


def test_no_instalment_is_offered_once_the_arrangement_is_over(order, granted):
    arrangements.declare_broken(arrangement=granted, on=today())
    first = InstalmentPurpose().resolve(granted.instalments.get(position=1).qr_reference)
    assert InstalmentPurpose().amount_due(first, today()) == D("0.00")
    assert InstalmentPurpose().qr_bill(first, today()) is None


def test_a_new_request_is_told_the_arrangement_is_granted_with_its_schedule(client, order, granted):
    with pytest.raises(ValidationError, match="déjà été accordé") as refused:
        arrangements.check_request(reload(order), D("60"))
    assert refused.value.code == "granted"
    data = {"reference": order.qr_reference, "monthly_amount": "60", "email": "lea@example.ch"}
    html = unescape(client.post(ARRANGEMENT_URL, data).content.decode())
    assert "déjà été accordé" in html and "déjà en cours" not in html
    assert "Échéancier de l'arrangement accordé" in html
    assert format_date(granted.instalments.get(position=3).due_date) in html
    assert order.arrangements.count() == 1
