"""The counter receipt of money received for a penal order, issued by the Service des contraventions."""

from ocp_portal.counter_receipts import CounterReceipt

from .balance import order_balance
from .issuer import service_issuer
from .models import PaymentLine


def counter_receipt(line: PaymentLine) -> CounterReceipt:
    balance = order_balance(line.ordonnance, up_to=line)
    return CounterReceipt(
        issuer=service_issuer(),
        dossier=str(line.ordonnance),
        line=line,
        balance_after=balance.total,
        surplus=balance.surplus,
    )
