"""The public account pages in Chromium, checked by axe-core (WCAG 2.1 A/AA), empty and with errors:
sign-up, login, new link, password reset and change, the account's home."""

import pytest

from tests.browser.test_balance_lookup import focused_id, run_axe
from tests.factories import AccountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-ocp-2026"


def submit(page, button: str):
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


@pytest.mark.parametrize(
    "url, button",
    [
        ("/compte/inscription/", "Créer le compte"),
        ("/compte/connexion/", "Se connecter"),
        ("/compte/nouveau-lien/", None),
        ("/compte/mot-de-passe/oublie/", None),
    ],
)
def test_the_account_forms_are_accessible_empty_and_with_their_errors(page, url, button):
    page.goto(url)
    run_axe(page)
    if button:
        submit(page, button)
        assert focused_id(page) == "form-errors"  # the error summary is read first
        run_axe(page)


def test_a_logged_in_account_pages_are_accessible(page):
    AccountFactory(email="lea.rochat@example.ch")
    page.goto("/compte/connexion/")
    page.fill("#id_username", "lea.rochat@example.ch")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for url in ("/compte/", "/compte/mot-de-passe/changer/", "/extraits/commander/", "/extraits/mes-demandes/"):
        page.goto(url)
        run_axe(page)
