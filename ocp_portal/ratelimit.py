"""Per-client rate limits on public lookups, counted in the cache (Redis in production)."""

import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _


def client_ip(request) -> str:
    """The client's address, trusting only the configured number of reverse proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_bucket(request) -> str:
    """The client for counting: its IPv4 address, or its IPv6 /64 (one subscriber holds a whole /64)."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


def count(key: str, *, window: int) -> int:
    """Add one to the counter `key` (created for `window` seconds) and return it."""
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        return 1


def current(key: str) -> int:
    return cache.get(key) or 0


def hit(request, scope: str, *, limit: int, window: int) -> bool:
    """Count one attempt; False once the client went over `limit` in the current window."""
    return count(f"ratelimit:{scope}:{client_bucket(request)}", window=window) <= limit


def lookup_refused(request, form, scope: str) -> bool:
    """Count one public lookup (LOOKUP_RATE_LIMIT per LOOKUP_RATE_WINDOW); when the client is over
    the limit, put the French message on the form and return True (the view answers 429)."""
    window = settings.LOOKUP_RATE_WINDOW
    if hit(request, scope, limit=settings.LOOKUP_RATE_LIMIT, window=window):
        return False
    message = _("Trop de consultations depuis votre connexion. Réessayez dans %(minutes)s minutes.")
    form.add_error(None, message % {"minutes": window // 60})
    return True
