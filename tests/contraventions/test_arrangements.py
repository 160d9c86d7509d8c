from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from contraventions import arrangements, recovery, services
from contraventions.constants import Etape, EtatArrangement
from contraventions.models import Echeance
from contraventions.payment_purposes import OrdonnancePenalePurpose
from contraventions.tasks import daily_recovery
from ocp_portal.dates import today
from tests.contraventions.conftest import make_order, reload

pytestmark = pytest.mark.django_db
A = EtatArrangement


def ask(order, monthly="100"):
    return arrangements.request_arrangement(order=order, monthly_amount=D(monthly), email="a@example.ch", on=today())


@pytest.mark.parametrize("monthly", ["0", "10", "49.99"])
def test_under_50_a_month_is_refused(order, monthly):
    with pytest.raises(ValidationError, match="Les mensualités minimum accordées sont de CHF 50.00."):
        ask(order, monthly)
    assert not order.arrangements.exists()


def test_50_a_month_is_recorded_for_a_clerk(order):
    request = ask(order, "50")
    assert (request.state, request.monthly_amount) == (A.DEMANDE, D("50.00"))
    with pytest.raises(ValidationError, match="déjà en cours"):
        ask(order, "60")


def test_accepted_arrangement_has_one_instalment_a_month_with_its_own_reference(order):
    # CHF 120 fine + CHF 100 émoluments = 220: 100, 100, 20.
    first = today() + timedelta(days=10)
    arrangements.accept(arrangement=ask(order), first_due_date=first, on=today())
    rows = list(Echeance.objects.order_by("position"))
    assert [row.amount for row in rows] == [D("100.00"), D("100.00"), D("20.00")]
    assert [row.due_date for row in rows] == [
        first,
        arrangements.add_months(first, 1),
        arrangements.add_months(first, 2),
    ]
    assert len({row.qr_reference for row in rows} | {order.qr_reference}) == 4
    assert OrdonnancePenalePurpose().allows_instalments(order)


def test_month_end_due_dates_stay_at_month_end():
    assert arrangements.add_months(today().replace(month=1, day=31), 1).day in (28, 29)


def test_refused_after_a_broken_arrangement_even_for_another_order(order):
    accepted = arrangements.accept(arrangement=ask(order), first_due_date=today(), on=today())
    arrangements.declare_broken(arrangement=accepted, on=today())
    other = make_order(offender=order.offender)
    with pytest.raises(ValidationError, match="précédent arrangement de paiement n'a pas été respecté"):
        ask(other)
    assert ask(make_order())  # another offender is not concerned


def test_missed_instalment_is_flagged_once_and_paid_ones_are_not(db):
    order = make_order(notified_on=today() - timedelta(days=100))
    request = ask(order)
    request.requested_on = today() - timedelta(days=70)
    request.save()
    arrangements.accept(
        arrangement=request, first_due_date=today() - timedelta(days=60), on=today() - timedelta(days=65)
    )
    services.record_payment(order=order, on=today() - timedelta(days=61), amount=D("100"))
    # Instalment 1 (due 60 days ago) is paid; 2 (due ~30 days ago) is not; 3 is not due yet.
    assert daily_recovery.delay().get()["missed_instalments"] == 1
    assert daily_recovery.delay().get()["missed_instalments"] == 0
    missed = Echeance.objects.filter(missed_on__isnull=False)
    assert list(missed.values_list("position", flat=True)) == [2]


def test_recovery_is_suspended_while_an_arrangement_runs_and_resumes_once_broken(overdue):
    accepted = arrangements.accept(arrangement=ask(overdue), first_due_date=today(), on=today())
    assert recovery.next_step(reload(overdue), today()) is None
    with pytest.raises(ValidationError, match="arrangement de paiement est en cours"):
        recovery.perform_step(order=reload(overdue), step=Etape.RAPPEL_1, on=today())
    arrangements.declare_broken(arrangement=accepted, on=today())
    assert recovery.next_step(reload(overdue), today()) == Etape.RAPPEL_1


def test_paying_the_balance_honours_the_arrangement(order):
    accepted = arrangements.accept(arrangement=ask(order), first_due_date=today(), on=today())
    services.record_payment(order=order, on=today(), amount=D("220"))
    accepted.refresh_from_db()
    assert accepted.state == A.HONORE


def test_a_monthly_amount_that_covers_the_balance_is_no_arrangement(order):
    with pytest.raises(ValidationError, match="couvre le solde de CHF 220.00"):
        ask(order, "220")
    assert ask(order, "219.95").state == A.DEMANDE


def test_a_schedule_of_more_than_60_instalments_is_refused(order):
    big = make_order(fine=D("3000"))  # + CHF 500 émoluments = 3'500
    with pytest.raises(ValidationError, match="plus de 60 mensualités"):
        ask(big, "58")  # 61 instalments
    accepted = arrangements.accept(arrangement=ask(big, "59"), first_due_date=today(), on=today())
    assert accepted.instalments.count() == 60


def test_the_plan_splits_the_balance_into_equal_instalments_and_a_smaller_last_one():
    assert arrangements.plan(D("220.00"), D("100")) == [D("100.00"), D("100.00"), D("20.00")]
    assert arrangements.plan(D("200.00"), D("50")) == [D("50.00")] * 4
