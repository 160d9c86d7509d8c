"""Signed links that open the card payment page for a purpose's object.

The link is signed so that the payment page, which shows the amount due, cannot be used to
look up references the rate-limited lookup was meant to protect.
"""

from django.urls import reverse

from ocp_portal import signed_links


def checkout_path(purpose_code: str, reference: str) -> str:
    return reverse("paiements:start", args=[signed_links.sign("checkout", {"p": purpose_code, "r": reference})])


def read_token(token: str) -> tuple[str, str] | None:
    data = signed_links.unsign("checkout", token)
    try:
        return data["p"], data["r"]
    except (KeyError, TypeError):
        return None
