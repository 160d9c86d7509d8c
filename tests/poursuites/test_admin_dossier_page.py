"""The clerk's page of a poursuite, an ADB and a penal order shows, above the inlines, what the
clerk needs at the counter: the claims, the balance today with its breakdown (the same function as
the public lookup), the timeline and the next deadlines."""

import re
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse

from contraventions import conversion, recovery
from contraventions.balance import order_balance
from contraventions.constants import MotifConversion
from contraventions.procedure import opposition_deadline as order_opposition_deadline
from ocp_portal.dates import today
from ocp_portal.formats import format_chf, format_date
from poursuites import services
from poursuites.balance import adb_balance, poursuite_balance
from poursuites.constants import PoursuiteStatus
from poursuites.lookup import lookup
from poursuites.procedure import (
    adb_prescribes_on,
    continuation_from,
    continuation_lapses_on,
    opposition_deadline,
    payment_deadline,
)
from tests.contraventions.conftest import make_order, reload
from tests.factories import PersonFactory, make_poursuite

pytestmark = pytest.mark.django_db


def section(html: str, section_id: str) -> str:
    match = re.search(rf'<fieldset class="module" id="{section_id}">(.*?)</fieldset>', html, re.S)
    assert match, f"no section #{section_id}"
    return match.group(1)


def change_page(client, user, url_name, pk) -> str:
    client.force_login(user)
    response = client.get(reverse(url_name, args=[pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_poursuite_page_shows_its_claims_balance_and_deadlines(client, clerk):
    notified = today() - timedelta(days=5)
    poursuite = make_poursuite(claim=D("1400.50"), rate=D("4.5"), notified_on=notified)
    services.add_fee(poursuite=poursuite, kind="debours", on=notified, amount=D("12.30"), label="Port", actor=None)
    services.record_payment(target=poursuite, on=today(), amount=D("100.00"))
    html = change_page(client, clerk, "admin:poursuites_poursuite_change", poursuite.pk)

    claims = section(html, "claims")
    claim = poursuite.claims.get()
    assert "Facture n° 2026-17 du 3 février" in claims
    assert "CHF 1&#x27;400.50" in claims or "CHF 1'400.50" in claims
    assert "4.5 %" in claims and format_date(claim.interest_from) in claims

    balance = poursuite_balance(poursuite, today())
    shown = section(html, "balance")
    assert balance.interest > 0
    for amount in (balance.total, balance.claim_due, balance.interest, balance.fees, balance.paid):
        assert format_chf(amount).replace("'", "&#x27;") in shown
    # the debtor's lookup says the same
    assert lookup(poursuite.number, poursuite.key_letter, today()).balance.total == balance.total

    timeline = section(html, "timeline")
    assert "Réquisition enregistrée" in timeline and "Commandement de payer notifié" in timeline
    for day in (
        opposition_deadline(notified),
        payment_deadline(notified),
        continuation_from(notified),
        continuation_lapses_on(notified),
    ):
        assert format_date(day) in timeline
    assert "art. 88 al. 2 LP" in timeline


def test_the_claims_show_once_even_to_whoever_may_view_them_all(admin_client):
    """The claims inline is for registering a poursuite by hand; on its page the summary shows them."""
    poursuite = make_poursuite()
    assert 'id="claims-group"' in admin_client.get(reverse("admin:poursuites_poursuite_add")).content.decode()
    html = admin_client.get(reverse("admin:poursuites_poursuite_change", args=[poursuite.pk])).content.decode()
    assert 'id="claims-group"' not in html and "Facture n° 2026-17 du 3 février" in section(html, "claims")


def test_a_poursuite_under_opposition_shows_no_debtor_deadlines(client, clerk):
    notified = today() - timedelta(days=5)
    poursuite = make_poursuite(notified_on=notified)
    services.record_event(poursuite=poursuite, type="opposition_totale", on=today())
    poursuite.refresh_from_db()
    assert poursuite.status == PoursuiteStatus.OPPOSITION_TOTALE
    timeline = section(change_page(client, clerk, "admin:poursuites_poursuite_change", poursuite.pk), "timeline")
    assert "Opposition totale" in timeline
    assert format_date(payment_deadline(notified)) not in timeline


def test_the_adb_page_shows_its_balance_without_interest_and_its_prescription(client, clerk):
    poursuite = make_poursuite(claim=D("800.00"), notified_on=today() - timedelta(days=60))
    for step in ("continuation", "avis_saisie"):
        services.record_event(poursuite=poursuite, type=step, on=today() - timedelta(days=2))
        poursuite.refresh_from_db()
    adb = services.issue_adb(poursuite=poursuite, on=today() - timedelta(days=1), amount=D("840.00"))
    services.record_payment(target=adb, on=today(), amount=D("50.00"))
    html = change_page(client, clerk, "admin:poursuites_actedefautbiens_change", adb.pk)

    balance = adb_balance(adb, today())
    shown = section(html, "balance")
    assert balance.total == D("790.00") and balance.interest == 0
    assert "CHF 790.00" in shown and "CHF 50.00" in shown
    assert "art. 149 al. 4 LP" in shown
    assert format_date(adb_prescribes_on(adb.issued_on)) in section(html, "timeline")


def test_the_penal_order_page_shows_its_balance_events_and_deadlines(client, clerk):
    notified = today() - timedelta(days=5)
    order = make_order(fine=D("120.00"), notified_on=notified)
    html = change_page(client, clerk, "admin:contraventions_ordonnancepenale_change", order.pk)

    balance = order_balance(reload(order))
    shown = section(html, "balance")
    assert format_chf(balance.total) in shown and format_chf(balance.emoluments) in shown
    timeline = section(html, "timeline")
    assert format_date(notified) in timeline
    assert format_date(order_opposition_deadline(notified)) in timeline
    assert format_date(order.due_date) in timeline


def test_the_conversion_order_page_shows_its_balance_and_timeline(client, clerk):
    abroad = PersonFactory(country="FR", postal_code="74100", town="Annemasse")
    order = make_order(fine=D("250"), notified_on=today() - timedelta(days=200), offender=abroad)
    recovery.send_reminder(order=order, on=today() - timedelta(days=150))
    issued = conversion.issue_conversion(orders=[reload(order)], ground=MotifConversion.SANS_ADRESSE, on=today())
    html = change_page(client, clerk, "admin:contraventions_ordonnancepenaleconversion_change", issued.pk)
    assert format_chf(order_balance(reload(issued)).total) in section(html, "balance")
    assert format_date(today()) in section(html, "timeline")
