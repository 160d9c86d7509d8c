"""The minimum-vital calculator in Chromium (issue 16), on a desktop and on a 390 px phone, axe-core on
every state: filled the Swiss way and computed without script, the result read first and readable on a
phone, errors in French tied to their fields, the bookmarkable address, the printed page."""

from urllib.parse import urlsplit

import pytest

from tests.browser.test_balance_lookup import focused_id, run_axe
from tests.browser.test_public_guidance import DESKTOP, PHONE, no_sideways_scroll, on_both_screens, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
URL = "/poursuites/minimum-vital/"
COUPLE = "Couple marié, partenariat enregistré ou couple avec enfants"


def fill_and_compute(page):
    """A couple with three children, amounts typed as people do, sent with the keyboard."""
    page.goto(URL)
    page.get_by_label(COUPLE).check()
    page.fill("#id_children_under_10", "1")
    page.fill("#id_children_10_or_over", "2")
    page.fill("#id_rent", "1'850.50")
    page.fill("#id_health_insurance", "1000,50")
    page.fill("#id_professional_costs", "CHF 120")
    page.fill("#id_training_costs", "80.–")
    page.fill("#id_net_income", "7 500")
    page.focus("#id_net_income")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def amounts_fit_the_screen(page):
    """Every amount of every table is on screen, whole, on one line: nothing hidden or cut on a phone."""
    width = page.viewport_size["width"]
    cells = page.locator("table.minimum-vital td")
    assert cells.count() >= 5
    for index in range(cells.count()):
        cell = cells.nth(index)
        box = cell.bounding_box()
        assert cell.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= width, (cell.inner_text(), box)
        style = cell.evaluate("td => [getComputedStyle(td).whiteSpace, parseFloat(getComputedStyle(td).fontSize)]")
        assert style[0] == "nowrap" and style[1] >= 14, (cell.inner_text(), style)


def test_a_couple_computes_its_minimum_vital_and_seizable_part(page):
    page.goto(URL)
    assert page.locator("h1").inner_text() == "Minimum vital : estimer ce que l'office vous laisse"
    assert "Une estimation, pas une décision de l'office." in page.locator("#estimate-only").inner_text()
    norms = page.locator("section.norms table").inner_text()
    assert "CHF 1'200.00" in norms and "CHF 1'350.00" in norms and "CHF 1'700.00" in norms
    on_both_screens(page, "minimum-vital-empty")

    fill_and_compute(page)
    assert urlsplit(page.url).query == ""  # the amounts are posted: no address keeps them
    assert focused_id(page) == "estimation"  # the result is read first
    result = page.locator("#estimation")
    assert result.locator("h2").inner_text() == "Votre minimum vital estimé : CHF 6'351.00 par mois"
    table = result.locator("table").first.inner_text()
    assert "1 × CHF 400.00" in table and "2 × CHF 600.00" in table and "CHF 3'051.00" in table
    assert "CHF 1'149.00" in result.locator("#seizable").inner_text()
    assert page.input_value("#id_rent") == "1'850.50"  # kept, to adjust and compute again
    screenshot(page, "minimum-vital-result-viewport-desktop")
    on_both_screens(page, "minimum-vital-result", amounts_fit_the_screen)

    # The result is printed without the form.
    page.emulate_media(media="print")
    assert not page.locator("form.minimum-vital-form").is_visible()
    assert page.locator("#estimation").is_visible() and page.locator("#estimate-only").is_visible()
    screenshot(page, "minimum-vital-print")
    page.emulate_media(media="screen")


def test_on_a_phone_the_form_is_filled_and_the_result_read_without_sideways_scroll(page):
    page.set_viewport_size(PHONE)
    fill_and_compute(page)
    assert no_sideways_scroll(page)
    amounts_fit_the_screen(page)
    heading = page.locator("#estimation h2").bounding_box()
    assert 0 <= heading["y"] < PHONE["height"], "the result is scrolled into view"
    run_axe(page)
    screenshot(page, "minimum-vital-phone-result-viewport")
    page.set_viewport_size(DESKTOP)


def test_a_contradiction_and_a_negative_amount_get_french_messages_tied_to_their_fields(page):
    page.goto(URL)
    page.get_by_label("Personne vivant seule").check()
    page.fill("#id_children_10_or_over", "2")
    page.fill("#id_rent", "-800")
    page.fill("#id_net_income", "beaucoup")
    with page.expect_navigation():
        page.get_by_role("button", name="Estimer le minimum vital").click()

    assert focused_id(page) == "form-errors"
    summary = page.locator("#form-errors").inner_text()
    assert "une personne qui vit seule avec ses enfants est un ménage monoparental" in summary
    assert "Loyer ou intérêts hypothécaires : Le montant ne peut pas être négatif." in summary
    assert "Revenu net mensuel : Saisissez un montant en francs, par exemple 1'250.50." in summary
    assert page.locator("#estimation").count() == 0
    assert page.title().startswith("Erreur : ")
    assert page.get_attribute("#id_rent", "aria-invalid") == "true"
    assert "Le montant ne peut pas être négatif." in page.locator("#id_rent_error").inner_text()
    on_both_screens(page, "minimum-vital-errors")

    page.locator("#form-errors").get_by_role("link", name="Votre ménage", exact=False).click()
    assert focused_id(page) == "id_household_0"  # the link leads to the household's first choice

    page.get_by_label("Parent vivant seul avec un ou plusieurs enfants (monoparental)").check()
    page.fill("#id_rent", "1200")
    page.fill("#id_net_income", "2'000")
    with page.expect_navigation():
        page.get_by_role("button", name="Estimer le minimum vital").click()
    assert "CHF 3'750.00" in page.locator("#estimation h2").inner_text()  # 1'350 + 2 × 600 + 1'200
    assert "il ne peut pas être saisi" in page.locator("#estimation").inner_text()
    on_both_screens(page, "minimum-vital-not-seizable", amounts_fit_the_screen)
