"""Money is Decimal CHF with 2 decimals, rounded half up; never float."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
APOSTROPHE = "'"


def chf(value) -> Decimal:
    """Round any number to the centime (ROUND_HALF_UP)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_chf(value) -> str:
    """`CHF 1'234.50`: the Swiss way, apostrophe for thousands."""
    amount = chf(value)
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"CHF {sign}{APOSTROPHE.join(groups)}.{cents}"


def to_centimes(value) -> int:
    """PSP amounts are integer centimes."""
    return int(chf(value) * 100)


def from_centimes(value: int) -> Decimal:
    return chf(Decimal(value) / 100)
