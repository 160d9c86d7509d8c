"""Checks of settings Django does not know about: most for deployment (`manage.py check --deploy`)."""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def portal_url_is_public(app_configs, **kwargs):
    """PORTAL_URL is printed in the QR code of every issued extract, which never changes: it must be
    the public HTTPS address before the first extract is issued."""
    url = urlsplit(settings.PORTAL_URL)
    if url.scheme == "https" and url.hostname not in ("localhost", "127.0.0.1", "::1", None):
        return []
    return [
        Warning(
            f"PORTAL_URL is {settings.PORTAL_URL!r}: set it to the portal's public https address.",
            hint="It goes into e-mailed links and into the QR code printed on every extract.",
            id="ocp.W001",
        )
    ]


@register(Tags.security, deploy=True)
def sandbox_psp_is_off(app_configs, **kwargs):
    """The sandbox takes test cards: with DEBUG off it would let anyone pay with a made-up card. Without
    it and without Stripe, no card payment can be taken at all."""
    if settings.DEBUG:
        return []
    if settings.SANDBOX_PSP_ENABLED:
        return [
            Error(
                "The sandbox PSP is enabled with DEBUG off: test cards would pay real debts and fees.",
                hint="Unset SANDBOX_PSP_ENABLED and set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.",
                id="ocp.E002",
            )
        ]
    if settings.PAYMENT_GATEWAY == "sandbox":
        return [
            Warning(
                "No card payment gateway: STRIPE_SECRET_KEY is not set, and the sandbox is off with DEBUG off.",
                hint="Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET; until then every card payment page answers 503.",
                id="ocp.W004",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def stripe_has_a_webhook_secret(app_configs, **kwargs):
    """Without the webhook secret every Stripe notification is refused, and payments whose payer never
    came back wait for the reconciliation."""
    if not settings.STRIPE_SECRET_KEY or settings.STRIPE_WEBHOOK_SECRET:
        return []
    return [
        Warning(
            "STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: Stripe's notifications are refused.",
            hint="Copy the signing secret of the endpoint /paiements/notifications/stripe/ from Stripe.",
            id="ocp.W003",
        )
    ]


@register(Tags.security, deploy=True)
def seal_is_the_offices(app_configs, **kwargs):
    """Without a seal key of its own, the portal seals with a demo key it made under var/: every
    extract and receipt would be « sealed by someone else » for any reader but this portal."""
    if settings.SEAL_SIGNER != "ocp_portal.seal.pkcs12_signer":
        return []  # another signer (an HSM, a remote service) brings its own key
    if not settings.SEAL_PKCS12_PATH:
        return [
            Warning(
                "SEAL_PKCS12_PATH is not set: extracts and receipts are sealed with a demo key.",
                hint="Set SEAL_PKCS12_PATH and SEAL_PKCS12_PASSPHRASE to the office's seal (PKCS#12).",
                id="ocp.W005",
            )
        ]
    if not Path(settings.SEAL_PKCS12_PATH).is_file():
        return [
            Error(
                f"SEAL_PKCS12_PATH names no file: {settings.SEAL_PKCS12_PATH}.",
                hint="No extract could be issued and no receipt sent until the seal can be read.",
                id="ocp.E006",
            )
        ]
    return []


@register(Tags.caches)
def page_chrome_has_its_cache(app_configs, **kwargs):
    """base.html keeps what every page of a service shares in the "chrome" cache: without it, every
    page fails to render."""
    if "chrome" in settings.CACHES:
        return []
    return [
        Error(
            'CACHES has no "chrome" alias: base.html renders the pages\' header and footer through it.',
            hint='Keep settings.py\'s "chrome" entry (a LocMemCache) beside any "default" you set.',
            id="ocp.E007",
        )
    ]
