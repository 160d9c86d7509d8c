from decimal import Decimal as D

import pytest

from contraventions.emoluments import emoluments_for, report_copy_fee
from tests.contraventions.conftest import make_order


@pytest.mark.parametrize(
    "fine, emoluments",
    [
        ("0.50", "50.00"),
        ("20", "50.00"),
        ("20.00", "50.00"),
        # Between the seed's whole-franc bounds (20 / 21): above 20, so the next bracket.
        ("20.01", "100.00"),
        ("20.50", "100.00"),
        ("21", "100.00"),
        ("150", "100.00"),
        ("150.01", "150.00"),
        ("151", "150.00"),
        ("300", "150.00"),
        ("300.01", "200.00"),
        ("301", "200.00"),
        ("500", "200.00"),
        ("500.01", "500.00"),
        ("501", "500.00"),
        ("10000", "500.00"),
    ],
)
def test_emoluments_follow_the_rtfmp_table_at_each_boundary(fine, emoluments):
    assert emoluments_for(D(fine)) == D(emoluments)


@pytest.mark.parametrize("fine", ["0", "-5", "0.004"])
def test_a_fine_of_nothing_has_no_emoluments(fine):
    with pytest.raises(ValueError):
        emoluments_for(D(fine))


@pytest.mark.django_db
def test_a_registered_order_carries_the_emoluments_of_its_fine():
    order = make_order(fine=D("150.01"))
    assert (order.fine, order.emoluments) == (D("150.01"), D("150.00"))


@pytest.mark.parametrize(
    "pages, fee", [(1, "2.00"), (9, "18.00"), (10, "20.00"), (11, "21.00"), (12, "22.00"), (40, "50.00")]
)
def test_copy_of_the_report_costs_2_a_page_up_to_10_then_1(pages, fee):
    assert report_copy_fee(pages) == D(fee)
