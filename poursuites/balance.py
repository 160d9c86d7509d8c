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


@dataclass
class ClaimTerms:
    """One claim of a poursuite for the walk: what is left of it and since when interest runs."""

    amount: Decimal
    rate: Decimal | None = None
    since: date | None = None


def compute_balance(
    *,
    on: date,
    claims: list[ClaimTerms],
    interest_until: date | None = None,
    fees: list[tuple[date, Decimal]] = (),
    payments: list[tuple[date, Decimal]] = (),
) -> Balance:
    """Walk fees and payments in date order up to `on`, accruing each claim's interest between them.

    A payment pays the fees, then the interest, then the claims in their order.
    """
    stop = min(on, interest_until) if interest_until else on
    original = sum((c.amount for c in claims), ZERO)
    claims = [ClaimTerms(c.amount, c.rate, c.since) for c in claims]  # walked copies
    interest_due, fees_due, credit = ZERO, ZERO, ZERO
    interest_total = fees_total = paid_total = ZERO

    def accrue(until: date):
        nonlocal interest_due, interest_total
        end = min(until, stop)
        for claim in claims:
            if claim.since is not None and end > claim.since:
                amount = interest_between(claim.amount, claim.rate, claim.since, end)
                interest_due += amount
                interest_total += amount
                claim.since = end

    def settle():
        nonlocal credit, fees_due, interest_due
        for_fees = min(credit, fees_due)
        fees_due -= for_fees
        credit -= for_fees
        for_interest = min(credit, interest_due)
        interest_due -= for_interest
        credit -= for_interest
        for claim in claims:
            for_claim = min(credit, claim.amount)
            claim.amount -= for_claim
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
        claim=original,
        interest=interest_total,
        fees=fees_total,
        paid=paid_total,
        claim_due=sum((c.amount for c in claims), ZERO),
        interest_due=interest_due,
        fees_due=fees_due,
        surplus=credit,
    )


def _payments(dossier, up_to) -> list[tuple[date, Decimal]]:
    """The dossier's payments, or only those recorded up to the line `up_to` (a counter receipt's new balance)."""
    return [(line.date, line.amount) for line in dossier.payments.all() if up_to is None or line.pk <= up_to.pk]


def poursuite_balance(poursuite, on: date, *, up_to=None) -> Balance:
    """Interest stops when an ADB is issued (art. 149 al. 4 LP). Uses prefetched lines if any.

    With `up_to` (a payment line), only the payments recorded up to that one count."""
    adb_dates = [adb.issued_on for adb in poursuite.actes_defaut_biens.all()]
    return compute_balance(
        on=on,
        claims=[ClaimTerms(c.amount, c.interest_rate, c.interest_from) for c in poursuite.claims.all()],
        interest_until=min(adb_dates) if adb_dates else None,
        fees=[(fee.date, fee.amount) for fee in poursuite.fees.all()],
        payments=_payments(poursuite, up_to),
    )


def adb_balance(adb, on: date, *, up_to=None) -> Balance:
    """No interest runs on an ADB once issued (art. 149 al. 4 LP)."""
    return compute_balance(on=on, claims=[ClaimTerms(adb.amount)], payments=_payments(adb, up_to))


def balance_after(line) -> Balance:
    """The balance of a payment line's poursuite or ADB on its date, just after it was recorded."""
    dossier = line.poursuite if line.poursuite_id else line.adb
    compute = poursuite_balance if line.poursuite_id else adb_balance
    return compute(dossier, line.date, up_to=line)
