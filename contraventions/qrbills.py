"""QR-bills of the Service des contraventions: its own QR-IBAN and address (settings), the
offender as structured debtor address, the order's or the instalment's QR reference."""

from decimal import Decimal

from django.conf import settings
from qrbill import QRBill
from qrbill.bill import StructuredAddress

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


def debtor_address(party) -> dict | None:
    """The offender as structured debtor; None when the standard refuses the address (an unknown
    country code, say): a QR-bill may leave the debtor blank, the bill must never fail."""
    name = f"{party.first_name} {party.name}".strip()
    address = {
        "name": name[:70],
        "street": " ".join(part for part in (party.street, party.address_extra) if part)[:70],
        "house_num": party.house_number,
        "pcode": party.postal_code,
        "city": party.town,
        "country": party.country,
    }
    try:
        StructuredAddress(**address)
    except ValueError:
        return None
    return address


def order_qr_bill(order, *, amount: Decimal, reference: str | None = None, information: str = "") -> QRBill:
    return build_qr_bill(
        amount=amount,
        reference=reference or order.qr_reference,
        additional_information=information or str(order),
        account=settings.CONTRAVENTIONS["qr_iban"],
        creditor=service_address(),
        debtor=debtor_address(order.offender),
    )
