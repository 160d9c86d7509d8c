"""Issue 16, the canton's look, in Chromium on a desktop and on a 390 px phone with axe-core (WCAG 2.2
A and AA): the site's own pages, the Service des contraventions under its own name, the lookup result
and the penal order on paper (print emulation, then the PDF Chromium prints, rendered by pdftoppm when
BROWSER_SCREENSHOTS is set), and tables whose amounts all stay within a phone's screen."""

import io
import os
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from pypdf import PdfReader

from contraventions import arrangements, services
from contraventions.models import OrdonnancePenale
from extraits import keys
from extraits import services as extract_services
from extraits.models import Extrait
from ocp_portal.dates import today
from tests.browser.test_balance_lookup import poursuite, spaced, submit_lookup  # noqa: F401 -- a fixture
from tests.browser.test_contraventions import PAY_URL, submit_reference
from tests.browser.test_requisition import at_step, check_radio, fill_debtor, submit, type_field
from tests.factories import AccountFactory, PersonFactory, make_poursuite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WCAG_22 = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
OCP_PHONE = settings.OFFICE["phone"]
SDC_PHONE = settings.CONTRAVENTIONS["phone"]


def run_axe(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22}, "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def screenshot(page, name: str) -> None:
    """With BROWSER_SCREENSHOTS=/tmp/x, each state is saved as /tmp/x/look-<name>.png."""
    if folder := os.environ.get("BROWSER_SCREENSHOTS"):
        page.screenshot(path=os.path.join(folder, f"look-{name}.png"), full_page=True)


def on_both_screens(page, name: str, check=None):
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= size["width"], (label, page.url)
        if check:
            check(page)
        run_axe(page)
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def arms_shown(page):
    arms = page.get_by_role("img", name="Armoiries de la République et canton de Genève")
    assert arms.is_visible()
    assert page.evaluate("() => document.querySelector('header img.arms').naturalWidth") > 0


def footer_of(page) -> str:
    return page.locator("footer").inner_text()


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/", "Office cantonal des poursuites : prestations en ligne"),
        ("/accessibilite/", "Déclaration d'accessibilité"),
        ("/protection-des-donnees/", "Protection des données"),
        ("/mentions-legales/", "Mentions légales"),
        ("/contact/", "Contact"),
    ],
)
def test_the_sites_pages_wear_the_arms_and_pass_axe_on_both_screens(page, path, title):
    page.goto(path)
    assert page.locator("h1").inner_text() == title
    assert OCP_PHONE in footer_of(page)
    for link in ("Contact", "Accessibilité", "Protection des données", "Mentions légales"):
        assert page.locator("footer").get_by_role("link", name=link, exact=True).is_visible()
    on_both_screens(page, path.strip("/").replace("/", "-") or "home", arms_shown)


def test_a_barrier_is_reported_from_the_footer_of_the_page_it_is_on(page):
    from django.core import mail

    page.goto("/poursuites/solde/")
    with page.expect_navigation():
        page.get_by_role("link", name="Signaler un obstacle sur cette page").click()
    assert page.input_value("#id_page") == "/poursuites/solde/"
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer le signalement").click()
    assert page.locator("#form-errors").inner_text().startswith("Le formulaire contient des erreurs")
    assert "Décrivez le problème rencontré." in page.locator("#id_message_error").inner_text()
    run_axe(page)
    screenshot(page, "feedback-error")
    page.fill("#id_message", "La lettre clé n'est pas annoncée par mon lecteur d'écran.")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer le signalement").click()
    assert page.get_by_role("status").inner_text().startswith("Merci : votre message a été transmis à l'office.")
    assert len(mail.outbox) == 1 and "/poursuites/solde/" in mail.outbox[0].subject
    run_axe(page)


def make_order(*, fine="120.00", notified_days_ago=3) -> OrdonnancePenale:
    order = services.register_order(
        offender=PersonFactory(name="Rochat", first_name="Léa"),
        offence="Stationnement sur une place réservée aux livraisons",
        fine=Decimal(fine),
        notification_date=today() - timedelta(days=notified_days_ago),
    )
    return OrdonnancePenale.objects.get(pk=order.pk)


def wait_for_qr_bill(page):
    page.wait_for_function(
        "() => { const img = document.querySelector('.qr-bill img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )


def test_a_penal_order_is_the_services_own_page_on_both_screens(page):
    order = make_order()
    page.goto(PAY_URL)
    assert page.locator("header .brand").inner_text().startswith("Service des contraventions")
    submit_reference(page, order.qr_reference)
    wait_for_qr_bill(page)
    body = page.locator("body").inner_text()
    assert SDC_PHONE in footer_of(page) and OCP_PHONE not in body
    assert "Chemin de la Gravière 5" in footer_of(page)
    on_both_screens(page, "penal-order", arms_shown)


def amounts_within(page, selector: str) -> int:
    """How many cells `selector` matches; each one visible and whole inside the viewport's width."""
    cells = page.locator(selector)
    width = page.viewport_size["width"]
    for index in range(cells.count()):
        cell = cells.nth(index)
        box = cell.bounding_box()
        assert cell.is_visible() and box and box["x"] >= 0 and box["x"] + box["width"] <= width, (selector, index, box)
        text_width = cell.evaluate(
            "el => { const range = document.createRange(); range.selectNodeContents(el);"
            " return range.getBoundingClientRect().right; }"
        )
        assert text_width <= width, (selector, index, text_width)
        assert cell.evaluate("el => el.scrollWidth <= el.clientWidth"), (selector, index)  # nothing overlaps
    return cells.count()


def test_an_arrangements_schedule_keeps_every_amount_on_a_phone(page):
    order = make_order(fine="900.00", notified_days_ago=60)
    asked = today() - timedelta(days=50)
    request = arrangements.request_arrangement(order=order, monthly_amount=Decimal("50"), email="a@b.ch", on=asked)
    arrangements.accept(arrangement=request, first_due_date=asked + timedelta(days=10), on=asked)  # one late
    page.set_viewport_size(PHONE)
    page.goto(PAY_URL)
    submit_reference(page, order.qr_reference)
    rows = page.locator("table.schedule tbody tr").count()
    assert rows >= 10
    assert amounts_within(page, "table.schedule td:nth-child(3)") == rows
    assert amounts_within(page, "table.schedule td:nth-child(4)") == rows  # the state, « En retard (reste …) »
    assert amounts_within(page, "table.breakdown:not(.schedule) td") >= 3
    assert "En retard" in page.locator("table.schedule").inner_text()
    page.locator("table.schedule").scroll_into_view_if_needed()
    screenshot(page, "schedule-phone")
    run_axe(page)


def test_the_extracts_table_turns_into_cards_on_a_phone(page):
    person = PersonFactory(name="Rochat", first_name="Léa", birth_date=date(1979, 3, 8))
    for claim in ("3480.55", "125000.00", "89.90"):
        make_poursuite(debtor=person, claim=Decimal(claim))
    account = AccountFactory(email="lea.rochat@example.ch")
    request = extract_services.create_request(
        account=account, kind="physique", name="Rochat", first_name="Léa", birth_date=date(1979, 3, 8),
        street="Rue de Carouge", house_number="12", postal_code="1205", town="Genève", country="CH",
        purpose="Dossier de location d'un appartement",
    )  # fmt: skip
    extract_services.mark_paid(request, payment_reference="test-payment")  # issued at once (eager tasks)
    document = Extrait.objects.get()
    key = keys.new_access_key()
    Extrait.objects.filter(pk=document.pk).update(access_key_hash=keys.hash_access_key(document.reference, key))

    page.goto(f"/extraits/verifier/?reference={document.reference}")
    page.fill("#id_access_key", key)
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier l'extrait").click()

    def every_amount_on_screen(page):
        assert amounts_within(page, "table.extract-table td.amount") == 3
        if page.viewport_size["width"] == PHONE["width"]:
            label = page.locator("table.extract-table td.amount").first.evaluate(
                "el => getComputedStyle(el, '::before').content"
            )
            assert label == '"Montant du commandement de payer"'

    on_both_screens(page, "extract-table", every_amount_on_screen)


def test_the_requisitions_claims_turn_into_cards_on_a_phone(page):
    page.goto("/poursuites/requisition/debiteur/")
    fill_debtor(page)
    submit(page)
    at_step(page, "creancier")
    check_radio(page, "id_kind_1")
    creditor = {
        "name": "Régie du Rhône SA",
        "street": "Rue du Rhône",
        "house_number": "10",
        "postal_code": "1204",
        "town": "Genève",
        "iban": "CH93 0076 2011 6238 5295 7",
    }
    for field, value in creditor.items():
        type_field(page, f"id_{field}", value)
    submit(page)
    at_step(page, "creances")
    check_radio(page, "id_kind_0")
    type_field(page, "id_claims-0-amount", "1'250'000.50")
    type_field(page, "id_claims-0-title", "Loyers impayés de janvier à décembre 2025, bail du 1er avril 2019")
    type_field(page, "id_claims-1-amount", "85")
    type_field(page, "id_claims-1-title", "Frais de rappel")
    submit(page)
    at_step(page, "remarques")
    page.get_by_role("button", name="Continuer vers le récapitulatif").click()
    at_step(page, "recapitulatif")

    def every_amount_on_screen(page):
        assert amounts_within(page, "table.claims td.amount") == 3  # two claims and the total
        assert "CHF 1'250'085.50" in page.locator("table.claims tfoot").inner_text()

    on_both_screens(page, "requisition-claims", every_amount_on_screen)


def printed(page, name: str) -> str:
    """Print the page as Chromium would (A4), render its pages with pdftoppm for a look, return its text."""
    pdf = page.pdf(format="A4", print_background=True)
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder and shutil.which("pdftoppm"):
        with open(os.path.join(folder, f"look-print-{name}.pdf"), "wb") as handle:
            handle.write(pdf)
        command = [
            shutil.which("pdftoppm"),
            "-png",
            "-r",
            "60",
            handle.name,
            os.path.join(folder, f"look-print-{name}"),
        ]
        subprocess.run(command, check=True)  # noqa: S603 -- our own file names
    return "\n".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(pdf)).pages)


def check_print_layout(page):
    page.emulate_media(media="print")
    for hidden in ("nav.account-nav", "main form", "footer nav", ".button"):
        locator = page.locator(hidden)
        assert all(not locator.nth(i).is_visible() for i in range(locator.count())), hidden
    assert page.locator(".qr-bill img").is_visible()
    assert page.locator(".qr-bill").evaluate("el => getComputedStyle(el).breakInside") == "avoid"
    colours = page.evaluate(
        "() => [...document.querySelectorAll('main *')].map(el => getComputedStyle(el).color)"
        ".filter(c => c !== 'rgb(0, 0, 0)').length"
    )
    assert colours == 0  # black on white


def test_the_lookup_result_prints_the_dossier_amounts_references_and_qr_bill(page, poursuite):  # noqa: F811
    submit_lookup(page, spaced(poursuite.number), poursuite.key_letter)
    wait_for_qr_bill(page)
    check_print_layout(page)
    text = printed(page, "lookup")
    for expected in (
        poursuite.reference,
        "CHF 3'480.55",
        "Solde à payer",
        "Référence",
        "Office cantonal des poursuites",
    ):
        assert expected in text, expected
    assert "Les champs marqués" not in text and "Date de paiement prévue" not in text  # the form stays on screen
    assert "Imprimé depuis" in text


def test_the_penal_order_prints_with_its_services_address_and_payment_part(page):
    order = make_order()
    page.goto(PAY_URL)
    submit_reference(page, order.qr_reference)
    wait_for_qr_bill(page)
    check_print_layout(page)
    text = printed(page, "penal-order")
    for expected in ("Ordonnance pénale", "CHF 220.00", "Solde à payer", "Chemin de la Gravière 5", SDC_PHONE):
        assert expected in text, expected
    assert OCP_PHONE not in text
    assert "Afficher le montant dû" not in text
