"""Swiss QR-bills (type S addresses, QR reference) to the office's QR-IBAN, via `qrbill`."""

import base64
import io
from decimal import Decimal

from django.conf import settings
from qrbill import QRBill

# The largest amount a Swiss QR-bill can carry.
MAX_AMOUNT = Decimal("999999999.99")


def office_creditor() -> dict:
    office = settings.OFFICE
    return {
        "name": office["name"],
        "street": office["street"],
        "house_num": office["house_number"],
        "pcode": office["postal_code"],
        "city": office["town"],
        "country": office["country"],
    }


def build_qr_bill(
    *,
    amount: Decimal | None,
    reference: str,
    additional_information: str = "",
    account: str | None = None,
    creditor: dict | None = None,
    debtor: dict | None = None,
) -> QRBill:
    """A QR-bill to the office's QR-IBAN, unless another service passes its own `account` and
    `creditor` (a structured address dict as `office_creditor()` returns); `debtor` likewise."""
    return QRBill(
        account=account or settings.OFFICE_QR_IBAN,
        creditor=creditor or office_creditor(),
        debtor=debtor,
        amount=f"{amount:.2f}" if amount else None,
        reference_number=reference,
        additional_information=additional_information,
        language="fr",
    )


def qr_bill_svg(bill: QRBill) -> str:
    """The payment part and receipt (210 x 105 mm) as an SVG document."""
    buffer = io.StringIO()
    bill.as_svg(buffer)
    return buffer.getvalue()


def qr_bill_data_uri(bill: QRBill) -> str:
    """The SVG as a data: URI, to embed in PDF templates."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_bill_svg(bill).encode()).decode()
