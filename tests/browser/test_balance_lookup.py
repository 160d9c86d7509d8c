"""The public balance lookup in Chromium: keyboard use, errors tied to their fields, the QR-bill,
and an axe-core check of WCAG 2.0/2.1 A and AA rules on every state of the page."""

import contextlib
import os
from datetime import timedelta
from decimal import Decimal

import pytest

from ocp_portal.dates import today
from ocp_portal.formats import format_chf
from poursuites import services
from poursuites.balance import poursuite_balance
from poursuites.constants import EventType, PartyKind, PoursuiteKind
from poursuites.models import Party, Poursuite
from poursuites.numbers import KEY_LETTERS, key_letter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOOKUP_URL = "/poursuites/solde/"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NOT_FOUND_START = "Aucun dossier ne correspond à ce numéro et à cette lettre clé."
PAST_DATE_ERROR = "La date de paiement ne peut pas être dans le passé."


def spaced(number: int) -> str:
    """`10000001` as a debtor copies it from a letter: `10 000 001`."""
    return f"{number:,}".replace(",", " ")


def wrong_letter(number: int) -> str:
    right = key_letter(number)
    return next(letter for letter in KEY_LETTERS if letter != right)


@pytest.fixture
def poursuite(transactional_db):
    creditor = Party(
        kind=PartyKind.MORALE,
        name="Régie du Rhône SA",
        street="Rue du Rhône",
        house_number="10",
        postal_code="1204",
        town="Genève",
    )
    creditor.full_clean()
    creditor.save()
    debtor = Party(
        kind=PartyKind.PHYSIQUE,
        name="Rochat",
        first_name="Léa",
        street="Rue de Carouge",
        house_number="12",
        postal_code="1205",
        town="Genève",
    )
    debtor.full_clean()
    debtor.save()
    start = today() - timedelta(days=40)
    poursuite = services.register_poursuite(
        creditor=creditor,
        debtor=debtor,
        kind=PoursuiteKind.SAISIE,
        claims=[
            {
                "amount": Decimal("3480.55"),
                "title": "Loyers impayés, appartement 4 pièces",
                "interest_rate": Decimal("5"),
                "interest_from": start - timedelta(days=120),
            }
        ],
        requisition_date=start,
    )
    services.record_event(poursuite=poursuite, type=EventType.NOTIFICATION, on=start + timedelta(days=8))
    return Poursuite.objects.get(pk=poursuite.pk)


def run_axe(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def described_by(page, selector: str) -> str:
    """The text of every element that the field's aria-describedby points at."""
    ids = (page.get_attribute(selector, "aria-describedby") or "").split()
    return " ".join(page.locator(f"#{id_}").inner_text() for id_ in ids)


def focused_id(page) -> str:
    """The id of the focused element; waits briefly for autofocus, which browsers apply after load."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):  # nothing focused: the caller's assertion says what was expected
        page.wait_for_function("() => document.activeElement && document.activeElement !== document.body", timeout=2000)
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def submit_lookup(page, number: str, letter: str, payment_date: str | None = None):
    """Type like a keyboard user: number, Tab, key letter, (date), then Enter."""
    page.goto(LOOKUP_URL)
    page.focus("#id_number")
    page.keyboard.type(number)
    page.keyboard.press("Tab")
    assert focused_id(page) == "id_key_letter"
    page.keyboard.type(letter)
    if payment_date is not None:
        page.fill("#id_payment_date", payment_date)
        page.focus("#id_payment_date")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_home_and_empty_form_are_accessible(page):
    page.goto("/")
    assert page.title().startswith("Prestations en ligne")
    run_axe(page)

    page.get_by_role("link", name="Consulter le solde d'une poursuite ou d'un acte de défaut de biens").click()
    page.wait_for_url(f"**{LOOKUP_URL}")
    assert page.input_value("#id_payment_date") == today().isoformat()
    # Every field has a visible label and its help text read with it; nothing is invalid yet.
    for field in ("number", "key_letter", "payment_date"):
        selector = f"#id_{field}"
        assert page.locator(f"label[for='id_{field}']").is_visible()
        assert page.get_attribute(selector, "aria-invalid") is None
        assert page.locator(f"#id_{field}_helptext").inner_text() in described_by(page, selector)
    # The skip link is the first stop of the keyboard and leads to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    run_axe(page)


def test_lookup_by_keyboard_shows_balance_qr_bill_and_pdf(page, poursuite):
    expected = poursuite_balance(poursuite, today())
    assert expected.total > 0

    submit_lookup(page, spaced(poursuite.number), poursuite.key_letter.lower())

    assert page.locator("#form-errors").count() == 0
    # The result takes the focus, so that it is read (and shown) first.
    assert page.evaluate("() => document.activeElement.matches('section.result')")
    result = page.locator("section.result")
    assert poursuite.reference in result.locator("h2").inner_text()
    total_cell = page.locator("table.breakdown tr.total td")
    assert total_cell.inner_text().strip() == format_chf(expected.total)
    assert page.locator("table.breakdown caption").inner_text().endswith(today().strftime("%d.%m.%Y"))
    assert format_chf(expected.total) in page.locator(".refs").inner_text()

    page.wait_for_function(
        "() => { const img = document.querySelector('.qr-bill img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    alt = page.get_attribute(".qr-bill img", "alt")
    assert format_chf(expected.total) in alt

    pdf_link = page.get_by_role("link", name="Télécharger la facture QR (PDF)")
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    if os.environ.get("BROWSER_SCREENSHOT"):
        page.screenshot(path=os.environ["BROWSER_SCREENSHOT"], full_page=True)
    run_axe(page)


def test_wrong_key_letter_gets_the_neutral_error_and_the_focus(page, poursuite):
    submit_lookup(page, spaced(poursuite.number), wrong_letter(poursuite.number).lower())

    alert = page.locator("#form-errors")
    assert alert.get_attribute("role") == "alert"
    assert alert.inner_text().startswith(NOT_FOUND_START)
    # The summary takes the focus so that the error is read first; it does not say which of
    # number or letter is wrong, so neither field is marked invalid.
    assert focused_id(page) == "form-errors"
    for field in ("number", "key_letter"):
        assert page.get_attribute(f"#id_{field}", "aria-invalid") is None
    assert page.locator("section.result").count() == 0
    assert page.input_value("#id_number") == spaced(poursuite.number)
    run_axe(page)


def test_past_date_error_is_tied_to_its_field(page, poursuite):
    yesterday = today() - timedelta(days=1)
    submit_lookup(page, spaced(poursuite.number), poursuite.key_letter.lower(), yesterday.isoformat())

    assert focused_id(page) == "form-errors"
    date_input = "#id_payment_date"
    assert page.get_attribute(date_input, "aria-invalid") == "true"
    assert page.locator("#id_payment_date_error").inner_text() == PAST_DATE_ERROR
    describedby = page.get_attribute(date_input, "aria-describedby").split()
    assert "id_payment_date_error" in describedby
    assert "id_payment_date_helptext" in describedby
    assert PAST_DATE_ERROR in described_by(page, date_input)
    # The summary links to the field in error, and following the link puts the focus on it.
    link = page.locator("#form-errors a[href='#id_payment_date']")
    assert PAST_DATE_ERROR in link.inner_text()
    link.click()
    assert focused_id(page) == "id_payment_date"
    # The other fields were right and are not marked invalid.
    for field in ("number", "key_letter"):
        assert page.get_attribute(f"#id_{field}", "aria-invalid") is None
    assert page.locator("section.result").count() == 0
    run_axe(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_form_marks_every_required_field_and_says_how_far_ahead_one_may_pay(page, width):
    """Issue 16, 10a and 10b: the key letter's asterisk; the 60-day limit said and set on the date picker."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(LOOKUP_URL)
    for field in ("number", "key_letter", "payment_date"):
        assert page.locator(f"label[for='id_{field}'] .required").is_visible(), field
    assert page.get_attribute("#id_key_letter", "aria-required") == "true"
    last = today() + timedelta(days=60)
    assert f"Au plus tard le {last:%d.%m.%Y} (dans 60 jours)." in described_by(page, "#id_payment_date")
    assert page.get_attribute("#id_payment_date", "max") == last.isoformat()
    assert page.get_attribute("#id_payment_date", "min") == today().isoformat()
    if folder := os.environ.get("BROWSER_SCREENSHOTS"):
        page.screenshot(path=os.path.join(folder, f"lookup-form-{width}.png"), full_page=True)
    run_axe(page)
