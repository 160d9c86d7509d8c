"""Issue 16 (4-6) in Chromium, at desktop width and on a 390 px phone, axe-core on each page: an
overdue penal order with its reminders and what comes next, an order under a granted arrangement
(the next instalment first), an arrangement request and its status page."""

import os
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail

from contraventions import arrangements, recovery, services
from contraventions.models import OrdonnancePenale
from ocp_portal.dates import today
from tests.browser.test_balance_lookup import run_axe
from tests.browser.test_contraventions import PAY_URL, submit_reference
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def screenshot(page, name: str) -> None:
    """With BROWSER_SCREENSHOTS=/tmp/x, each state is saved as /tmp/x/penal-<name>.png."""
    if folder := os.environ.get("BROWSER_SCREENSHOTS"):
        page.screenshot(path=os.path.join(folder, f"penal-{name}.png"), full_page=True)


def on_both_screens(page, name: str):
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= size["width"], (label, page.url)
        run_axe(page)
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def make_order(notified_days_ago: int) -> OrdonnancePenale:
    order = services.register_order(
        offender=PersonFactory(name="Rochat", first_name="Léa"),
        offence="Stationnement sur une place réservée aux livraisons",
        fine=Decimal("120.00"),
        notification_date=today() - timedelta(days=notified_days_ago),
    )
    return OrdonnancePenale.objects.get(pk=order.pk)


def test_an_overdue_order_warns_and_lists_its_reminders_and_what_comes_next(page):
    order = make_order(100)
    recovery.send_reminder(order=order, on=recovery.pay_by(order) + timedelta(days=1))
    page.goto(PAY_URL)
    submit_reference(page, order.qr_reference)
    result = page.locator("section.result")
    warning = result.locator(".overdue")
    assert warning.locator("h3").inner_text() == "Délai de paiement échu"
    assert "Premier rappel du" in result.locator("ul.steps-done").inner_text()
    ahead = result.locator("ol.steps-ahead li").all_inner_texts()
    assert ahead[0].startswith("Second rappel") and "CHF 40.00" in ahead[1] and ahead[2].startswith("Poursuite")
    on_both_screens(page, "overdue")


def test_an_order_under_a_granted_arrangement_offers_the_next_instalment(page):
    order = make_order(3)
    request = arrangements.request_arrangement(order=order, monthly_amount=Decimal("100"), email="a@b.ch", on=today())
    arrangements.accept(arrangement=request, first_due_date=today() + timedelta(days=5), on=today())
    services.record_payment(order=order, on=today(), amount=Decimal("100"))
    page.goto(PAY_URL)
    submit_reference(page, order.qr_reference)
    result = page.locator("section.result")
    assert "Payer la mensualité n° 2" in result.inner_text()
    assert result.locator("table.schedule tbody tr").count() == 3
    assert page.get_by_role("link", name="Demander un arrangement de paiement").count() == 0
    page.wait_for_function(
        "() => { const img = document.querySelector('.qr-bill img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    on_both_screens(page, "granted")
    page.get_by_role("link", name="Payer la mensualité par carte de débit").click()
    page.wait_for_url("**/paiements/payer/**")
    assert "CHF 100.00" in page.locator("main").inner_text()
    assert "Mensualité 2/3" in page.locator("main").inner_text()


def test_a_request_gets_its_reference_and_its_status_page(page):
    order = make_order(3)
    page.goto("/contraventions/arrangement/")
    page.fill("#id_reference", order.qr_reference)
    page.fill("#id_monthly_amount", "80")
    page.fill("#id_email", "lea.rochat@example.ch")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer la demande").click()
    reference = page.locator("#request-reference").inner_text()
    assert re.fullmatch(r"AP-\w{4}-\w{4}", reference)
    on_both_screens(page, "request-done")
    assert reference in mail.outbox[0].body

    page.get_by_role("link", name="Suivre cette demande").click()  # the signed link, as in the e-mail
    page.wait_for_url("**/arrangement/suivi/**")
    assert page.locator(".request-state").inner_text() == "En cours d'examen"
    assert "les délais de paiement courent" in page.locator("p.next").inner_text()
    on_both_screens(page, "status-pending")

    arrangements.accept(arrangement=order.arrangements.get(), first_due_date=today() + timedelta(days=5), on=today())
    page.goto("/contraventions/arrangement/suivi/")
    page.fill("#id_request_reference", reference.lower())
    page.fill("#id_reference", order.qr_reference)
    with page.expect_navigation():
        page.get_by_role("button", name="Afficher l'état de la demande").click()
    assert page.locator(".request-state").inner_text() == "Accordé"
    assert page.locator("table.schedule tbody tr").count() == 3
    on_both_screens(page, "status-granted")
