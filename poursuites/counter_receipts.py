"""The counter receipt of money received for a poursuite or an ADB, issued by the OCP."""

from ocp_portal.counter_receipts import CounterReceipt
from paiements.issuers import office

from .balance import balance_after
from .models import PaymentLine


def counter_receipt(line: PaymentLine) -> CounterReceipt:
    balance = balance_after(line)
    dossier = line.poursuite if line.poursuite_id else line.adb
    return CounterReceipt(
        issuer=office(), dossier=str(dossier), line=line, balance_after=balance.total, surplus=balance.surplus
    )
