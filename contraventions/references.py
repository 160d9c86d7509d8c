"""The 27-digit QR references of penal orders and of their instalments.

Payload: a prefix digit (order or instalment), the 7-digit case number, and for an instalment
its position on 3 digits; `paiements.references` adds the zeros and the check digit.
"""

from paiements.references import qr_reference

from .constants import QR_PREFIX_ECHEANCE, QR_PREFIX_ORDONNANCE


def order_reference(case_number: int) -> str:
    return qr_reference(f"{QR_PREFIX_ORDONNANCE}{case_number:07d}")


def instalment_reference(case_number: int, position: int) -> str:
    return qr_reference(f"{QR_PREFIX_ECHEANCE}{case_number:07d}{position:03d}")
