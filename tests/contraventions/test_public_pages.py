from datetime import timedelta
from decimal import Decimal as D
from html import unescape

import pytest
from django.urls import reverse
from stdnum.ch import esr

from contraventions import arrangements, services
from contraventions.constants import EtatArrangement
from contraventions.references import order_reference
from ocp_portal.dates import today
from tests.contraventions.conftest import make_order
from tests.factories import private_person

pytestmark = pytest.mark.django_db
PAY_URL = reverse("contraventions:pay")
ARRANGEMENT_URL = reverse("contraventions:arrangement")
NOT_FOUND = "Aucune ordonnance pénale payable ne correspond à cette référence."


def test_payable_order_shows_breakdown_deadlines_and_three_ways_to_pay(client, settings):
    order = make_order(fine=D("120"), notified_on=today() - timedelta(days=2), offender=private_person())
    response = client.post(PAY_URL, {"reference": esr.format(order.qr_reference)})
    assert response.status_code == 200
    html = unescape(response.content.decode())
    for text in ("CHF 120.00", "CHF 100.00", "CHF 220.00", order.due_date.strftime("%d.%m.%Y")):
        assert text in html
    assert "/paiements/payer/" in html  # card payment, signed link
    assert "/paiements/facture-qr/" in html  # QR-bill PDF and image
    assert "Facture QR de CHF 220.00 en faveur du Service des contraventions" in html  # its alt text
    assert settings.CONTRAVENTIONS["bank"]["iban"] in html and "BCGECHGGXXX" in html
    assert order.offence not in html and order.offender.name not in html  # never shown publicly


def test_unknown_reference_gets_the_neutral_message(client):
    response = client.post(PAY_URL, {"reference": order_reference(2999999)})
    assert response.status_code == 200
    assert NOT_FOUND in unescape(response.content.decode())
    assert response.context["result"] is None


def test_mistyped_reference_is_an_error_on_its_field(client):
    response = client.post(PAY_URL, {"reference": "1234"})
    assert response.status_code == 200
    assert "chiffre de contrôle" in response.context["form"].errors["reference"][0]
    assert 'aria-invalid="true"' in unescape(response.content.decode())


def test_lookups_are_rate_limited_with_a_french_429(client, settings):
    settings.LOOKUP_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(PAY_URL, {"reference": order_reference(2999999)}).status_code == 200
    response = client.post(PAY_URL, {"reference": order_reference(2999999)})
    assert response.status_code == 429
    assert "Trop de consultations depuis votre connexion" in unescape(response.content.decode())
    assert client.post(ARRANGEMENT_URL, {"reference": "x"}).status_code == 429


@pytest.mark.parametrize(
    "act, message",
    [
        (lambda o: services.record_opposition(order=o, on=today()), "Une opposition est en cours d'examen"),
        (lambda o: services.record_payment(order=o, on=today(), amount=D("220")), "est payée"),
    ],
)
def test_an_order_not_payable_says_why_and_offers_no_payment(client, order, act, message):
    act(order)
    html = unescape(client.post(PAY_URL, {"reference": order.qr_reference}).content.decode())
    assert message in html
    assert "/paiements/payer/" not in html and "/facture-qr/" not in html


def test_arrangement_request_is_recorded(client, order):
    data = {"reference": order.qr_reference, "monthly_amount": "80", "email": "lea@example.ch", "message": "Chômage"}
    response = client.post(ARRANGEMENT_URL, data)
    assert response.status_code == 200
    assert "Demande d'arrangement enregistrée" in unescape(response.content.decode())
    assert order.arrangements.get().state == EtatArrangement.DEMANDE


def test_arrangement_request_under_50_is_refused_on_its_field(client, order):
    data = {"reference": order.qr_reference, "monthly_amount": "49.95", "email": "lea@example.ch"}
    response = client.post(ARRANGEMENT_URL, data)
    assert response.context["form"].errors["monthly_amount"] == ["Les mensualités minimum accordées sont de CHF 50.00."]
    assert not order.arrangements.exists()


def test_arrangement_request_after_a_broken_one_is_refused(client, order):
    accepted = arrangements.accept(
        arrangement=arrangements.request_arrangement(order=order, monthly_amount=D("50"), email="a@b.ch", on=today()),
        first_due_date=today(),
        on=today(),
    )
    arrangements.declare_broken(arrangement=accepted, on=today())
    other = make_order(offender=order.offender)
    data = {"reference": other.qr_reference, "monthly_amount": "100", "email": "lea@example.ch"}
    response = client.post(ARRANGEMENT_URL, data)
    assert "n'a pas été respecté" in unescape(response.content.decode())
    assert not other.arrangements.exists()


@pytest.mark.parametrize(
    "query, expected, status",
    [
        ("pages=12", "CHF 22.00", 200),
        ("pages=abc", "Saisissez un nombre de pages", 200),
        ("pages=0", "au moins une page", 200),
    ],
)
def test_information_page_and_copy_calculator(client, query, expected, status):
    response = client.get(f"{reverse('contraventions:information')}?{query}")
    assert response.status_code == status
    html = unescape(response.content.decode())
    assert expected in html
    assert "CHF 80.00" in html and "CHF 500.00" in html and "10 jours" in html


def test_home_links_to_paying_a_penal_order(client):
    assert PAY_URL in unescape(client.get("/").content.decode())


def test_open_deadlines_are_shown_and_past_ones_are_not(client, overdue):
    from contraventions.procedure import opposition_deadline

    fresh = make_order(notified_on=today() - timedelta(days=1))
    html = unescape(client.post(PAY_URL, {"reference": fresh.qr_reference}).content.decode())
    assert "Opposition possible jusqu'au" in html and "Demande de révision du montant jusqu'au" in html
    assert opposition_deadline(fresh.notification_date).strftime("%d.%m.%Y") in html
    html = unescape(client.post(PAY_URL, {"reference": overdue.qr_reference}).content.decode())
    assert "Opposition possible jusqu'au" not in html and "révision du montant jusqu'au" not in html


def test_an_arrangement_covering_the_balance_is_refused_on_its_field(client, order):
    data = {"reference": order.qr_reference, "monthly_amount": "500", "email": "lea@example.ch"}
    response = client.post(ARRANGEMENT_URL, data)
    assert "couvre le solde de CHF 220.00" in response.context["form"].errors["monthly_amount"][0]
    assert not order.arrangements.exists()


def test_the_demo_orders_of_make_run_are_found_by_reference_and_payable(client):
    from contraventions.demo import build_demo

    examples = dict(build_demo())
    assert len(examples) == 4 and build_demo()  # built once, found again
    payable = examples["notifiée, payable (carte, facture QR, virement)"]
    response = client.post(PAY_URL, {"reference": esr.format(payable.qr_reference)})
    assert response.context["result"].is_payable and "qr_bill_token" in response.context
