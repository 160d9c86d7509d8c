from django import template

from ocp_portal.formats import format_chf, format_qr_reference

register = template.Library()


@register.filter
def chf(value):
    """Render an amount as `CHF 1'234.50`."""
    if value in (None, ""):
        return ""
    return format_chf(value)


@register.filter
def qr_reference(value):
    """Group a 27-digit QR reference in blocks of five, as printed on QR-bills."""
    return format_qr_reference(value)
