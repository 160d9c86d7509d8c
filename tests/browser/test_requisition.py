"""The réquisition de poursuite in Chromium: every step by keyboard, no JavaScript needed, the back
button keeps the data, the summary, the PDF download, and axe-core (WCAG 2.0/2.1 A and AA) on each page."""

import re

import pytest

from poursuites.models import Party, Poursuite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START_URL = "/poursuites/requisition/"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def page(browser, live_server, transactional_db):
    """The form must work without JavaScript: the whole test runs with it switched off."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="fr-CH",
        timezone_id="Europe/Zurich",
        accept_downloads=True,
        java_script_enabled=False,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def run_axe(page):
    """axe-core needs script: it checks the same HTML, served again to a twin page with JavaScript."""
    from axe_playwright_python.sync_playwright import Axe

    html, url = page.content(), page.url
    twin_context = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        twin = twin_context.new_page()
        twin.route(url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
        twin.goto(url)
        results = Axe().run(
            twin, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        )
    finally:
        twin_context.close()
    assert results.violations_count == 0, f"{url}\n{results.generate_report()}"


def at_step(page, slug: str):
    """Wait for the step's page; a fragment (#id_… from the error summary) may follow a redirect."""
    page.wait_for_url(re.compile(rf"/poursuites/requisition/{slug}/(#.*)?$"))


def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def type_field(page, field_id: str, text: str):
    page.focus(f"#{field_id}")
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def submit(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


def check_radio(page, radio_id: str):
    """A radio button by keyboard: Tab lands on the group, Space checks the focused one."""
    page.focus(f"#{radio_id}")
    page.keyboard.press("Space")
    assert page.is_checked(f"#{radio_id}")


def fill_debtor(page):
    check_radio(page, "id_kind_0")  # Personne physique
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_name"
    page.keyboard.type("Rochat")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_first_name"
    page.keyboard.type("Léa")
    page.fill("#id_birth_date", "1985-03-02")
    type_field(page, "id_street", "Rue de Carouge")
    page.keyboard.press("Tab")
    page.keyboard.type("12")
    type_field(page, "id_postal_code", "1205")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_town"
    page.keyboard.type("Genève")
    page.focus("#id_town")


def test_start_page_and_debtor_outside_the_canton(page):
    page.goto("/")
    page.get_by_role("link", name="Remplir une réquisition de poursuite").click()
    page.wait_for_url(f"**{START_URL}")
    assert "Office fédéral de la justice" in page.inner_text("main")
    run_axe(page)
    page.get_by_role("link", name="Commencer").click()
    at_step(page, "debiteur")
    assert page.get_attribute("nav.steps li.current", "aria-current") == "step"
    run_axe(page)

    fill_debtor(page)
    type_field(page, "id_postal_code", "1260")
    type_field(page, "id_town", "Nyon")
    submit(page)
    at_step(page, "debiteur")
    assert focused_id(page) == "form-errors"
    assert "Débiteur domicilié hors du canton de Genève" in page.inner_text("main")
    assert page.get_attribute("#id_postal_code", "aria-invalid") == "true"
    assert "id_postal_code_error" in page.get_attribute("#id_postal_code", "aria-describedby")
    assert "office des poursuites du domicile du débiteur" in page.inner_text("#id_postal_code_error")
    run_axe(page)


def test_fill_every_step_by_keyboard_go_back_and_download_the_pdf(page):
    parties, poursuites = Party.objects.count(), Poursuite.objects.count()
    page.goto(START_URL + "debiteur/")
    fill_debtor(page)
    submit(page)
    at_step(page, "creancier")
    run_axe(page)

    # The browser's back button: the debtor is still there.
    page.go_back()
    at_step(page, "debiteur")
    assert page.input_value("#id_name") == "Rochat"
    assert page.input_value("#id_birth_date") == "1985-03-02"
    assert page.is_checked("#id_kind_0")
    page.focus("#id_town")
    submit(page)
    at_step(page, "creancier")

    # Creditor, first with a foreign IBAN: the error is tied to its field.
    check_radio(page, "id_kind_1")  # Personne morale
    type_field(page, "id_name", "Régie du Rhône SA")
    type_field(page, "id_uid", "CHE-116.281.710")
    type_field(page, "id_street", "Rue du Rhône")
    type_field(page, "id_house_number", "10")
    type_field(page, "id_postal_code", "1204")
    type_field(page, "id_town", "Genève")
    type_field(page, "id_iban", "DE89 3704 0044 0532 0130 00")
    submit(page)
    assert focused_id(page) == "form-errors"
    assert page.get_attribute("#id_iban", "aria-invalid") == "true"
    assert "commençant par CH ou LI" in page.inner_text("#id_iban_error")
    # The representative left empty is not an error.
    assert page.locator("#id_rep-name[aria-invalid]").count() == 0
    run_axe(page)
    page.locator("#form-errors a[href='#id_iban']").click()
    assert focused_id(page) == "id_iban"
    page.keyboard.press("Control+A")
    page.keyboard.type("CH93 0076 2011 6238 5295 7")
    submit(page)
    at_step(page, "creances")
    run_axe(page)

    # Claims: a rate without its date is refused on the date field.
    check_radio(page, "id_kind_0")  # Poursuite ordinaire
    type_field(page, "id_claims-0-amount", "1'250.50")
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_claims-0-rate"
    page.keyboard.type("5")
    type_field(page, "id_claims-0-title", "Loyer de janvier 2025, bail du 1er avril 2019")
    type_field(page, "id_claims-1-amount", "85")
    type_field(page, "id_claims-1-title", "Frais de rappel")
    page.focus("#id_claims-1-title")
    submit(page)
    assert focused_id(page) == "form-errors"
    date_field = "#id_claims-0-interest_from"
    assert page.get_attribute(date_field, "aria-invalid") == "true"
    assert page.inner_text("#id_claims-0-interest_from_error") == "Indiquez la date dès laquelle l'intérêt court."
    assert page.input_value("#id_claims-1-title") == "Frais de rappel"
    run_axe(page)
    page.fill(date_field, "2025-01-31")
    # Claims 4 to 10 sit in a <details>, opened by keyboard without any script.
    page.focus("details.more-claims > summary")
    page.keyboard.press("Enter")
    assert page.is_visible("#id_claims-9-amount")
    type_field(page, "id_claims-9-amount", "40")
    type_field(page, "id_claims-9-title", "Intérêts moratoires")
    submit(page)
    at_step(page, "remarques")
    run_axe(page)

    type_field(page, "id_notes", "Aucune garantie.")
    page.get_by_role("button", name="Continuer vers le récapitulatif").click()
    at_step(page, "recapitulatif")
    main = page.inner_text("main")
    for text in (
        "Léa Rochat",
        "1205 Genève",
        "Régie du Rhône SA",
        "CH93 0076 2011 6238 5295 7",
        "CHF 1'250.50",
        "5 % dès le 31.01.2025",
        "Intérêts moratoires",
        "CHF 1'375.50",
        "Aucune garantie.",
        "une seule fois au guichet",
    ):
        assert text in main, text
    run_axe(page)

    # Back to the notes and forward again: nothing lost.
    page.go_back()
    at_step(page, "remarques")
    assert page.input_value("#id_notes") == "Aucune garantie."
    page.go_forward()
    at_step(page, "recapitulatif")

    link = page.get_by_role("link", name="Télécharger la réquisition (PDF)")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("requisition-de-poursuite-")
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    reference = download.suggested_filename.removeprefix("requisition-de-poursuite-").removesuffix(".pdf")
    assert len(reference) == 9 and reference[4] == "-"
    assert (Party.objects.count(), Poursuite.objects.count()) == (parties, poursuites)


def test_restart_clears_everything(page):
    page.goto(START_URL + "debiteur/")
    fill_debtor(page)
    submit(page)
    at_step(page, "creancier")
    page.get_by_role("button", name="Recommencer").click()
    page.wait_for_url(f"**{START_URL}")
    page.get_by_role("link", name="Commencer").click()
    at_step(page, "debiteur")
    assert page.input_value("#id_name") == ""
    # Jumping ahead leads back to the first step to fill.
    page.goto(START_URL + "recapitulatif/")
    at_step(page, "debiteur")
