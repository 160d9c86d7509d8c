"""Swiss QR-bills (type S addresses, QR reference) to an issuer's QR-IBAN, via `qrbill`."""

from decimal import Decimal

from qrbill import QRBill

from .issuers import Issuer, office

# The largest amount a Swiss QR-bill can carry.
MAX_AMOUNT = Decimal("999999999.99")


def build_qr_bill(
    *, amount: Decimal | None, reference: str, additional_information: str = "", issuer: Issuer | None = None
) -> QRBill:
    """A QR-bill to the issuer's QR-IBAN (the office's unless another is named). It names no debtor:
    the bills are served to whoever holds the reference, and the payer writes their name by hand."""
    issuer = issuer or office()
    return QRBill(
        account=issuer.qr_iban,
        creditor=issuer.qr_creditor(),
        amount=f"{amount:.2f}" if amount else None,
        reference_number=reference,
        additional_information=additional_information,
        language="fr",
    )
