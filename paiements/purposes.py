"""What a payment is for. Domain apps register a Purpose in their AppConfig.ready();
paiements never imports them."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


class Purpose:
    """The contract between paiements and a domain app, which subclasses it.

    `code` names the purpose in URLs and the database. Every method receives the payable object
    that `resolve` returned. `on_captured` runs inside the transaction that marks the payment
    captured, with the payment row locked, and must apply the money exactly once (or raise
    NotPayable: the money is then kept and flagged as an incident).
    """

    code: str
    label: str
    issuer: dict | None = None  # the service heading the receipt (like settings.OFFICE, the default)

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


class NotPayable(Exception):
    """Raised by a purpose when its object can no longer take money (withdrawn, already paid...)."""


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


registry = PurposeRegistry()
