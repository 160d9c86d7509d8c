"""« Quittance de guichet »: the receipt a clerk prints for money received at the counter or by
transfer, for any dossier that takes money. Each domain says what its dossier is, who issues the
receipt and the balance just after the payment (`CounterReceipt`); the document is one template."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .bookkeeping import MoneyReceived
from .pdf import render_pdf


@dataclass(frozen=True)
class CounterReceipt:
    issuer: object  # paiements.issuers.Issuer: the OCP or the Service des contraventions (printed as `office`)
    dossier: str  # « Poursuite n° 12345678 W », « Ordonnance pénale n° … »
    line: MoneyReceived
    balance_after: Decimal  # what is left to pay once this payment is counted
    surplus: Decimal = Decimal("0.00")

    @property
    def clerk(self) -> str:
        user = self.line.created_by
        return (user.get_full_name() or user.get_username()) if user else "—"

    @property
    def title(self) -> str:
        return _("Quittance de guichet n° %(number)s — %(dossier)s") % {"number": self.line.pk, "dossier": self.dossier}

    @property
    def filename(self) -> str:
        return f"quittance-guichet-{self.line.pk}.pdf"


def render_counter_receipt(receipt: CounterReceipt) -> bytes:
    return render_pdf(
        "pdf/counter_receipt.html",
        {
            "office": receipt.issuer,
            "receipt": receipt,
            "line": receipt.line,
            "recorded_at": timezone.localtime(receipt.line.created_at),
        },
    )
