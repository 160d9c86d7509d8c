"""What an order asks for: fine, émoluments, recovery fees, less the payments received."""

from dataclasses import dataclass
from decimal import Decimal

from ocp_portal.money import ZERO, chf

from .constants import TypeFrais


@dataclass(frozen=True)
class Balance:
    fine: Decimal
    emoluments: Decimal
    reminder_fees: Decimal
    notice_fee: Decimal
    paid: Decimal

    @property
    def owed(self) -> Decimal:
        return chf(self.fine + self.emoluments + self.reminder_fees + self.notice_fee)

    @property
    def total(self) -> Decimal:
        """What is left to pay (never below zero)."""
        return max(chf(self.owed - self.paid), ZERO)

    @property
    def surplus(self) -> Decimal:
        return max(chf(self.paid - self.owed), ZERO)


def order_balance(order) -> Balance:
    fees = list(order.fees.all())
    return Balance(
        fine=chf(order.fine),
        emoluments=chf(order.emoluments),
        reminder_fees=sum((fee.amount for fee in fees if fee.kind == TypeFrais.RAPPEL), ZERO),
        notice_fee=sum((fee.amount for fee in fees if fee.kind == TypeFrais.MISE_EN_DEMEURE), ZERO),
        paid=sum((payment.amount for payment in order.payments.all()), ZERO),
    )
