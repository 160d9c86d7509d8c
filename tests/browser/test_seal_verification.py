"""The verification of a file by its seal in Chromium: the verdict first and focused, an alert when the
file is not to be trusted, on a desktop and a phone, with axe and no console CSP violation."""

import os

import pytest
from django.db import transaction

from extraits import services
from tests.browser.test_balance_lookup import focused_id, run_axe
from tests.browser.test_public_guidance import no_sideways_scroll
from tests.extraits.conftest import order
from tests.factories import AccountFactory, PersonFactory
from tests.test_seal import append_annotation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


@pytest.fixture
def issued(transactional_db):
    """An extract issued about Jeanne Dupont, as the workers issue it once the fee is paid."""
    from datetime import date

    PersonFactory(name="Dupont", first_name="Jeanne", birth_date=date(1980, 5, 17))
    extract_request = order(AccountFactory(email="bailleur@example.ch"))
    with transaction.atomic():
        services.mark_paid(extract_request, payment_reference="test-payment")
    document = extract_request.documents.get()
    with document.pdf.open("rb") as handle:
        return document, handle.read()


def screenshot(page, name: str) -> None:
    """With BROWSER_SCREENSHOTS=/tmp/x, each state is saved as /tmp/x/seal-<name>.png."""
    if folder := os.environ.get("BROWSER_SCREENSHOTS"):
        page.screenshot(path=os.path.join(folder, f"seal-{name}.png"), full_page=True)


def check_file(page, content: bytes, name="extrait.pdf"):
    page.goto("/extraits/verifier/")
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": "application/pdf", "buffer": content}])
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier le fichier").click()


@pytest.mark.parametrize(
    ("case", "role", "verdict"),
    [
        ("valid", "status", "Ce fichier est un extrait authentique de l'office, à jour."),
        ("altered", "alert", "Ce fichier a été modifié après son émission par l'office."),
        ("not-a-pdf", "alert", "Ce fichier n'est pas un PDF."),
    ],
)
def test_the_verdict_comes_first_focused_on_desktop_and_phone(page, issued, case, role, verdict):
    document, pdf = issued
    content = {"valid": pdf, "altered": append_annotation(pdf), "not-a-pdf": b"GIF89a not a pdf"}[case]
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        check_file(page, content)
        assert focused_id(page) == "verdict"
        first = page.locator("main > :first-child")
        assert first.get_attribute("id") == "verdict" and first.get_attribute("role") == role
        assert first.locator(".verdict-title").inner_text() == verdict
        if case != "not-a-pdf":
            assert document.reference in page.locator("main").inner_text()
        assert no_sideways_scroll(page), (label, case)
        run_axe(page)
        screenshot(page, f"{case}-{label}")


def test_the_verification_page_offers_both_ways(page):
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.goto("/extraits/verifier/")
        headings = page.locator("main h2").all_inner_texts()
        assert headings == ["Avec le fichier PDF", "Avec la référence et la clé d'accès"]
        assert no_sideways_scroll(page), label
        run_axe(page)
        screenshot(page, f"verify-{label}")


def test_the_office_publishes_its_seal_certificate(page):
    from ocp_portal import seal

    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.goto("/sceau/")
        assert seal.fingerprint(seal.trust_anchor()) in page.locator("main").inner_text()
        assert no_sideways_scroll(page), label
        run_axe(page)
        screenshot(page, f"publication-{label}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger l'ancre de confiance (PEM)").click()
    assert open(download.value.path(), "rb").read() == seal.pem(seal.trust_anchor())  # noqa: SIM115
