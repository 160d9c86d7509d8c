"""Issue 16 in Chromium, on a desktop and on a 390 px phone, axe-core on every page: non-divulgation
found from the home page, the lookup's result and the account; a request's steps in plain words; the
verdict of an extract comparison first and focused; the copy-price calculator's button aligned with
its field; the réquisition's start page linking the paper form."""

import os
from datetime import timedelta

import pytest

from ocp_portal.dates import today
from poursuites.deadlines import lp_deadline
from tests.browser.test_balance_lookup import focused_id, run_axe, spaced, submit_lookup
from tests.factories import AccountFactory
from tests.poursuites.test_non_divulgation import EMAIL, E, demande_in, make_account, opposed_poursuite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "motdepasse-ocp-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def screenshot(page, name: str) -> None:
    """With BROWSER_SCREENSHOTS=/tmp/x, each state is saved as /tmp/x/guide-<name>.png."""
    if folder := os.environ.get("BROWSER_SCREENSHOTS"):
        page.screenshot(path=os.path.join(folder, f"guide-{name}.png"), full_page=True)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]


def on_both_screens(page, name: str, check=None):
    """Run axe (and `check`) on the current page at desktop width, then at 390 px, with screenshots."""
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        if check:
            check(page)
        assert no_sideways_scroll(page), (label, page.url)
        run_axe(page)
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def log_in(page, email=EMAIL):
    page.goto("/compte/connexion/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_debtor_finds_non_divulgation_from_home_lookup_and_account(page, django_user_model):
    poursuite = opposed_poursuite()
    make_account(django_user_model)

    page.goto("/")
    service = page.get_by_role("link", name="Demander la non-divulgation d'une poursuite")
    item = page.locator("ul.services li", has=service)
    assert "CHF 40.00" in item.inner_text() and "opposition totale" in item.inner_text()
    on_both_screens(page, "home")

    submit_lookup(page, spaced(poursuite.number), poursuite.key_letter)
    page.wait_for_load_state()
    hint = page.locator(".result #non-divulgation")
    assert "CHF 40.00" in hint.inner_text()
    on_both_screens(page, "lookup-opposed")
    with page.expect_navigation():
        hint.get_by_role("link", name="Demander la non-divulgation de cette poursuite").click()
    assert "/compte/connexion/" in page.url  # an account is needed: log in, and land on the request form
    page.fill("#id_username", EMAIL)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Demander la non-divulgation d'une poursuite"

    page.goto("/compte/")
    assert page.get_by_role("link", name="Demander la non-divulgation d'une poursuite").is_visible()
    on_both_screens(page, "account")


def test_a_request_shows_its_steps_and_dates_in_plain_words(page, django_user_model):
    requester = make_account(django_user_model)
    notified = today() - timedelta(days=4)
    demande = demande_in(
        opposed_poursuite(), requester, E.DELAI_EN_COURS, notified_on=notified, deadline_on=lp_deadline(notified, 20)
    )
    log_in(page)
    page.goto("/poursuites/non-divulgation/mes-demandes/")
    assert "Délai du créancier jusqu'au" in page.locator("table").inner_text()
    assert "Délai en cours" not in page.locator("main").inner_text()
    on_both_screens(page, "nd-list")
    page.get_by_role("link", name=f"Poursuite n° {demande.poursuite.reference}").click()
    page.wait_for_url(f"**/{demande.public_id}/")
    state = page.locator("#state")
    assert "La suite :" in state.inner_text() and demande.deadline_on.strftime("%d.%m.%Y") in state.inner_text()
    assert page.locator(".timeline [aria-current=step]").inner_text().startswith("En cours :")
    on_both_screens(page, "nd-detail")


def test_a_forged_extract_file_gets_its_verdict_first_and_focused(page, django_capture_on_commit_callbacks):
    from django.db import transaction

    from extraits import keys
    from extraits import services as extracts
    from extraits.models import Extrait
    from tests.extraits.conftest import IDENTITY, order
    from tests.factories import PersonFactory

    PersonFactory(name="Dupont", first_name="Jeanne", birth_date=IDENTITY["birth_date"])
    extract_request = order(AccountFactory())
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        extracts.mark_paid(extract_request, payment_reference="test-payment")
    document = extract_request.documents.get()
    key = "pXnFJRsNoRJS7UD"
    Extrait.objects.filter(pk=document.pk).update(access_key_hash=keys.hash_access_key(document.reference, key))
    with document.pdf.open("rb") as handle:
        issued = handle.read()

    page.goto(f"/extraits/verifier/?reference={document.reference}")
    page.fill("#id_access_key", key)
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier l'extrait").click()
    forged = issued.replace(b"Dupont", b"Dupond") if b"Dupont" in issued else issued + b"\n"
    page.set_input_files("#id_file", files=[{"name": "extrait.pdf", "mimeType": "application/pdf", "buffer": forged}])
    with page.expect_navigation():
        page.get_by_role("button", name="Comparer").click()

    assert focused_id(page) == "verdict"
    first = page.locator("main > *").first
    assert first.get_attribute("id") == "verdict" and first.get_attribute("role") == "alert"
    assert "n'est pas identique" in first.inner_text()
    assert page.title().startswith("Fichier non identique à l'extrait émis")
    box = first.bounding_box()
    assert box["y"] + box["height"] <= page.viewport_size["height"], "the verdict is above the fold"

    def verdict_in_view(page):
        verdict = page.locator("#verdict").bounding_box()
        assert verdict["y"] >= 0 and verdict["y"] + verdict["height"] <= page.viewport_size["height"]

    on_both_screens(page, "extract-forged", verdict_in_view)

    page.set_input_files("#id_file", files=[{"name": "extrait.pdf", "mimeType": "application/pdf", "buffer": issued}])
    with page.expect_navigation():
        page.get_by_role("button", name="Comparer").click()
    assert focused_id(page) == "verdict"
    assert "est identique, octet pour octet" in page.locator("main > *").first.inner_text()
    on_both_screens(page, "extract-identical")


def test_the_copy_price_calculator_button_lines_up_with_its_field(page):
    def aligned(page):
        field = page.locator("#id_pages").bounding_box()
        button = page.get_by_role("button", name="Calculer le prix").bounding_box()
        assert abs(button["y"] - field["y"]) <= 1 and abs(button["height"] - field["height"]) <= 1, (field, button)
        gap = button["x"] - (field["x"] + field["width"])
        assert 0 < gap <= 24, f"the button is {gap}px right of its field"

    page.goto("/contraventions/informations/")
    on_both_screens(page, "calculator", aligned)
    page.fill("#id_pages", "12")
    with page.expect_navigation():
        page.get_by_role("button", name="Calculer le prix").click()
    assert "CHF 22.00" in page.locator("#copy-fee").inner_text()
    on_both_screens(page, "calculator-result", aligned)
    page.fill("#id_pages", "0")
    with page.expect_navigation():
        page.get_by_role("button", name="Calculer le prix").click()
    on_both_screens(page, "calculator-error", aligned)


def test_the_requisition_start_page_links_the_paper_form(page):
    page.goto("/poursuites/requisition/")
    link = page.get_by_role("link", name="« Réquisition de poursuite » de l'Office fédéral de la justice")
    assert link.get_attribute("href").startswith("https://www.bj.admin.ch/")
    on_both_screens(page, "requisition-start")
