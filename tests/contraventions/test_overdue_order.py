"""An order past its deadline says so (« Délai de paiement échu »), with the reminders sent and what
the recovery rules do next (recovery.outlook), at each stage of the recovery."""

from datetime import date, timedelta
from decimal import Decimal as D
from html import unescape

import pytest
from django.urls import reverse

from contraventions import arrangements, recovery
from contraventions.constants import RECOVERY_STEP_DAYS, Etape
from contraventions.emoluments import FORMAL_NOTICE_FEE, REMINDER_FEE
from ocp_portal.dates import today
from ocp_portal.formats import format_chf, format_date
from tests.contraventions.conftest import make_order, reload

pytestmark = pytest.mark.django_db
PAY_URL = reverse("contraventions:pay")
OVERDUE = "Délai de paiement échu"


def page(client, order) -> str:
    return unescape(client.post(PAY_URL, {"reference": order.qr_reference}).content.decode())


def next_step_day(order) -> date:
    return recovery.pay_by(reload(order)) + timedelta(days=1)


@pytest.mark.time_machine("2026-11-30 10:00 +01:00")
def test_the_order_of_the_issue_reads_overdue_on_30_november(client):
    order = make_order(notified_on=date(2026, 10, 21))
    assert order.due_date == date(2026, 11, 20)
    html = page(client, order)
    assert OVERDUE in html and "Le délai de paiement a expiré le 20.11.2026" in html
    assert "À payer au plus tard le" not in html
    assert "Premier rappel" in html and "Peut intervenir dès maintenant" in html


def test_before_the_deadline_nothing_is_overdue_and_the_first_reminder_has_its_date(client, order):
    outlook = recovery.outlook(order, today())
    assert not outlook.overdue and outlook.done == ()
    assert [step.label for step in outlook.ahead] == [Etape(step).label for step in recovery.SEQUENCE]
    assert outlook.next_step.earliest == order.due_date + timedelta(days=1)
    html = page(client, order)
    assert OVERDUE not in html and "À payer au plus tard le" in html
    assert f"Au plus tôt le {format_date(order.due_date + timedelta(days=1))}" in html


def test_after_the_deadline_the_warning_and_the_whole_recovery_come_from_the_rules(client, overdue):
    outlook = recovery.outlook(overdue, today())
    assert outlook.overdue and outlook.pay_by == overdue.due_date < today()
    html = page(client, overdue)
    assert OVERDUE in html and "Délai de paiement échu le" in html
    assert f"un émolument de {format_chf(REMINDER_FEE)}" in html
    assert f"des frais de {format_chf(FORMAL_NOTICE_FEE)}" in html
    assert f"délai de {RECOVERY_STEP_DAYS} jours" in html
    assert "Poursuite : le Service des contraventions requiert une poursuite" in html
    assert html.index(OVERDUE) < html.index("Solde à payer")  # above the amounts, not below the fold


def test_after_the_first_reminder_it_is_listed_with_its_fee_and_the_second_is_next(client, overdue):
    sent_on = today() - timedelta(days=3)
    step = recovery.send_reminder(order=overdue, on=sent_on)
    outlook = recovery.outlook(reload(overdue), today())
    assert not outlook.overdue  # the reminder's own deadline runs
    assert [(done.label, done.on, done.fee) for done in outlook.done] == [("Premier rappel", sent_on, REMINDER_FEE)]
    assert outlook.next_step.label == "Second rappel"
    assert outlook.next_step.earliest == step.deadline + timedelta(days=1)
    html = page(client, overdue)
    assert OVERDUE not in html
    assert f"Premier rappel du {format_date(sent_on)} : frais de CHF 20.00" in html
    assert f"délai de paiement au {format_date(step.deadline)}" in html
    assert f"Au plus tôt le {format_date(step.deadline + timedelta(days=1))}" in html


def test_after_the_formal_notice_only_the_poursuite_is_left(client, overdue):
    for step in (Etape.RAPPEL_1, Etape.RAPPEL_2, Etape.MISE_EN_DEMEURE):
        recovery.perform_step(order=reload(overdue), step=step, on=next_step_day(overdue))
    order = reload(overdue)
    outlook = recovery.outlook(order, today())
    assert outlook.overdue
    assert [done.fee for done in outlook.done] == [REMINDER_FEE, REMINDER_FEE, FORMAL_NOTICE_FEE]
    assert [step.label for step in outlook.ahead] == ["Réquisition de poursuite"]
    html = page(client, order)
    assert OVERDUE in html and "Mise en demeure du " in html and "frais de CHF 40.00" in html
    assert "Premier rappel :" not in html  # what was done is not announced again


def test_no_warning_nor_recovery_under_a_granted_arrangement(client, overdue):
    request = arrangements.request_arrangement(order=overdue, monthly_amount=D("100"), email="a@b.ch", on=today())
    arrangements.accept(arrangement=request, first_due_date=today() + timedelta(days=5), on=today())
    outlook = recovery.outlook(reload(overdue), today())
    assert outlook.suspended and not outlook.overdue and outlook.ahead == ()
    assert OVERDUE not in page(client, overdue)
