"""The card payment page and its outcome, as issue 16 asks (defects 2, 10c, 10d, 10g); the browser
side of 10c and 10d is in tests/browser/test_card_payment.py."""

import re
from decimal import Decimal as D
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from contraventions.payment_purposes import OrdonnancePenalePurpose
from paiements import services
from paiements.conditions import current
from paiements.links import checkout_path
from paiements.models import Payment
from tests.contraventions.conftest import make_order
from tests.paiements.conftest import as_payer

pytestmark = pytest.mark.django_db
VISA_DEBIT = "4000 0566 5566 5556"


def test_an_instalment_typed_the_swiss_way_is_taken(client, poursuite):
    form = {"choice": "acompte", "instalment": "1'000,50", "email": "debiteur@example.ch", "accept": "on"}
    assert client.post(checkout_path("poursuite", poursuite.reference), form).status_code == 302
    payment = Payment.objects.get()
    assert (payment.amount, payment.is_instalment) == (D("1000.50"), True)


def test_the_instalment_box_is_shown_by_the_server_and_toggled_by_a_static_script(client, poursuite):
    html = client.get(checkout_path("poursuite", poursuite.reference)).content.decode()
    box = re.search(r'<div id="instalment-box" data-shown-for="acompte">', html)
    assert box and "hidden" not in box.group(0)  # without script it stays visible (and is ignored with solde)
    assert 'id="id_instalment"' in html[box.end() :]
    assert re.search(r'<script src="[^"]*js/checkout\.js" defer></script>', html)
    script = (Path(settings.BASE_DIR) / "static/js/checkout.js").read_text()
    assert "instalment-box" in script and "aria-controls" in script


def test_the_phone_handoff_is_hidden_on_narrow_screens_by_the_stylesheet():
    css = (Path(settings.BASE_DIR) / "static/css/portal.css").read_text()
    assert re.search(r"@media \(max-width: 40em\)[^{]*\{ \.phone-handoff \{ display: none; \} \}", css)


def pay(client, purpose: str, reference: str):
    """The payment page, the sandbox's page, back to the portal's outcome page, as the payer."""
    url = checkout_path(purpose, reference)
    to_psp = client.post(url, {"choice": "solde", "email": "payeur@example.ch", "accept": "on"})
    card = {"number": VISA_DEBIT, "expiry": "12/30", "security_code": "123", "holder": "Léa Rochat"}
    back = client.post(to_psp["Location"], card)
    return unescape(client.get(back["Location"]).content.decode())


def test_the_success_page_dates_the_payment_and_leads_back_to_the_balance_lookup(client, poursuite):
    html = pay(client, "poursuite", poursuite.reference)
    assert "Paiement accepté" in html
    now = timezone.localtime()  # the pinned clock, Europe/Zurich
    assert re.search(rf"<dt>Date et heure</dt><dd>{now:%d\.%m\.%Y à %H}:\d\d</dd>", html)
    link = f'<a href="{reverse("poursuites:balance_lookup")}">Retour à la consultation du solde</a>'
    assert link in html
    assert "Télécharger la quittance" in html


def test_the_success_page_of_a_penal_order_leads_back_to_its_lookup(client):
    order = make_order()
    html = pay(client, OrdonnancePenalePurpose.code, order.qr_reference)
    assert "Paiement accepté" in html
    assert f'<a href="{reverse("contraventions:pay")}">' in html


def test_the_back_link_is_not_shown_before_the_capture(client, poursuite):
    payment = services.create_payment(
        purpose_code="poursuite",
        reference=poursuite.reference,
        instalment=None,
        email="payeur@example.ch",
        conditions_version=current()[0],
    )
    as_payer(client, payment)
    html = unescape(client.get(reverse("paiements:return", args=[payment.public_id])).content.decode())
    assert "Retour à la consultation du solde" not in html and "Date et heure" not in html
