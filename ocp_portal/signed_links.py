"""One way to sign a link: each kind of link has its salt and its lifetime, in one table.

A token is a django.core.signing value (compressed, timestamped); `unsign` gives the value back, or
None for a forged, expired or foreign one, so that every view answers those with a 404.
"""

from dataclasses import dataclass
from typing import Any

from django.core import signing


@dataclass(frozen=True)
class LinkKind:
    salt: str
    max_age: int  # seconds


KINDS = {
    "checkout": LinkKind("paiements.checkout", 2 * 3600),  # the card payment page of an object
    "qr-bill": LinkKind("paiements.qr-bill", 3600),  # the QR-bill of a looked-up balance, any purpose
    "arrangement-schedule": LinkKind("contraventions.schedule", 3600),  # an arrangement's schedule
    # The status page of an arrangement request, e-mailed to the requester (then by its references).
    "arrangement-status": LinkKind("contraventions.arrangement-status", 365 * 86400),
    "verified-extract": LinkKind("extraits.verified", 600),  # the PDF shown to a verifier (prints the key)
}


def sign(kind: str, value: Any) -> str:
    return signing.dumps(value, salt=KINDS[kind].salt, compress=True)


def unsign(kind: str, token: str) -> Any | None:
    link = KINDS[kind]
    try:
        return signing.loads(token, salt=link.salt, max_age=link.max_age)
    except signing.BadSignature:  # forged, expired, or signed for another kind
        return None
