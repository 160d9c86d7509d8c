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


def order_balance(order, *, up_to=None) -> Balance:
    """With `up_to` (a payment line), the balance just after that payment was recorded: the payments
    recorded up to it, the fees charged up to its date (a counter receipt's new balance)."""
    fees = [fee for fee in order.fees.all() if up_to is None or fee.date <= up_to.date]
    payments = [line for line in order.payments.all() if up_to is None or line.pk <= up_to.pk]
    return Balance(
        fine=chf(order.fine),
        emoluments=chf(order.emoluments),
        reminder_fees=sum((fee.amount for fee in fees if fee.kind == TypeFrais.RAPPEL), ZERO),
        notice_fee=sum((fee.amount for fee in fees if fee.kind == TypeFrais.MISE_EN_DEMEURE), ZERO),
        paid=sum((payment.amount for payment in payments), ZERO),
    )
