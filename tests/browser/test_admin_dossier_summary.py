"""A clerk at 1366 px sees, on a poursuite's and a penal order's page, the claims, the balance
with its breakdown and the timeline with the next deadlines; after « Enregistrer un paiement reçu »
the message links the counter receipt. Screenshots go to $OCP_SHOTS_E (default /tmp/shots_e)."""

import os
from datetime import timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.urls import reverse

from ocp_portal.dates import today
from ocp_portal.formats import format_chf
from poursuites import services
from poursuites.balance import poursuite_balance
from tests.contraventions.conftest import make_order
from tests.factories import make_poursuite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("OCP_SHOTS_E", "/tmp/shots_e"))  # noqa: S108 (screenshots to look at)


@pytest.fixture
def clerk_page(page, clerk):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(reverse("admin:login"))
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "clerk-pass-2026")
    with page.expect_navigation():
        page.click("input[type=submit]")
    return page


def test_a_clerk_sees_the_poursuite_summary_and_prints_a_counter_receipt(clerk_page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = clerk_page
    notified = today() - timedelta(days=5)
    poursuite = make_poursuite(claim=D("1400.50"), rate=D("5"), notified_on=notified)
    services.add_fee(poursuite=poursuite, kind="debours", on=notified, amount=D("8.50"), label="Port", actor=None)
    page.goto(reverse("admin:poursuites_poursuite_change", args=[poursuite.pk]))
    for section in ("#claims", "#balance", "#timeline"):
        assert page.locator(section).is_visible()
    assert "Facture n° 2026-17" in page.locator("#claims").inner_text()
    assert format_chf(poursuite_balance(poursuite, today()).total) in page.locator("#balance").inner_text()
    assert "art. 74 LP" in page.locator("#timeline").inner_text()
    page.screenshot(path=str(SHOTS / "poursuite-1366.png"), full_page=True)

    page.click("text=Enregistrer un paiement reçu")
    page.fill("#id_amount", "200.00")
    with page.expect_navigation():
        page.click("input[type=submit]")
    link = page.locator(".messagelist a", has_text="quittance de guichet")
    line = poursuite.payments.get()
    assert link.get_attribute("href") == reverse(
        "admin:poursuites_poursuite_counter_receipt", args=[poursuite.pk, line.pk]
    )
    page.screenshot(path=str(SHOTS / "poursuite-after-payment-1366.png"), full_page=True)
    receipt = page.request.get(link.get_attribute("href"))
    assert receipt.ok and receipt.headers["content-type"] == "application/pdf"
    (SHOTS / "quittance-guichet.pdf").write_bytes(receipt.body())


def test_a_clerk_sees_the_penal_order_summary(clerk_page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = clerk_page
    order = make_order(fine=D("120.00"), notified_on=today() - timedelta(days=40))
    page.goto(reverse("admin:contraventions_ordonnancepenale_change", args=[order.pk]))
    assert page.locator("#balance").is_visible() and page.locator("#timeline").is_visible()
    assert "Délai échu" in page.locator("#timeline").inner_text()
    page.screenshot(path=str(SHOTS / "ordonnance-1366.png"), full_page=True)
