"""Paying a penal order in Chromium: found by its 27-digit reference, its QR-bill, the card payment
in the sandbox PSP, then shown paid; axe-core (WCAG 2.0/2.1 A and AA) on every page on the way."""

from datetime import timedelta
from decimal import Decimal

import pytest
from stdnum.ch import esr

from contraventions import services
from contraventions.constants import EtatOrdonnance
from contraventions.models import OrdonnancePenale, PaymentLine
from contraventions.references import order_reference
from ocp_portal.dates import today
from tests.browser.test_balance_lookup import described_by, focused_id, run_axe
from tests.browser.test_card_payment import VISA_DEBIT, fill_payment_form, pay_with, submit_payment_form
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PAY_URL = "/contraventions/"


@pytest.fixture
def order(transactional_db):
    offender = PersonFactory(name="Rochat", first_name="Léa")
    return services.register_order(
        offender=offender,
        offence="Stationnement sur une place réservée aux livraisons",
        fine=Decimal("120.00"),
        notification_date=today() - timedelta(days=3),
    )


def submit_reference(page, reference: str):
    page.focus("#id_reference")
    page.keyboard.type(reference)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_find_by_reference_download_the_qr_bill_pay_by_card_and_see_it_paid(page, order):
    page.goto("/")
    page.get_by_role("link", name="Payer une ordonnance pénale").click()
    page.wait_for_url(f"**{PAY_URL}")
    assert page.locator("#id_reference_helptext").inner_text() in described_by(page, "#id_reference")
    run_axe(page)

    submit_reference(page, esr.format(order.qr_reference))  # as printed, with spaces
    assert page.evaluate("() => document.activeElement.matches('section.result')")
    assert page.locator("table.breakdown tr.total td").inner_text().strip() == "CHF 220.00"
    page.wait_for_function(
        "() => { const img = document.querySelector('.qr-bill img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    pdf = page.request.get(page.get_by_role("link", name="Télécharger la facture QR (PDF)").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    assert "CH18 0078 8000 L326 0693 3" in page.locator("main").inner_text()
    run_axe(page)

    page.get_by_role("link", name="Payer par carte de débit").click()
    page.wait_for_url("**/paiements/payer/**")
    assert "CHF 220.00" in page.locator("main").inner_text()
    assert page.locator("#id_instalment").count() == 0 or not page.get_by_label("Payer un acompte").count()
    fill_payment_form(page, instalment=None)
    submit_payment_form(page)
    page.wait_for_url("**/psp-test/checkout/**")
    pay_with(page, VISA_DEBIT)
    assert page.locator("h1").inner_text() == "Paiement accepté"
    assert page.locator("dt:has-text('Nouveau solde') + dd").inner_text() == "CHF 0.00"
    run_axe(page)

    assert OrdonnancePenale.objects.get(pk=order.pk).state == EtatOrdonnance.PAYEE
    assert PaymentLine.objects.get().amount == Decimal("220.00")
    page.goto(PAY_URL)
    submit_reference(page, order.qr_reference)
    result = page.locator("section.result")
    assert "Payée" in result.inner_text() and "est payée" in result.inner_text()
    assert page.get_by_role("link", name="Payer par carte de débit").count() == 0
    run_axe(page)


def test_wrong_and_unknown_references_get_their_messages(page, order):
    page.goto(PAY_URL)
    submit_reference(page, order.qr_reference[:-1] + str((int(order.qr_reference[-1]) + 1) % 10))
    assert focused_id(page) == "form-errors"
    assert page.get_attribute("#id_reference", "aria-invalid") == "true"
    assert "chiffre de contrôle" in described_by(page, "#id_reference")
    run_axe(page)

    page.fill("#id_reference", "")
    submit_reference(page, order_reference(2999999))
    assert page.locator("#form-errors").inner_text().startswith("Aucune ordonnance pénale payable")
    assert page.get_attribute("#id_reference", "aria-invalid") is None
    assert page.locator("section.result").count() == 0
    run_axe(page)


def test_information_and_arrangement_pages_are_accessible(page, order):
    page.goto("/contraventions/informations/?pages=12")
    assert "CHF 22.00" in page.locator("#copy-fee").inner_text()
    run_axe(page)
    page.get_by_role("link", name="Demander un arrangement de paiement").first.click()
    page.wait_for_url("**/contraventions/arrangement/")
    page.fill("#id_reference", order.qr_reference)
    page.fill("#id_monthly_amount", "40")
    page.fill("#id_email", "lea.rochat@example.ch")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer la demande").click()
    assert "CHF 50.00" in described_by(page, "#id_monthly_amount")
    run_axe(page)
    page.fill("#id_monthly_amount", "80")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer la demande").click()
    assert page.locator("h1").inner_text() == "Demande d'arrangement enregistrée"
    run_axe(page)
