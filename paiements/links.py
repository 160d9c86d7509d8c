"""Signed links that open the card payment page or the QR-bill of a purpose's object.

The links are signed so that these pages, which show the amount due, cannot be used to look up
references the rate-limited lookup was meant to protect.
"""

from datetime import date

from django.urls import reverse

from ocp_portal import signed_links


def checkout_path(purpose_code: str, reference: str) -> str:
    return reverse("paiements:start", args=[signed_links.sign("checkout", {"p": purpose_code, "r": reference})])


def qr_bill_token(purpose_code: str, reference: str, on: date) -> str:
    """The token of the QR-bill links (PDF and SVG) of a purpose's object, for a payment on `on`."""
    return signed_links.sign("qr-bill", {"p": purpose_code, "r": reference, "d": on.isoformat()})


def read_qr_bill_token(token: str) -> tuple[str, str, date] | None:
    data = signed_links.unsign("qr-bill", token)
    try:
        return data["p"], data["r"], date.fromisoformat(data["d"])
    except (KeyError, TypeError, ValueError):
        return None


def read_token(token: str) -> tuple[str, str] | None:
    data = signed_links.unsign("checkout", token)
    try:
        return data["p"], data["r"]
    except (KeyError, TypeError):
        return None
