"""A debtor asks for the non-divulgation of a poursuite in Chromium: login, the request form
(errors tied to their fields, then an admissible request), the CHF 40 fee through the sandbox
PSP, and the request on the account page; axe-core on every page on the way."""

from datetime import timedelta

import pytest
from django.core import mail

from ocp_portal.dates import today
from paiements.models import Payment
from poursuites.constants import EtatNonDivulgation
from poursuites.models import DemandeNonDivulgation
from tests.browser.test_balance_lookup import described_by, focused_id, run_axe, spaced
from tests.browser.test_card_payment import VISA_DEBIT, pay_with, screenshot
from tests.poursuites.test_non_divulgation import EMAIL, make_account, opposed_poursuite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-ocp-2026"


@pytest.fixture
def poursuite(transactional_db, django_user_model):
    make_account(django_user_model)
    return opposed_poursuite()


def log_in(page):
    page.goto("/compte/connexion/?next=/poursuites/non-divulgation/")
    page.fill("#id_username", EMAIL)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/poursuites/non-divulgation/")


def fill_request(page, poursuite, *, declarations=True):
    page.focus("#id_number")
    page.keyboard.type(spaced(poursuite.number))
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_key_letter"
    page.keyboard.type(poursuite.key_letter.lower())
    page.get_by_role("radio", name="Personne physique").check()
    page.fill("#id_name", "ROCHAT")
    page.fill("#id_first_name", "Léa")
    page.fill("#id_birth_date", "1985-05-17")
    if declarations:
        for field in ("unjustified", "opposed", "no_proceedings", "fee_owed"):
            page.focus(f"#id_{field}")
            page.keyboard.press("Space")
            assert page.is_checked(f"#id_{field}")


def submit(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Continuer vers le paiement de l'émolument (CHF 40.00)").click()


def test_debtor_asks_for_non_divulgation_and_pays_the_fee(page, poursuite):
    log_in(page)
    assert page.locator("h1").inner_text() == "Demander la non-divulgation d'une poursuite"
    assert "dû indépendamment de l'issue de la procédure" in page.locator("main").inner_text()
    screenshot(page, "nd-form")
    run_axe(page)

    # Without the declarations: each error is on its checkbox, and nothing is created.
    fill_request(page, poursuite, declarations=False)
    submit(page)
    assert focused_id(page) == "form-errors"
    assert page.get_attribute("#id_unjustified", "aria-invalid") == "true"
    assert "Cette déclaration est nécessaire" in described_by(page, "#id_unjustified")
    assert page.input_value("#id_first_name") == "Léa"
    assert not DemandeNonDivulgation.objects.exists()
    screenshot(page, "nd-errors")
    run_axe(page)

    for field in ("unjustified", "opposed", "no_proceedings", "fee_owed"):
        page.check(f"#id_{field}")
    submit(page)
    page.wait_for_url("**/paiements/payer/**")
    main = page.locator("main").inner_text()
    assert "CHF 40.00" in main and page.locator("#id_choice_1").count() == 0  # no instalment
    assert page.input_value("#id_email") == EMAIL
    run_axe(page)
    page.check("#id_accept")
    with page.expect_navigation():
        page.get_by_role("button", name="Continuer vers le paiement sécurisé").click()
    page.wait_for_url("**/psp-test/checkout/**")
    pay_with(page, VISA_DEBIT)

    assert page.locator("h1").inner_text() == "Paiement accepté"
    screenshot(page, "nd-paid")
    run_axe(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Suivre ma demande de non-divulgation").click()
    assert "Lettre au créancier en cours d'envoi" in page.locator("main [role=status]").inner_text()
    screenshot(page, "nd-detail")
    run_axe(page)

    demande = DemandeNonDivulgation.objects.get()
    assert demande.state == EtatNonDivulgation.INTERPELLATION_A_NOTIFIER
    assert demande.payment == Payment.objects.get() and demande.letter
    assert sorted(m.to[0] for m in mail.outbox) == ["contentieux@creanciere.example", EMAIL]


def test_too_early_request_says_from_when_and_takes_no_money(page, transactional_db, django_user_model):
    make_account(django_user_model)
    poursuite = opposed_poursuite(notified_on=today() - timedelta(days=40))
    log_in(page)
    fill_request(page, poursuite)
    submit(page)
    alert = page.locator("#form-errors")
    assert focused_id(page) == "form-errors" and alert.get_attribute("role") == "alert"
    assert "au plus tôt trois mois" in alert.inner_text() and "Aucun montant n'a été perçu." in alert.inner_text()
    run_axe(page)
    assert not Payment.objects.exists() and not DemandeNonDivulgation.objects.exists()
