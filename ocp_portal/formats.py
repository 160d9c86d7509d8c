"""How the portal writes amounts, dates and QR references, the Swiss way: `CHF 1'234.50`,
`30.11.2026`, `12 34567 89012 34567 89012 34567`."""

from datetime import date

from stdnum.ch import esr

from .money import chf

APOSTROPHE = "'"


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


def format_date(day: date) -> str:
    """`30.11.2026`, whatever the language; the year always in four digits (strftime's %Y writes
    `1` for the year 1 on Linux, where Django's |date:"d.m.Y" wrote `0001`)."""
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def format_qr_reference(reference: str) -> str:
    """`12 34567 89012 34567 89012 34567`: groups of five from the right, as on QR-bills."""
    return esr.format(reference)
