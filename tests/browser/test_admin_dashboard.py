"""The day's work on the clerks' home page in Chromium at a laptop width: every item visible with
its count and link, and no axe-core violation in the dashboard."""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ocp_portal.dashboard import entries_for
from ocp_portal.dates import today
from paiements import services as payment_services
from paiements.conditions import current
from paiements.constants import IncidentKind, PaymentState
from paiements.models import Payment
from paiements.state import record_incident
from tests.browser.test_balance_lookup import WCAG_TAGS
from tests.factories import make_poursuite


@pytest.fixture
def clerk_home(page, django_user_model):
    call_command("seed_demo", count=40, stdout=open(os.devnull, "w"))  # noqa: SIM115
    record_incident(IncidentKind.GATEWAY_ERROR, "Erreur de traitement chez le prestataire")
    poursuite = make_poursuite(notified_on=today() - timedelta(days=30))
    payment = payment_services.create_payment(
        purpose_code="poursuite",
        reference=poursuite.reference,
        instalment=Decimal("80"),
        email="debiteur@example.ch",
        conditions_version=current()[0],
    )
    Payment.objects.filter(pk=payment.pk).update(
        state=PaymentState.AUTHORIZED, created_at=timezone.now() - timedelta(hours=2)
    )
    clerk = django_user_model.objects.create_user("guichet1", password="guichet-2026", is_staff=True)
    clerk.groups.add(Group.objects.get(name="Guichet"))
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(reverse("admin:login"))
    page.fill("#id_username", "guichet1")
    page.fill("#id_password", "guichet-2026")
    with page.expect_navigation():
        page.click("input[type=submit]")
    return page, clerk


def test_the_dashboard_shows_the_days_work_at_1366_px(clerk_home, tmp_path):
    from axe_playwright_python.sync_playwright import Axe

    page, clerk = clerk_home
    page.goto(reverse("admin:index"))
    dashboard = page.locator("#travail-du-jour")
    dashboard.wait_for()
    shots = Path(os.environ.get("OCP_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "dashboard-1366.png"), full_page=True)

    entries = entries_for(clerk)
    assert len(entries) >= 6
    for entry in entries:
        row = dashboard.locator(f"#dashboard-{entry.key.replace('.', '')}")
        assert row.is_visible()
        assert row.locator("td").inner_text().strip() == str(entry.count)
    box = dashboard.bounding_box()
    assert box["width"] > 300 and box["x"] + box["width"] <= 1366

    results = Axe().run(
        page,
        context="#travail-du-jour",
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, results.generate_report()

    incidents = next(entry for entry in entries if entry.key == "paiements.dashboard.open_incidents")
    with page.expect_navigation():
        dashboard.locator(f'a[href="{incidents.url}"]').first.click()
    assert page.locator("#result_list tbody tr").count() == incidents.count
