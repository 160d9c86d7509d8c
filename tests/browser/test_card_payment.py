"""The whole sandbox card payment path in Chromium: from the balance lookup to the payment page,
the sandbox PSP's hosted page and back to the outcome page, with the money checked in the
database, the receipt in the (in-process) mail outbox, and axe-core on every page on the way."""

import os
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from ocp_portal.bookkeeping import MoneySource
from ocp_portal.dates import today
from ocp_portal.formats import format_chf
from paiements.constants import PaymentState
from paiements.links import checkout_path
from paiements.models import Payment
from poursuites.balance import poursuite_balance
from poursuites.models import PaymentLine, Poursuite
from tests.browser.test_balance_lookup import described_by, focused_id, run_axe, spaced, submit_lookup
from tests.factories import PersonFactory, make_poursuite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISA_DEBIT = "4000 0566 5566 5556"
VISA_CREDIT = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"
PROCESSING_ERROR = "4000 0000 0000 0119"
INSTALMENT = Decimal("100.00")
EMAIL = "lea.rochat@example.ch"
SANDBOX_PATH = "/psp-test/checkout/"
NOT_COMPLETED = "La démarche n'a pas abouti"


@pytest.fixture
def poursuite(transactional_db):
    debtor = PersonFactory(name="Rochat", first_name="Léa")
    poursuite = make_poursuite(claim=Decimal("3480.55"), notified_on=today() - timedelta(days=32), debtor=debtor)
    return Poursuite.objects.get(pk=poursuite.pk)


def due(poursuite) -> Decimal:
    return poursuite_balance(Poursuite.objects.get(pk=poursuite.pk), today()).total


def screenshot(page, name: str) -> None:
    """With BROWSER_SCREENSHOTS=/tmp, every state of the path is saved as /tmp/pay-<name>.png."""
    if folder := os.environ.get("BROWSER_SCREENSHOTS"):
        page.screenshot(path=os.path.join(folder, f"pay-{name}.png"), full_page=True)


def assert_no_sideways_scroll(page):
    width = page.viewport_size["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, page.url


def open_payment_page(page, poursuite):
    """Look the poursuite up, then follow its "Payer par carte de débit" link."""
    submit_lookup(page, spaced(poursuite.number), poursuite.key_letter.lower())
    page.get_by_role("link", name="Payer par carte de débit").click()
    page.wait_for_url("**/paiements/payer/**")
    assert page.locator("h1").inner_text() == "Payer par carte de débit"


def fill_payment_form(page, *, instalment: str | None, email: str = EMAIL, accept: bool = True):
    """By keyboard: choose the instalment, type amount and e-mail, tick the conditions with Space."""
    if instalment is not None:
        page.get_by_label("Payer un acompte").check()
        page.focus("#id_instalment")
        page.keyboard.type(instalment)
    page.focus("#id_email")
    page.keyboard.type(email)
    if accept:
        page.focus("#id_accept")
        page.keyboard.press("Space")
        assert page.is_checked("#id_accept")


def submit_payment_form(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Continuer vers le paiement sécurisé").click()


def go_to_sandbox(page, poursuite):
    open_payment_page(page, poursuite)
    fill_payment_form(page, instalment="100.00")
    submit_payment_form(page)
    page.wait_for_url(f"**{SANDBOX_PATH}**")
    assert page.locator("h1").inner_text() == "Paiement sécurisé"
    assert "CHF 100.00" in page.locator("main").inner_text()


def pay_with(page, number: str):
    """Type the card like a payer: number, Tab, expiry, Tab, code, Tab, holder, Enter."""
    page.focus("#id_number")
    page.keyboard.type(number)
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_expiry"
    page.keyboard.type("12/30")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_security_code"
    page.keyboard.type("123")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_holder"
    page.keyboard.type("Léa Rochat")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/paiements/*/retour/")


def test_visa_debit_instalment_is_captured_and_the_receipt_is_sent(page, poursuite):
    before = due(poursuite)
    assert before > INSTALMENT

    open_payment_page(page, poursuite)
    assert format_chf(before) in page.locator("main").inner_text()
    screenshot(page, "start")
    run_axe(page)
    fill_payment_form(page, instalment="100.00")
    submit_payment_form(page)

    page.wait_for_url(f"**{SANDBOX_PATH}**")
    payment = Payment.objects.get()
    assert (payment.state, payment.amount, payment.is_instalment) == (PaymentState.OPEN, INSTALMENT, True)
    assert payment.email == EMAIL
    screenshot(page, "sandbox")
    run_axe(page)
    pay_with(page, VISA_DEBIT)

    assert page.locator("h1").inner_text() == "Paiement accepté"
    main = page.locator("main").inner_text()
    assert "CHF 100.00" in main
    after = before - INSTALMENT
    assert page.locator("dt:has-text('Nouveau solde') + dd").inner_text() == format_chf(after)
    assert page.locator("dt:has-text('Carte') + dd").inner_text().endswith("5556")
    assert EMAIL in main
    assert re.fullmatch(
        r"\d\d\.\d\d\.\d{4} à \d\d:\d\d", page.locator("dt:has-text('Date et heure') + dd").inner_text()
    )
    back = page.get_by_role("link", name="Retour à la consultation du solde")
    assert back.get_attribute("href") == reverse("poursuites:balance_lookup")
    receipt = page.get_by_role("link", name="Télécharger la quittance (PDF)")
    with page.expect_download() as download:
        receipt.click()
    assert download.value.suggested_filename == f"quittance-{payment.public_id}.pdf"
    screenshot(page, "outcome")
    screenshot(page, "captured")
    run_axe(page)

    payment.refresh_from_db()
    assert payment.state == PaymentState.CAPTURED
    assert (payment.card_brand, payment.card_funding, payment.card_last4) == ("visa", "debit", "5556")
    assert payment.balance_after == after
    line = PaymentLine.objects.get()
    assert (line.poursuite_id, line.source, line.amount) == (poursuite.pk, MoneySource.CARTE_EN_LIGNE, INSTALMENT)
    assert line.external_reference == str(payment.public_id)
    assert due(poursuite) == after
    # The receipt went through the eager Celery task in the live server's thread, to the
    # in-process locmem outbox (var/mail under `make run`).
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert (name, mimetype) == (f"quittance-{payment.public_id}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    payment.refresh_from_db()
    assert payment.receipt_sent_at is not None


@pytest.mark.parametrize(
    "number, title, state, reason",
    [
        pytest.param(VISA_CREDIT, "Carte non acceptée", PaymentState.CANCELLED, "card_not_accepted", id="credit"),
        pytest.param(DECLINED, "Paiement refusé", PaymentState.REFUSED, "declined", id="declined"),
        pytest.param(PROCESSING_ERROR, NOT_COMPLETED, PaymentState.FAILED, "processing_error", id="error"),
    ],
)
def test_credit_declined_and_error_cards_end_with_their_message(page, poursuite, number, title, state, reason):
    before = due(poursuite)
    go_to_sandbox(page, poursuite)
    pay_with(page, number)

    assert page.locator("h1").inner_text() == title
    alert = page.locator("main [role=alert]")
    assert "inchangé" in alert.inner_text()
    retry = page.locator("main a.button")
    assert "/paiements/payer/" in retry.get_attribute("href")
    screenshot(page, reason)
    run_axe(page)

    payment = Payment.objects.get()
    assert (payment.state, payment.failure_reason) == (state, reason)
    assert due(poursuite) == before
    assert not PaymentLine.objects.exists()
    assert mail.outbox == []

    # The retry link opens the payment page again, still signed and still payable.
    retry.click()
    page.wait_for_url("**/paiements/payer/**")
    assert format_chf(before) in page.locator("main").inner_text()


def test_abandon_on_the_sandbox_page_cancels_and_leaves_the_balance(page, poursuite):
    before = due(poursuite)
    go_to_sandbox(page, poursuite)
    sandbox_url = page.url
    # A mistyped card number (bad check digit) is an error on its field of the sandbox's form.
    page.fill("#id_number", "4000 0566 5566 5557")
    page.fill("#id_expiry", "12/30")
    page.fill("#id_security_code", "123")
    page.fill("#id_holder", "Léa Rochat")
    with page.expect_navigation():
        page.get_by_role("button", name="Payer", exact=True).click()
    assert focused_id(page) == "form-errors"
    assert page.get_attribute("#id_number", "aria-invalid") == "true"
    assert "Numéro de carte invalide." in described_by(page, "#id_number")
    assert page.input_value("#id_holder") == "Léa Rochat"
    assert Payment.objects.get().state == PaymentState.OPEN
    screenshot(page, "sandbox-errors")
    run_axe(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Annuler et revenir au portail").click()
    page.wait_for_url("**/paiements/*/abandon/")
    assert page.locator("h1").inner_text() == "Paiement interrompu"
    assert Payment.objects.get().state == PaymentState.OPEN
    screenshot(page, "interrupted")
    run_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Abandonner ce paiement").click()

    assert page.locator("h1").inner_text() == NOT_COMPLETED
    assert "Votre démarche n'a pas abouti et le solde est inchangé." in page.locator("main [role=alert]").inner_text()
    screenshot(page, "abandoned")
    run_axe(page)
    payment = Payment.objects.get()
    assert (payment.state, payment.failure_reason) == (PaymentState.CANCELLED, "abandoned")
    assert due(poursuite) == before
    assert not PaymentLine.objects.exists()

    # The sandbox session is closed: going back to it shows so rather than the card form.
    page.goto(sandbox_url)
    assert page.locator("h1").inner_text() == "Cette session de paiement est close"
    assert page.locator("#id_number").count() == 0
    run_axe(page)


def test_payment_form_errors_are_tied_to_their_fields(page, poursuite):
    before = due(poursuite)
    open_payment_page(page, poursuite)
    page.get_by_label("Payer un acompte").check()  # the instalment amount shows with « acompte » only
    # Every field has a visible label; the help text is read with the instalment field.
    for field in ("instalment", "email", "accept"):
        assert page.locator(f"label[for='id_{field}']").is_visible()
    assert page.locator("#id_instalment_helptext").inner_text() in described_by(page, "#id_instalment")

    # Too small an instalment, and the conditions not accepted.
    fill_payment_form(page, instalment="5.00", accept=False)
    submit_payment_form(page)
    assert page.url.endswith("/") and "/paiements/payer/" in page.url
    assert focused_id(page) == "form-errors"
    summary = page.locator("#form-errors")
    assert summary.get_attribute("role") == "alert"

    instalment_error = f"Un acompte est compris entre CHF 10.00 et le solde de {format_chf(before)}."
    assert page.get_attribute("#id_instalment", "aria-invalid") == "true"
    assert page.locator("#id_instalment_error").inner_text() == instalment_error
    assert {"id_instalment_error", "id_instalment_helptext"} <= set(
        page.get_attribute("#id_instalment", "aria-describedby").split()
    )
    assert instalment_error in described_by(page, "#id_instalment")

    accept_error = "Vous devez accepter les conditions générales pour payer en ligne."
    assert page.get_attribute("#id_accept", "aria-invalid") == "true"
    assert page.locator("#id_accept_error").inner_text() == accept_error
    assert accept_error in described_by(page, "#id_accept")

    # What was typed is kept; the e-mail was right and is not marked invalid.
    assert page.is_checked("#id_choice_1")
    assert page.input_value("#id_instalment") == "5.00"
    assert page.input_value("#id_email") == EMAIL
    assert page.get_attribute("#id_email", "aria-invalid") is None

    # The summary links to each field in error, and following a link puts the focus on it.
    assert instalment_error in summary.locator("a[href='#id_instalment']").inner_text()
    summary.locator("a[href='#id_accept']").click()
    assert focused_id(page) == "id_accept"
    screenshot(page, "errors")
    run_axe(page)

    assert not Payment.objects.exists()
    assert due(poursuite) == before


def test_payment_and_sandbox_pages_reflow_on_a_narrow_screen(page, poursuite):
    """WCAG 1.4.10: at 320 CSS pixels wide nothing needs scrolling sideways (axe does not check it)."""
    page.set_viewport_size({"width": 320, "height": 800})
    open_payment_page(page, poursuite)
    assert_no_sideways_scroll(page)
    screenshot(page, "start-narrow")
    fill_payment_form(page, instalment="100.00")
    submit_payment_form(page)
    page.wait_for_url(f"**{SANDBOX_PATH}**")
    assert_no_sideways_scroll(page)
    screenshot(page, "sandbox-narrow")


def test_the_instalment_amount_shows_only_while_acompte_is_chosen(page, poursuite):
    """Issue 16, 10c: the field is hidden with « solde » (js/checkout.js), shown with « acompte »,
    and the keyboard user keeps the focus on the radio that revealed it."""
    before = due(poursuite)
    open_payment_page(page, poursuite)
    assert page.is_checked("#id_choice_0")
    assert not page.locator("#id_instalment").is_visible()
    assert page.get_attribute("#id_choice_1", "aria-controls") == "instalment-box"
    screenshot(page, "choice-balance")
    run_axe(page)

    page.focus("#id_choice_0")
    page.keyboard.press("ArrowDown")
    assert page.is_checked("#id_choice_1") and focused_id(page) == "id_choice_1"
    assert page.locator("#id_instalment").is_visible()
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_instalment"
    page.keyboard.type("1'000,50")  # the Swiss way (defect 2)
    screenshot(page, "choice-instalment")
    run_axe(page)

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("ArrowUp")
    assert page.is_checked("#id_choice_0") and focused_id(page) == "id_choice_0"
    assert not page.locator("#id_instalment").is_visible()
    fill_payment_form(page, instalment=None)
    submit_payment_form(page)
    page.wait_for_url(f"**{SANDBOX_PATH}**")
    payment = Payment.objects.get()
    assert (payment.amount, payment.is_instalment) == (before, False)  # what was left in the box is ignored


def test_without_javascript_the_instalment_amount_stays_and_is_taken(browser, live_server, poursuite):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="fr-CH")
    try:
        page = context.new_page()
        page.goto(checkout_path("poursuite", poursuite.reference))
        assert page.locator("#id_instalment").is_visible()
        page.get_by_label("Payer un acompte").check()
        page.fill("#id_instalment", "1'000,50")
        page.fill("#id_email", EMAIL)
        page.check("#id_accept")
        submit_payment_form(page)
        page.wait_for_url(f"**{SANDBOX_PATH}**")
        assert Payment.objects.get().amount == Decimal("1000.50")
    finally:
        context.close()


def test_the_phone_qr_code_is_not_shown_on_a_phone(page, poursuite):
    """Issue 16, 10d: « Payer depuis votre téléphone » on a desktop, not on a 390 px wide phone."""
    open_payment_page(page, poursuite)
    handoff = page.get_by_role("heading", name="Payer depuis votre téléphone")
    assert handoff.is_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    assert not handoff.is_visible()
    assert not page.locator(".phone-handoff img").is_visible()
    assert_no_sideways_scroll(page)
    screenshot(page, "start-390")
    run_axe(page)
