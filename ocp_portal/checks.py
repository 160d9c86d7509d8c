"""Deployment checks (`manage.py check --deploy`) for settings Django does not know about."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def portal_url_is_public(app_configs, **kwargs):
    """PORTAL_URL is printed in the QR code of every issued extract, which never changes: it must be
    the public HTTPS address before the first extract is issued."""
    url = urlsplit(settings.PORTAL_URL)
    if url.scheme == "https" and url.hostname not in ("localhost", "127.0.0.1", "::1"):
        return []
    return [
        Warning(
            f"PORTAL_URL is {settings.PORTAL_URL!r}: set it to the portal's public https address.",
            hint="It goes into e-mailed links and into the QR code printed on every extract.",
            id="ocp.W001",
        )
    ]
