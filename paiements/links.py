"""Signed links that open the card payment page for a purpose's object.

The link is signed so that the payment page, which shows the amount due, cannot be used to
look up references the rate-limited lookup was meant to protect.
"""

from django.core import signing
from django.urls import reverse

SALT = "paiements.checkout"
MAX_AGE = 2 * 3600


def checkout_path(purpose_code: str, reference: str) -> str:
    token = signing.dumps({"p": purpose_code, "r": reference}, salt=SALT, compress=True)
    return reverse("paiements:start", args=[token])


def read_token(token: str) -> tuple[str, str] | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        return data["p"], data["r"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
