"""What a payment is for. A domain app offers its purposes in `<app>.payment_purposes.PURPOSES`;
paiements registers them when it is ready (apps.py) and never imports a domain app by name."""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ocp_portal.dates import today
from ocp_portal.money import ZERO

from .issuers import Issuer, office


class Purpose:
    """The contract between paiements and a domain app, which subclasses it.

    `code` names the purpose in URLs and the database. Every method receives the payable object
    that `resolve` returned. `on_captured` runs inside the transaction that marks the payment
    captured, with the payment row locked, and must apply the money exactly once (or raise
    NotPayable: the money is then kept and flagged as an incident).
    """

    code: str
    label: str
    fee: bool = False  # a fee paid in one go (an extract, a request), not a debt with a balance

    @property
    def issuer(self) -> Issuer:
        """Who takes the money: its name, contacts, sender and conditions of payment (the OCP's by default)."""
        return office()

    def resolve(self, reference: str, *, for_update: bool = False) -> Any | None:
        raise NotImplementedError

    def amount_due(self, obj, on: date) -> Decimal:
        raise NotImplementedError

    def on_captured(self, obj, payment) -> "CaptureOutcome":
        raise NotImplementedError

    def allows_instalments(self, obj) -> bool:
        return False

    def describe(self, obj) -> str:
        return str(obj)

    def follow_up(self, obj) -> tuple[str, str] | None:
        """Where the payer goes once the payment is captured: (link text, URL), or None."""
        return None

    def back_link(self, obj) -> tuple[str, str] | None:
        """The public page the payer found `obj` on, offered once the payment is captured:
        (link text, URL), or None."""
        return None

    def paid_for(self, payment) -> str:
        """What the payment paid, as its receipt says it: a fee, the balance, or an instalment."""
        if self.fee:
            return _("Émolument : %(label)s") % {"label": payment.label}
        if payment.is_instalment:
            return _("Acompte sur : %(label)s") % {"label": payment.label}
        return _("Solde de : %(label)s") % {"label": payment.label}

    def receipt_notes(self, payment) -> tuple[str, ...]:
        """Sentences the receipt adds for what was paid (none by default)."""
        return ()

    def qr_bill(self, obj, on: date) -> "QrBillContent | None":
        """What the QR-bill of `obj` for a payment on `on` carries, or None when it has none (a fee, a
        dossier that takes no money, an amount beyond a QR-bill's)."""
        return None


class DebtPurpose(Purpose):
    """A dossier with a balance (a poursuite, an ADB, a penal order): its QR-bill is for the balance
    its public lookup gives, the card payment is recorded by the domain's own law, and the receipt
    gives the balance that remains."""

    bill_summary_template = ""  # the QR-bill's page above the payment part; it reads `result`

    def looked_up(self, obj, on: date):
        """The public lookup's result for `obj` on `on` (balance, fits_a_qr_bill), or None."""
        raise NotImplementedError

    def bill_filename(self, obj) -> str:
        raise NotImplementedError

    def qr_bill(self, obj, on: date) -> "QrBillContent | None":
        result = self.looked_up(obj, on)
        if result is None or not result.fits_a_qr_bill:
            return None
        return QrBillContent(
            amount=result.balance.total,
            reference=obj.qr_reference,
            additional_information=str(obj),
            title=str(obj),
            filename=self.bill_filename(obj),
            summary_template=self.bill_summary_template,
            summary_context={"result": result},
        )

    def record_card_payment(self, obj, payment, on: date) -> None:
        """Record the captured money on `obj` (a surplus included); raise NotPayable if the law refuses."""
        raise NotImplementedError

    def on_captured(self, obj, payment) -> "CaptureOutcome":
        on = today()
        due = self.amount_due(obj, on)
        self.record_card_payment(obj, payment, on)
        after = self.amount_due(type(obj).objects.get(pk=obj.pk), on)
        return CaptureOutcome(
            applied=min(payment.amount, due), surplus=max(payment.amount - due, ZERO), new_balance=after
        )


class NotPayable(Exception):
    """Raised by a purpose when its object can no longer take money (withdrawn, already paid...)."""


@dataclass(frozen=True)
class QrBillContent:
    """A QR-bill as its purpose fills it; paiements adds the issuer's account and address."""

    amount: Decimal
    reference: str
    additional_information: str
    title: str  # the document's heading
    filename: str
    summary_template: str  # what the page says above the payment part
    summary_context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CaptureOutcome:
    applied: Decimal
    surplus: Decimal = Decimal("0.00")
    new_balance: Decimal | None = None


class PurposeRegistry:
    def __init__(self):
        self._purposes: dict[str, Purpose] = {}

    def register(self, purpose: Purpose) -> Purpose:
        if purpose.code in self._purposes:
            raise ValueError(f"payment purpose {purpose.code!r} is already registered")
        self._purposes[purpose.code] = purpose
        return purpose

    def get(self, code: str) -> Purpose | None:
        return self._purposes.get(code)

    def __getitem__(self, code: str) -> Purpose:
        return self._purposes[code]

    def choices(self) -> list[tuple[str, str]]:
        return [(code, str(purpose.label)) for code, purpose in sorted(self._purposes.items())]

    @contextmanager
    def swapped(self, *purposes: Purpose):
        """Only `purposes` are registered inside the block (tests of paiements on its own)."""
        kept, self._purposes = self._purposes, {}
        try:
            for purpose in purposes:
                self.register(purpose)
            yield self
        finally:
            self._purposes = kept


registry = PurposeRegistry()
