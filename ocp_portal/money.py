"""Money is Decimal CHF with 2 decimals, rounded half up; never float."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def chf(value) -> Decimal:
    """Round any number to the centime (ROUND_HALF_UP)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def to_centimes(value) -> int:
    """PSP amounts are integer centimes."""
    return int(chf(value) * 100)


def from_centimes(value: int) -> Decimal:
    return chf(Decimal(value) / 100)
