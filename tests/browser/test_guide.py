"""« Comprendre la procédure » in Chromium, on a desktop and on a 390 px phone, axe-core on every page:
the overview, the debtor's and the creditor's guides, the glossary and the legal bases; a term followed
from the guide lands on its definition, and the definition leads back."""

import pytest

from tests.browser.test_public_guidance import DESKTOP, on_both_screens

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PAGES = {
    "overview": "/poursuites/comprendre/",
    "debtor": "/poursuites/comprendre/vous-etes-poursuivi/",
    "creditor": "/poursuites/comprendre/vous-etes-poursuivant/",
    "glossary": "/poursuites/comprendre/glossaire/",
    "legal-bases": "/poursuites/comprendre/bases-legales-et-formulaires/",
}
READING_WIDTH = 46 * 16  # px: about 75 characters a line


def reads_comfortably(page):
    """The text column keeps a reading width on a desktop, and fills the phone's screen."""
    width = page.locator(".guide").bounding_box()["width"]
    if page.viewport_size["width"] >= DESKTOP["width"]:
        assert width <= READING_WIDTH, width
    else:
        assert width >= page.viewport_size["width"] - 40, width


@pytest.mark.parametrize("name", PAGES)
def test_each_guide_page_reads_well_on_both_screens_and_passes_axe(page, name):
    page.goto(PAGES[name])
    assert page.locator("h1").count() == 1
    on_both_screens(page, f"comprendre-{name}", reads_comfortably)


def test_the_table_of_contents_takes_the_reader_to_the_section(page):
    page.goto(PAGES["debtor"])
    toc = page.get_by_role("navigation", name="Sur cette page")
    toc.get_by_role("link", name="Minimum vital ou d'existence").click()
    page.wait_for_url("**#minimum-vital")
    heading = page.locator("#minimum-vital")
    assert heading.inner_text() == "Minimum vital ou d'existence"
    assert heading.bounding_box()["y"] < 100, "the section starts at the top of the window"


def test_a_term_followed_from_the_guide_lands_on_its_definition_and_leads_back(page):
    page.goto(PAGES["debtor"])
    section = page.locator("section", has=page.locator("#opposition"))
    section.get_by_role("link", name="mainlevée").click()
    page.wait_for_url("**/glossaire/#mainlevee")
    term = page.locator("#mainlevee")
    box = term.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"] / 2, "the definition is at the top of the window"
    definition = page.locator(".term", has=term)
    assert definition.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)", "it stands out"
    on_both_screens(page, "comprendre-glossary-term")
    definition.get_by_role("link", name="Vous êtes poursuivant : Annulation de l'opposition : la mainlevée").click()
    page.wait_for_url("**/vous-etes-poursuivant/#mainlevee")
    assert page.locator("#mainlevee").is_visible()


def test_the_overview_sends_each_audience_to_its_guide(page):
    page.goto(PAGES["overview"])
    with page.expect_navigation():
        page.get_by_role("link", name="Vous êtes poursuivant (créancier)").first.click()
    assert page.locator("h1").inner_text() == "Vous êtes poursuivant (créancier)"
    with page.expect_navigation():
        page.get_by_role("link", name="Remplir une réquisition de poursuite").last.click()
    assert page.locator("h1").inner_text() == "Remplir une réquisition de poursuite"
