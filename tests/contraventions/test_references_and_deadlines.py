from datetime import date
from decimal import Decimal as D

import pytest
from stdnum.ch import esr

from contraventions.forms import ReferenceForm
from contraventions.procedure import opposition_deadline, payment_deadline, revision_deadline
from contraventions.references import instalment_reference, order_reference
from tests.contraventions.conftest import make_order


@pytest.mark.parametrize("case_number", [2281944, 2300001, 9999999])
def test_order_and_instalment_references_are_27_digits_with_a_valid_check_digit(case_number):
    for reference in (order_reference(case_number), instalment_reference(case_number, 12)):
        assert len(reference) == 27 and reference.isdigit()
        assert esr.is_valid(reference)
    assert str(case_number) in order_reference(case_number)
    assert order_reference(case_number) != instalment_reference(case_number, 1)


def _with_check_digit_off_by_one(reference: str) -> str:
    return reference[:-1] + str((int(reference[-1]) + 1) % 10)


@pytest.mark.django_db
def test_the_form_takes_spaces_and_refuses_a_wrong_check_digit_before_any_lookup(django_assert_num_queries):
    reference = order_reference(2281944)
    spaced = esr.format(reference)
    assert " " in spaced
    with django_assert_num_queries(0):
        good = ReferenceForm({"reference": spaced})
        assert good.is_valid() and good.cleaned_data["reference"] == reference
        for wrong in (_with_check_digit_off_by_one(reference), reference[:-1], reference + "0", "abc"):
            form = ReferenceForm({"reference": wrong})
            assert not form.is_valid()
            assert "chiffre de contrôle" in form.errors["reference"][0]


@pytest.mark.parametrize(
    "notified, due",
    [
        (date(2026, 3, 2), date(2026, 4, 1)),  # a Wednesday: as is
        (date(2026, 3, 4), date(2026, 4, 7)),  # Good Friday, the weekend and Easter Monday
        (date(2026, 8, 8), date(2026, 9, 7)),  # Sunday -> Monday
        (date(2026, 12, 1), date(2027, 1, 4)),  # Restauration de la République (31.12), 1.1, weekend
    ],
)
def test_30_days_to_pay_end_on_a_geneva_working_day(notified, due):
    assert payment_deadline(notified) == due


@pytest.mark.parametrize(
    "notified, last_day",
    [
        (date(2026, 3, 2), date(2026, 3, 12)),  # Thursday
        (date(2026, 3, 4), date(2026, 3, 16)),  # Saturday 14 -> Monday 16
        (date(2026, 8, 31), date(2026, 9, 11)),  # Jeûne genevois (Thursday 10.9) -> Friday
        (date(2026, 12, 15), date(2026, 12, 28)),  # Christmas (Friday), then the weekend
    ],
)
def test_10_days_to_oppose_or_ask_for_a_revision_end_on_a_geneva_working_day(notified, last_day):
    assert opposition_deadline(notified) == revision_deadline(notified) == last_day


@pytest.mark.django_db
def test_a_registered_order_is_due_30_days_after_notification():
    order = make_order(fine=D("40"), notified_on=date(2026, 3, 4))
    assert order.due_date == date(2026, 4, 7)
    assert len(order.qr_reference) == 27 and str(order.case_number) in order.qr_reference
