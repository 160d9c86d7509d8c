from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from contraventions import recovery, services
from contraventions.balance import order_balance
from contraventions.constants import Etape, EtatOrdonnance
from contraventions.models import EtapeRecouvrement, OrderEvent
from contraventions.tasks import daily_recovery
from ocp_portal.bookkeeping import MoneySource
from ocp_portal.dates import today
from poursuites.constants import PoursuiteKind
from tests.contraventions.conftest import make_order, reload

pytestmark = pytest.mark.django_db
S = EtatOrdonnance


def days_ago(n):
    return today() - timedelta(days=n)


def day_after_deadline(order) -> date:
    """The first day the next step may be taken: the day after the payment deadline now running,
    as the recovery rules compute it (10 days, moved past weekends and holidays, art. 31 LP)."""
    return recovery.pay_by(reload(order)) + timedelta(days=1)


def test_no_reminder_while_the_30_days_to_pay_run(order):
    assert recovery.next_step(order, today()) is None
    with pytest.raises(ValidationError, match="Le délai de paiement court jusqu'au"):
        recovery.send_reminder(order=order, on=today())


def test_two_reminders_at_most_each_with_its_fee_then_no_third(overdue):
    recovery.send_reminder(order=overdue, on=day_after_deadline(overdue))
    recovery.send_reminder(order=reload(overdue), on=day_after_deadline(overdue))
    order = reload(overdue)
    assert order.state == S.EN_RAPPEL
    assert order_balance(order).reminder_fees == D("40.00")
    with pytest.raises(ValidationError, match="Deux rappels au plus"):
        recovery.send_reminder(order=order, on=today())
    assert order_balance(reload(order)).reminder_fees == D("40.00")


def test_second_reminder_waits_for_the_deadline_of_the_first(overdue):
    recovery.send_reminder(order=overdue, on=days_ago(5))
    with pytest.raises(ValidationError, match="Le délai de paiement court"):
        recovery.send_reminder(order=reload(overdue), on=today())


def test_formal_notice_only_after_the_reminders(overdue):
    with pytest.raises(ValidationError, match="ne peut venir qu'après « Second rappel »"):
        recovery.perform_step(order=overdue, step=Etape.MISE_EN_DEMEURE, on=today())
    recovery.send_reminder(order=overdue, on=day_after_deadline(overdue))
    with pytest.raises(ValidationError, match="ne peut venir qu'après « Second rappel »"):
        recovery.perform_step(order=reload(overdue), step=Etape.MISE_EN_DEMEURE, on=today())
    recovery.send_reminder(order=reload(overdue), on=day_after_deadline(overdue))
    recovery.perform_step(order=reload(overdue), step=Etape.MISE_EN_DEMEURE, on=day_after_deadline(overdue))
    order = reload(overdue)
    assert order.state == S.MISE_EN_DEMEURE
    assert order_balance(order).notice_fee == D("40.00")
    assert order_balance(order).total == D("250.00") + D("150.00") + D("40.00") + D("40.00")


def test_poursuite_only_after_the_formal_notice_with_the_service_as_creditor(overdue):
    with pytest.raises(ValidationError, match="ne peut venir qu'après « Mise en demeure »"):
        recovery.perform_step(order=overdue, step=Etape.POURSUITE, on=today())
    recovery.send_reminder(order=overdue, on=day_after_deadline(overdue))
    recovery.send_reminder(order=reload(overdue), on=day_after_deadline(overdue))
    recovery.perform_step(order=reload(overdue), step=Etape.MISE_EN_DEMEURE, on=day_after_deadline(overdue))
    due = order_balance(reload(overdue)).total
    assert day_after_deadline(overdue) <= today()
    recovery.perform_step(order=reload(overdue), step=Etape.POURSUITE, on=today())
    order = reload(overdue)
    assert order.state == S.EN_POURSUITE
    poursuite = order.poursuite
    assert poursuite.claim_amount == due
    assert poursuite.kind == PoursuiteKind.SAISIE  # art. 43 LP: a fine is never pursued by bankruptcy
    assert poursuite.creditor.name == "Etat de Genève - Service des contraventions"
    assert poursuite.debtor_id == order.offender_id
    assert recovery.next_step(order, today() + timedelta(days=90)) is None


def test_recovery_stops_when_paid_or_under_arrangement_or_opposition(overdue):
    services.record_payment(order=overdue, on=today(), amount=order_balance(overdue).total)
    assert reload(overdue).state == S.PAYEE
    assert recovery.next_step(reload(overdue), today()) is None
    contested = make_order(notified_on=days_ago(3))
    services.record_opposition(order=contested, on=days_ago(1))
    with pytest.raises(ValidationError, match="Opposition"):
        recovery.send_reminder(order=reload(contested), on=today())


def test_the_daily_job_proposes_each_due_step_once_and_never_acts(overdue):
    fresh = make_order()
    assert daily_recovery.delay().get() == {"proposed": 1, "missed_instalments": 0, "acknowledgements": 0}
    assert daily_recovery.delay().get() == {"proposed": 0, "missed_instalments": 0, "acknowledgements": 0}
    proposal = EtapeRecouvrement.objects.get()
    assert (proposal.ordonnance_id, proposal.etape, proposal.performed_on) == (overdue.pk, Etape.RAPPEL_1, None)
    assert reload(overdue).state == S.NOTIFIEE and not reload(overdue).fees.exists()
    assert not fresh.recovery_steps.exists()

    # The clerk performs the proposal: the same row, not a second one.
    recovery.perform_step(order=overdue, step=Etape.RAPPEL_1, on=today())
    assert EtapeRecouvrement.objects.get().performed_on == today()
    assert daily_recovery.delay().get()["proposed"] == 0
    with pytest.raises(ValidationError, match="a déjà été effectué"):
        recovery.perform_step(order=reload(overdue), step=Etape.RAPPEL_1, on=today())
    assert OrderEvent.objects.filter(ordonnance=overdue, type="rappel").count() == 1


def test_a_bank_transfer_is_recorded_once(overdue):
    line = services.record_payment(
        order=overdue, on=today(), amount=D("100"), source=MoneySource.VIREMENT, external_reference="BCGE-1"
    )
    again = services.record_payment(
        order=overdue, on=today(), amount=D("100"), source=MoneySource.VIREMENT, external_reference="BCGE-1"
    )
    assert again.pk == line.pk
    assert order_balance(reload(overdue)).paid == D("100.00")
    with pytest.raises(ValidationError, match="dépasse le solde"):
        services.record_payment(order=overdue, on=today(), amount=D("1000"))


def test_revision_lowers_the_fine_not_the_emoluments_and_not_after_a_reminder(overdue):
    order = make_order(fine=D("600"), notified_on=days_ago(4))
    services.revise_fine(order=order, fine=D("300"), on=today())
    order = reload(order)
    assert (order.fine, order.emoluments) == (D("300.00"), D("500.00"))
    recovery.send_reminder(order=overdue, on=today())
    with pytest.raises(ValidationError, match="après un rappel"):
        services.revise_fine(order=reload(overdue), fine=D("100"), on=today())
    late = make_order(fine=D("600"), notified_on=days_ago(20))
    with pytest.raises(ValidationError, match="délai de révision"):
        services.revise_fine(order=late, fine=D("300"), on=today())


def test_opposition_in_time_suspends_and_late_one_is_maintained():
    in_time = make_order(notified_on=days_ago(5))
    services.record_opposition(order=in_time, on=today())
    assert reload(in_time).state == S.OPPOSITION
    late = make_order(notified_on=days_ago(40))
    services.record_opposition(order=late, on=today())
    assert reload(late).state == S.MAINTENUE
    assert late.events.get(type="opposition").late is True
    services.record_judgment(order=late, on=today(), note="Tribunal de police, JTDP/1/2026")
    late = reload(late)
    assert late.state == S.NOTIFIEE and late.due_date > today()


def test_after_a_judgment_recovery_waits_for_its_30_new_days(overdue):
    recovery.send_reminder(order=overdue, on=days_ago(40))
    services.record_opposition(order=reload(overdue), on=days_ago(35))  # late: maintained
    services.record_judgment(order=reload(overdue), on=days_ago(5), note="Tribunal de police")
    order = reload(overdue)
    assert recovery.pay_by(order) == order.due_date > today()
    assert recovery.next_step(order, today()) is None
    assert recovery.next_step(order, order.due_date + timedelta(days=1)) == Etape.RAPPEL_2
