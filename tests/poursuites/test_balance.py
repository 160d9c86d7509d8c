from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from poursuites.balance import ClaimTerms, compute_balance, interest_between


def balance_of(*, claim, rate=None, interest_from=None, **kwargs):
    """The balance of a poursuite with a single claim."""
    return compute_balance(claims=[ClaimTerms(claim, rate, interest_from)], **kwargs)


# Hand-computed: interest = principal x rate x days / 365, rounded half up to the centime.
CASES = [
    # id, kwargs, (interest, fees, paid, total, surplus)
    (
        "rate_0_only_fees",
        dict(
            on=date(2025, 6, 1),
            claim=D("500.00"),
            rate=D("0"),
            interest_from=date(2025, 1, 1),
            fees=[(date(2025, 1, 1), D("20.00"))],
        ),
        (D("0.00"), D("20.00"), D("0.00"), D("520.00"), D("0.00")),
    ),
    (
        "leap_year_366_days",  # 1000 x 5% x 366/365 = 50.1369...
        dict(on=date(2025, 1, 1), claim=D("1000.00"), rate=D("5"), interest_from=date(2024, 1, 1)),
        (D("50.14"), D("0.00"), D("0.00"), D("1050.14"), D("0.00")),
    ),
    (
        "common_year_365_days",
        dict(on=date(2026, 1, 1), claim=D("1000.00"), rate=D("5"), interest_from=date(2025, 1, 1)),
        (D("50.00"), D("0.00"), D("0.00"), D("1050.00"), D("0.00")),
    ),
    (
        # 01.03: interest 8.08 (59 d); 200 pays fees 60, interest 8.08, claim 131.92 -> 868.08
        # 01.05: interest 7.25 (61 d on 868.08); 100 pays 7.25 then 92.75 -> 775.33
        # 01.07: interest 6.48 (61 d on 775.33) -> due 775.33 + 6.48
        "several_payments_fees_then_interest_then_claim",
        dict(
            on=date(2025, 7, 1),
            claim=D("1000.00"),
            rate=D("5"),
            interest_from=date(2025, 1, 1),
            fees=[(date(2025, 1, 1), D("60.00"))],
            payments=[(date(2025, 3, 1), D("200.00")), (date(2025, 5, 1), D("100.00"))],
        ),
        (D("21.81"), D("60.00"), D("300.00"), D("781.81"), D("0.00")),
    ),
    (
        "half_centime_rounds_up",  # 1 x 36.5% x 5/365 = 0.005 exactly
        dict(on=date(2025, 1, 6), claim=D("1.00"), rate=D("36.5"), interest_from=date(2025, 1, 1)),
        (D("0.01"), D("0.00"), D("0.00"), D("1.01"), D("0.00")),
    ),
    (
        "interest_stops_at_adb_issue",  # 60 days only: 1000 x 5% x 60/365 = 8.219...
        dict(
            on=date(2026, 1, 1),
            claim=D("1000.00"),
            rate=D("5"),
            interest_from=date(2025, 1, 1),
            interest_until=date(2025, 3, 2),
        ),
        (D("8.22"), D("0.00"), D("0.00"), D("1008.22"), D("0.00")),
    ),
    (
        "adb_no_interest_with_payment",
        dict(on=date(2026, 1, 1), claim=D("1500.00"), payments=[(date(2025, 6, 1), D("500.00"))]),
        (D("0.00"), D("0.00"), D("500.00"), D("1000.00"), D("0.00")),
    ),
    (
        "overpayment_is_a_surplus_never_negative",
        dict(
            on=date(2025, 2, 1),
            claim=D("100.00"),
            fees=[(date(2025, 1, 1), D("7.00"))],
            payments=[(date(2025, 1, 15), D("150.00"))],
        ),
        (D("0.00"), D("7.00"), D("150.00"), D("0.00"), D("43.00")),
    ),
    (
        "fee_after_payment_is_still_due",
        dict(
            on=date(2025, 3, 1),
            claim=D("100.00"),
            payments=[(date(2025, 1, 15), D("100.00"))],
            fees=[(date(2025, 2, 1), D("7.00"))],
        ),
        (D("0.00"), D("7.00"), D("100.00"), D("7.00"), D("0.00")),
    ),
    (
        "interest_before_its_start_date_is_nil",
        dict(on=date(2025, 1, 1), claim=D("1000.00"), rate=D("5"), interest_from=date(2025, 6, 1)),
        (D("0.00"), D("0.00"), D("0.00"), D("1000.00"), D("0.00")),
    ),
]


@pytest.mark.parametrize("kwargs, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_balance_matches_hand_computed_cases(kwargs, expected):
    balance = balance_of(**kwargs)
    assert (balance.interest, balance.fees, balance.paid, balance.total, balance.surplus) == expected


def test_payment_pays_fees_first_then_interest_then_claim():
    balance = balance_of(
        on=date(2025, 3, 1),
        claim=D("1000.00"),
        rate=D("5"),
        interest_from=date(2025, 1, 1),
        fees=[(date(2025, 1, 1), D("60.00"))],
        payments=[(date(2025, 3, 1), D("65.00"))],
    )
    # 59 days: 8.08 interest. 65 pays the 60 of fees, then 5 of interest.
    assert balance.fees_due == D("0.00")
    assert balance.interest_due == D("3.08")
    assert balance.claim_due == D("1000.00")


def test_interest_day_count_is_actual_over_365():
    assert interest_between(D("365.00"), D("10"), date(2024, 2, 28), date(2024, 3, 1)) == D("0.20")


money = st.decimals(min_value=D("0.01"), max_value=D("500000"), places=2)
day = st.integers(min_value=0, max_value=800).map(lambda n: date(2024, 1, 1) + timedelta(days=n))


@given(
    claim=money,
    rate=st.decimals(min_value=D("0"), max_value=D("15"), places=3),
    fees=st.lists(st.tuples(day, money), max_size=4),
    payments=st.lists(st.tuples(day, money), max_size=5),
    on=day,
)
def test_balance_accounts_for_every_centime_and_is_never_negative(claim, rate, fees, payments, on):
    balance = balance_of(on=on, claim=claim, rate=rate, interest_from=date(2024, 1, 1), fees=fees, payments=payments)
    assert balance.total >= 0 and balance.surplus >= 0
    assert not (balance.surplus and balance.total)
    assert balance.claim + balance.interest + balance.fees == balance.paid - balance.surplus + balance.total


def test_each_claim_runs_its_own_interest_and_payments_pay_claims_in_order():
    # 1000 at 5% from 01.01 and 500 at 0%; on 01.07.2025 (181 days) interest 24.79.
    # A payment of 1100 on 01.07 pays the interest, then the first claim (1000), then 75.21 of the second.
    balance = compute_balance(
        on=date(2025, 7, 1),
        claims=[ClaimTerms(D("1000.00"), D("5"), date(2025, 1, 1)), ClaimTerms(D("500.00"))],
        payments=[(date(2025, 7, 1), D("1100.00"))],
    )
    assert balance.claim == D("1500.00") and balance.interest == D("24.79")
    assert balance.claim_due == D("424.79") and balance.total == D("424.79")
