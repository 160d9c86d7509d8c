"""QR-bills of the Service des contraventions: its own QR-IBAN and address (settings), the
offender as structured debtor address, the order's or the instalment's QR reference."""

from decimal import Decimal

from django.conf import settings
from qrbill import QRBill

from paiements.qrbill import build_qr_bill


def service_address() -> dict:
    """The service's structured (type S) address, as the creditor of its QR-bills."""
    service = settings.CONTRAVENTIONS
    return {
        "name": service["creditor_name"],
        "street": service["street"],
        "house_num": service["house_number"],
        "pcode": service["postal_code"],
        "city": service["town"],
        "country": service["country"],
    }


def order_qr_bill(order, *, amount: Decimal, reference: str | None = None, information: str = "") -> QRBill:
    return build_qr_bill(
        amount=amount,
        reference=reference or order.qr_reference,
        additional_information=information or str(order),
        account=settings.CONTRAVENTIONS["qr_iban"],
        creditor=service_address(),
    )
