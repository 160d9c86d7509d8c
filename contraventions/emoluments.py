"""The Service des contraventions' tariff: émoluments by fine (RTFMP, seed 003), recovery fees
(seed 001 art. 8, seed 003), photo and copies of the report (seed 003)."""

from decimal import Decimal

from ocp_portal.money import chf

# (highest fine of the bracket, émoluments). The seed prints whole francs ("jusqu'à 20",
# "entre 21 et 150"): a fine between two of them (20.50) is above the first bracket's top and
# falls in the next one; "supérieure à CHF 500" confirms the tops are inclusive.
EMOLUMENTS_TABLE = (
    (Decimal("20.00"), Decimal("50.00")),
    (Decimal("150.00"), Decimal("100.00")),
    (Decimal("300.00"), Decimal("150.00")),
    (Decimal("500.00"), Decimal("200.00")),
)
EMOLUMENTS_ABOVE = Decimal("500.00")

REMINDER_FEE = Decimal("20.00")  # rappel individuel ou global (seed 003)
MAX_REMINDERS = 2  # seed 001 art. 8 al. 1 let. a
FORMAL_NOTICE_FEE = Decimal("40.00")  # seed 001 art. 8 al. 1 let. b
PHOTO_FEE = Decimal("80.00")
MIN_MONTHLY_INSTALMENT = Decimal("50.00")
REPORT_PAGE_FEE = Decimal("2.00")  # the first 10 pages
REPORT_PAGE_FEE_AFTER = Decimal("1.00")  # from the 11th page
REPORT_PAGES_AT_FULL_FEE = 10


def emoluments_for(fine: Decimal) -> Decimal:
    """The émoluments a penal order adds to its fine; never reduced (seed 003)."""
    fine = chf(fine)
    if fine <= 0:
        raise ValueError("a fine is positive")
    for top, emoluments in EMOLUMENTS_TABLE:
        if fine <= top:
            return emoluments
    return EMOLUMENTS_ABOVE


def emoluments_rows() -> list[tuple[Decimal | None, Decimal | None, Decimal]]:
    """(from, to, émoluments) rows of the table, for the information page."""
    rows, low = [], None
    for top, emoluments in EMOLUMENTS_TABLE:
        rows.append((low, top, emoluments))
        low = top
    rows.append((low, None, EMOLUMENTS_ABOVE))
    return rows


def report_copy_fee(pages: int) -> Decimal:
    """CHF 2 a page for the first 10 pages, then CHF 1 a page."""
    if pages < 1:
        raise ValueError("at least one page")
    full = min(pages, REPORT_PAGES_AT_FULL_FEE)
    return chf(REPORT_PAGE_FEE * full + REPORT_PAGE_FEE_AFTER * (pages - full))
