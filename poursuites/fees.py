"""Émoluments of the poursuite (OELP)."""

from decimal import Decimal

# art. 16 al. 1 OELP: fee for the commandement de payer, by claim amount (upper bound, fee).
COMMANDEMENT_FEES = (
    (Decimal("100"), Decimal("7.00")),
    (Decimal("500"), Decimal("20.00")),
    (Decimal("1000"), Decimal("40.00")),
    (Decimal("10000"), Decimal("60.00")),
    (Decimal("100000"), Decimal("90.00")),
    (Decimal("1000000"), Decimal("190.00")),
)
COMMANDEMENT_FEE_ABOVE = Decimal("400.00")
# art. 16 al. 3 OELP: each attempt to notify.
NOTIFICATION_ATTEMPT_FEE = Decimal("7.00")


def commandement_fee(claim: Decimal) -> Decimal:
    for upper, fee in COMMANDEMENT_FEES:
        if claim <= upper:
            return fee
    return COMMANDEMENT_FEE_ABOVE
