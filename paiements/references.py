"""27-digit QR references (QRR): 26 digits and the mod-10 recursive check digit."""

import re

from stdnum.ch import esr

from ocp_portal.formats import format_qr_reference as format_qr_reference  # re-exported


def qr_reference(digits: str) -> str:
    """Build a QR reference from up to 26 digits (left-padded with zeros)."""
    if not digits.isdigit() or len(digits) > 26:
        raise ValueError("a QR reference carries at most 26 digits")
    body = digits.rjust(26, "0")
    return body + esr.calc_check_digit(body)


def parse_qr_reference(text: str) -> str | None:
    """The 27 digits of a typed reference (spaces tolerated), or None if invalid."""
    digits = re.sub(r"\s", "", text or "")
    if len(digits) != 27 or not digits.isdigit() or not esr.is_valid(digits):
        return None
    return digits
