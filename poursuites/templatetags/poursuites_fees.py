"""The register's fees for pages outside the app (the home page), from their one definition."""

from django import template

from ..constants import NON_DISCLOSURE_FEE

register = template.Library()


@register.simple_tag
def non_disclosure_fee():
    """The flat fee of a non-divulgation request (art. 12b OELP)."""
    return NON_DISCLOSURE_FEE
