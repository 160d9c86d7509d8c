"""The daily totals of captured card payments, to match with the PSP's payouts.

One row per day (Europe/Zurich), purpose and gateway; a total per day and a grand total. The CSV
is what the office imports in its spreadsheet: UTF-8 with a BOM (Excel reads the accents),
semicolon-separated, amounts with a dot decimal, and no cell that a spreadsheet would take for a
formula.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from .constants import PaymentState
from .models import Payment
from .purposes import registry

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class TotalRow:
    day: date
    purpose: str
    purpose_label: str
    gateway: str
    count: int
    total: Decimal


@dataclass
class DayTotals:
    day: date
    rows: list[TotalRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(row.count for row in self.rows)

    @property
    def total(self) -> Decimal:
        return sum((row.total for row in self.rows), Decimal("0.00"))


@dataclass(frozen=True)
class Totals:
    days: list[DayTotals]

    @property
    def rows(self) -> list[TotalRow]:
        return [row for day in self.days for row in day.rows]

    @property
    def count(self) -> int:
        return sum(day.count for day in self.days)

    @property
    def total(self) -> Decimal:
        return sum((day.total for day in self.days), Decimal("0.00"))


def purpose_label(code: str) -> str:
    purpose = registry.get(code)
    return str(purpose.label) if purpose else code


def daily_totals(*, start: date, end: date) -> Totals:
    """Captured payments from `start` to `end` (both included, local days), newest day first."""
    rows = (
        Payment.objects.filter(
            state=PaymentState.CAPTURED,
            captured_at__gte=timezone.make_aware(datetime.combine(start, time.min)),
            captured_at__lt=timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
        )
        .annotate(day=TruncDate("captured_at"))
        .values("day", "purpose", "gateway")
        .annotate(total=Sum("amount"), count=Count("id"))
        .order_by("-day", "purpose", "gateway")
    )
    days: dict[date, DayTotals] = {}
    for row in rows:
        days.setdefault(row["day"], DayTotals(row["day"])).rows.append(
            TotalRow(
                row["day"], row["purpose"], purpose_label(row["purpose"]), row["gateway"], row["count"], row["total"]
            )
        )
    return Totals(list(days.values()))


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP CSV injection)."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(totals: Totals) -> str:
    """The totals as CSV text (the BOM first)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("date"), _("objet (code)"), _("objet"), _("prestataire"), _("paiements"), _("total CHF")])
    lines: Iterable[list] = (
        [row.day.isoformat(), row.purpose, row.purpose_label, row.gateway, row.count, f"{row.total:.2f}"]
        for row in totals.rows
    )
    for line in lines:
        writer.writerow([safe_cell(cell) for cell in line])
    return out.getvalue()
