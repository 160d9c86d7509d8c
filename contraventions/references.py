"""The 27-digit QR references of penal orders and of their instalments.

Payload: a prefix digit (order or instalment), the 7-digit case number, and for an instalment
its position on 3 digits; `paiements.references` adds the zeros and the check digit.
"""

import secrets

from paiements.references import qr_reference

from .constants import QR_PREFIX_ECHEANCE, QR_PREFIX_ORDONNANCE


def order_reference(case_number: int) -> str:
    return qr_reference(f"{QR_PREFIX_ORDONNANCE}{case_number:07d}")


def instalment_reference(case_number: int, position: int) -> str:
    return qr_reference(f"{QR_PREFIX_ECHEANCE}{case_number:07d}{position:03d}")


# No 0/O, 1/I/L: read aloud on the phone or typed from an e-mail without confusion.
REQUEST_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REQUEST_PREFIX = "AP-"


def _request_reference(code: str) -> str:
    return f"{REQUEST_PREFIX}{code[:4]}-{code[4:]}"


def new_request_reference() -> str:
    """`AP-7K3M-9QXD`: the public reference of an arrangement request, 8 random characters."""
    return _request_reference("".join(secrets.choice(REQUEST_ALPHABET) for _ in range(8)))


def parse_request_reference(value: str) -> str | None:
    """A typed request reference, any case, spaces and dashes tolerated; None if it cannot be one."""
    compact = "".join(char for char in value.upper() if char.isalnum())
    if len(compact) == 10:  # typed with its prefix
        compact = compact.removeprefix(REQUEST_PREFIX[:-1])
    if len(compact) != 8 or any(char not in REQUEST_ALPHABET for char in compact):
        return None
    return _request_reference(compact)
