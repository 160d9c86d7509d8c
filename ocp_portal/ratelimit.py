"""Per-client rate limits on public lookups, counted in the cache (Redis in production).

When the cache is out of reach, the counters fall back to this process's memory: the limits still
hold (per process, so somewhat looser), and the pages keep answering.
"""

import contextlib
import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
CACHE_ERRORS = (RedisError, OSError)
_fallback = LocMemCache("ratelimit-fallback", {"MAX_ENTRIES": 100_000})
_warned_at = 0.0


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


def _fall_back(error: Exception) -> LocMemCache:
    global _warned_at
    if time.monotonic() - _warned_at > 60:  # once a minute, not once a request
        _warned_at = time.monotonic()
        log.error("rate-limit cache unreachable, counting in this process's memory: %s", error)
    return _fallback


def _count_in(store, key: str, window: int) -> int:
    if store.add(key, 1, timeout=window):
        return 1
    try:
        return store.incr(key)
    except ValueError:  # expired between add() and incr()
        store.set(key, 1, timeout=window)
        return 1


def count(key: str, *, window: int) -> int:
    """Add one to the counter `key` (created for `window` seconds) and return it."""
    try:
        return _count_in(cache, key, window)
    except CACHE_ERRORS as error:
        return _count_in(_fall_back(error), key, window)


def _uncount_in(store, key: str) -> None:
    with contextlib.suppress(ValueError):  # expired meanwhile: nothing to take back
        store.decr(key)


def uncount(key: str) -> None:
    """Take back one that `count` added."""
    try:
        _uncount_in(cache, key)
    except CACHE_ERRORS as error:
        _uncount_in(_fall_back(error), key)


def reserve(limits: dict[str, int], *, window: int) -> bool:
    """Count one attempt against each key first, then decide: True when every counter stays within
    its limit. Otherwise the attempt is taken back and False returned. Counting before deciding
    means that concurrent attempts can never together go past a limit; `uncount` releases a
    reserved attempt that turned out not to count (a right key)."""
    counts = {key: count(key, window=window) for key in limits}
    if all(counts[key] <= limit for key, limit in limits.items()):
        return True
    for key in limits:
        uncount(key)
    return False


def current(key: str) -> int:
    try:
        return cache.get(key) or 0
    except CACHE_ERRORS as error:
        return _fall_back(error).get(key) or 0


def hit(request, scope: str, *, limit: int, window: int) -> bool:
    """Count one attempt; False once the client went over `limit` in the current window."""
    return count(f"ratelimit:{scope}:{client_bucket(request)}", window=window) <= limit


def _refuse(form) -> None:
    message = _("Trop de consultations depuis votre connexion. Réessayez dans %(minutes)s minutes.")
    form.add_error(None, message % {"minutes": settings.LOOKUP_RATE_WINDOW // 60})


def lookup_refused(request, form, scope: str) -> bool:
    """Count one public lookup (LOOKUP_RATE_LIMIT per LOOKUP_RATE_WINDOW); when the client is over
    the limit, put the French message on the form and return True (the view answers 429)."""
    window = settings.LOOKUP_RATE_WINDOW
    if hit(request, scope, limit=settings.LOOKUP_RATE_LIMIT, window=window):
        return False
    _refuse(form)
    return True


def limited_lookup(request, form, scope: str, find, not_found) -> tuple[object | None, int]:
    """A public lookup behind the lookup limits: (what `find(cleaned_data)` found, HTTP status).

    Failed lookups (an invalid form, a wrong key letter, an unknown number) are what enumeration
    needs: they count strictly, LOOKUP_RATE_LIMIT per LOOKUP_RATE_WINDOW, on the counter that
    `lookup_refused` keeps for the same scope. Successful ones (a social worker with many files)
    count against LOOKUP_SUCCESS_RATE_LIMIT and never give failures back. Every lookup first
    reserves a failure, taken back once something is found, so that concurrent guesses cannot
    together pass the strict limit; a client over either limit is refused before anything is
    looked up, so that a refusal tells nothing about the number typed.

    On GET nothing is looked up; over a limit the answer is 429; when `find` returns None,
    `not_found` is put on the form."""
    if request.method != "POST":
        return None, 200
    window, bucket = settings.LOOKUP_RATE_WINDOW, client_bucket(request)
    failures, successes = f"ratelimit:{scope}:{bucket}", f"ratelimit:{scope}:found:{bucket}"
    success_limit = settings.LOOKUP_SUCCESS_RATE_LIMIT
    if current(successes) >= success_limit or not reserve({failures: settings.LOOKUP_RATE_LIMIT}, window=window):
        _refuse(form)
        return None, 429
    if not form.is_valid():
        return None, 200
    found = find(form.cleaned_data)
    if found is None:
        form.add_error(None, not_found)
        return None, 200
    uncount(failures)
    if not reserve({successes: success_limit}, window=window):  # concurrent successes at the limit
        _refuse(form)
        return None, 429
    return found, 200
