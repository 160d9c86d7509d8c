"""The extract in Chromium: log in, order, pay in the sandbox, watch the list turn "Disponible"
without reloading, download the PDF, then verify it as a third party by reference and key
(and by uploading the PDF), with axe-core on every page on the way."""

import io

import pytest
from pypdf import PdfReader

from extraits import services
from extraits.constants import RequestState
from extraits.models import DemandeExtrait, Extrait
from tests.browser.test_balance_lookup import run_axe
from tests.browser.test_card_payment import pay_with
from tests.factories import AccountFactory, PersonFactory, make_poursuite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-ocp-2026"


@pytest.fixture
def subject(transactional_db):
    from datetime import date

    person = PersonFactory(name="Rochat", first_name="Léa", birth_date=date(1979, 3, 8))
    return make_poursuite(debtor=person)


def log_in(page, email):
    page.goto("/compte/connexion/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def order(page):
    page.goto("/extraits/commander/")
    run_axe(page)
    page.get_by_role("link", name="Moi-même (personne physique)").click()
    page.wait_for_url("**/extraits/commander/personne/")
    for field, value in {
        "name": "Rochat", "first_name": "Léa", "birth_date": "1979-03-08", "street": "Rue de Carouge",
        "house_number": "12", "postal_code": "1205", "town": "Genève",
        "purpose": "Dossier de location d'un appartement",
    }.items():  # fmt: skip
        page.fill(f"#id_{field}", value)
    run_axe(page)
    page.focus("#id_acknowledge")
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.get_by_role("button", name="Continuer vers le paiement de CHF 17.00").click()
    page.wait_for_url("**/paiements/payer/**")
    assert "CHF 17.00" in page.locator("main").inner_text()
    assert page.input_value("#id_email") == "lea.rochat@example.ch"  # the account's address
    page.focus("#id_accept")
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.get_by_role("button", name="Continuer vers le paiement sécurisé").click()
    page.wait_for_url("**/psp-test/checkout/**")
    pay_with(page, "4000 0566 5566 5556")


def test_order_pay_download_and_verify(page, browser, live_server, subject):
    AccountFactory(email="lea.rochat@example.ch")
    log_in(page, "lea.rochat@example.ch")
    order(page)
    assert page.locator("h1").inner_text() == "Paiement accepté"
    page.get_by_role("link", name="Suivre ma demande d'extrait").click()
    page.wait_for_url("**/extraits/mes-demandes/")
    document = Extrait.objects.get()
    assert page.locator("td.request-state").inner_text() == "Disponible"
    run_axe(page)

    with page.expect_download() as download:
        page.get_by_role("link", name=f"Télécharger {document.reference} (PDF)").click()
    downloaded = open(download.value.path(), "rb").read()  # noqa: SIM115
    with document.pdf.open("rb") as handle:
        assert downloaded == handle.read()
    text = PdfReader(io.BytesIO(downloaded)).pages[0].extract_text()
    assert subject.reference in text
    key = text.split("Clé d'accès")[1].split()[0]

    # A third party (no account, another browser context) verifies it.
    other = browser.new_context(base_url=live_server.url, accept_downloads=True)
    third = other.new_page()
    third.goto(f"/extraits/verifier/?reference={document.reference}")
    assert third.input_value("#id_reference") == document.reference
    third.fill("#id_access_key", f" {key} ")
    with third.expect_navigation():
        third.get_by_role("button", name="Vérifier l'extrait").click()
    main = third.locator("main").inner_text()
    assert "a bien été émis par l'Office cantonal des poursuites" in main and subject.reference in main
    run_axe(third)
    third.set_input_files(
        "#id_file", files=[{"name": "extrait.pdf", "mimeType": "application/pdf", "buffer": downloaded}]
    )
    with third.expect_navigation():
        third.get_by_role("button", name="Comparer").click()
    assert "identique, octet pour octet" in third.locator("main").inner_text()
    other.close()


def test_the_list_turns_disponible_without_a_reload(page, subject):
    account = AccountFactory(email="lea.rochat@example.ch")
    extract_request = services.create_request(
        account=account, kind="physique", name="Rochat", first_name="Léa",
        birth_date=subject.debtor.birth_date, street="Rue de Carouge", house_number="12", postal_code="1205",
        town="Genève", country="CH", purpose="Dossier de location",
    )  # fmt: skip
    DemandeExtrait.objects.filter(pk=extract_request.pk).update(state=RequestState.EN_TRAITEMENT)
    log_in(page, "lea.rochat@example.ch")
    page.goto("/extraits/mes-demandes/")
    assert page.locator("td.request-state").inner_text() == "En traitement"
    page.evaluate("() => { window.notReloaded = true; }")
    services.process_request(extract_request.pk)
    page.get_by_role("link", name="Télécharger AEL-").wait_for()
    assert page.locator("td.request-state").inner_text() == "Disponible"
    assert page.evaluate("() => window.notReloaded") is True
