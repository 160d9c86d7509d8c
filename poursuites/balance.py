"""The balance of a poursuite or an ADB on a given payment date.

Claim + interest + fees − payments. Each payment pays the fees first, then the interest, then
the claim (art. 85 CO); interest then runs on what is left of the claim. The balance is never
negative: money beyond what is due is shown as a surplus.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ocp_portal.money import ZERO, chf

DAYS_IN_YEAR = 365


def interest_between(principal: Decimal, rate: Decimal, start: date, end: date) -> Decimal:
    """Simple interest on `principal` at `rate` % a year from `start` to `end` (actual/365).

    The office's day count lives here and only here.
    """
    if end <= start or not rate or principal <= 0:
        return ZERO
    return chf(principal * Decimal(rate) / 100 * (end - start).days / DAYS_IN_YEAR)


@dataclass(frozen=True)
class Balance:
    on: date
    claim: Decimal
    interest: Decimal
    fees: Decimal
    paid: Decimal
    claim_due: Decimal
    interest_due: Decimal
    fees_due: Decimal
    surplus: Decimal

    @property
    def total(self) -> Decimal:
        return self.claim_due + self.interest_due + self.fees_due

    @property
    def is_settled(self) -> bool:
        return self.total == ZERO


def compute_balance(
    *,
    on: date,
    claim: Decimal,
    rate: Decimal = ZERO,
    interest_from: date | None = None,
    interest_until: date | None = None,
    fees: list[tuple[date, Decimal]] = (),
    payments: list[tuple[date, Decimal]] = (),
) -> Balance:
    """Walk fees and payments in date order up to `on`, accruing interest between them."""
    stop = min(on, interest_until) if interest_until else on
    principal, interest_due, fees_due, credit = claim, ZERO, ZERO, ZERO
    interest_total = fees_total = paid_total = ZERO
    accrued_until = interest_from

    def accrue(until: date):
        nonlocal interest_due, interest_total, accrued_until
        if accrued_until is None:
            return
        end = min(until, stop)
        if end > accrued_until:
            amount = interest_between(principal, rate, accrued_until, end)
            interest_due += amount
            interest_total += amount
            accrued_until = end

    def settle():
        nonlocal credit, fees_due, interest_due, principal
        for_fees = min(credit, fees_due)
        fees_due -= for_fees
        credit -= for_fees
        for_interest = min(credit, interest_due)
        interest_due -= for_interest
        credit -= for_interest
        for_claim = min(credit, principal)
        principal -= for_claim
        credit -= for_claim

    # On the same day a fee is owed before a payment can pay it.
    items = sorted([(day, 0, amount) for day, amount in fees] + [(day, 1, amount) for day, amount in payments])
    for day, is_payment, amount in items:
        if day > on:
            continue
        accrue(day)
        if is_payment:
            credit += amount
            paid_total += amount
        else:
            fees_due += amount
            fees_total += amount
        settle()
    accrue(on)
    settle()
    return Balance(
        on=on,
        claim=claim,
        interest=interest_total,
        fees=fees_total,
        paid=paid_total,
        claim_due=principal,
        interest_due=interest_due,
        fees_due=fees_due,
        surplus=credit,
    )


def poursuite_balance(poursuite, on: date) -> Balance:
    """Interest stops when an ADB is issued (art. 149 al. 4 LP). Uses prefetched lines if any."""
    adb_dates = [adb.issued_on for adb in poursuite.actes_defaut_biens.all()]
    return compute_balance(
        on=on,
        claim=poursuite.claim_amount,
        rate=poursuite.interest_rate,
        interest_from=poursuite.interest_from,
        interest_until=min(adb_dates) if adb_dates else None,
        fees=[(fee.date, fee.amount) for fee in poursuite.fees.all()],
        payments=[(line.date, line.amount) for line in poursuite.payments.all()],
    )


def adb_balance(adb, on: date) -> Balance:
    """No interest runs on an ADB once issued (art. 149 al. 4 LP)."""
    return compute_balance(
        on=on,
        claim=adb.amount,
        payments=[(line.date, line.amount) for line in adb.payments.all()],
    )
