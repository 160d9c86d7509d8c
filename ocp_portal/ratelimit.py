"""Per-client rate limits on public lookups, counted in the cache (Redis in production)."""

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address, trusting only the configured number of reverse proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def hit(request, scope: str, *, limit: int, window: int) -> bool:
    """Count one attempt; False once the client went over `limit` in the current window."""
    key = f"ratelimit:{scope}:{client_ip(request)}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        return True
    return count <= limit
