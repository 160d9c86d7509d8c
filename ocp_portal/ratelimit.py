"""Per-client rate limits on public lookups, counted in the cache (Redis in production).

When the cache is out of reach, the counters fall back to this process's memory: the limits still
hold (per process, so somewhat looser), and the pages keep answering.

On Redis every operation below is one small Lua script: one round trip, and atomic. Through the
cache API a successful balance lookup took 9 round trips to Redis (GET; SET NX, or EXISTS + INCR once
the counter exists; EXISTS + DECR; the same SET NX or EXISTS + INCR again): 0.9 ms CPU and 1.1 ms
wall of a request that should cost 2-3 ms. It now takes one round trip before the lookup and one
after a success (0.14 ms CPU, 0.19 ms wall; a failure or a refusal: one, 0.08 ms). A Redis client is
also made once per cache instead of once a call (about 60 us each). Other backends (locmem, the
embedded default) and the fallback go through the cache API and count the same.
"""

import contextlib
import functools
import ipaddress
import logging
import time
import weakref

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.shortcuts import render
from django.utils.translation import gettext as _
from redis.commands.core import Script
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
CACHE_ERRORS = (RedisError, OSError)
_fallback = LocMemCache("ratelimit-fallback", {"MAX_ENTRIES": 100_000})
_warned_at = 0.0
_clients = weakref.WeakKeyDictionary()  # one client per RedisCache (Django makes one a call)

# INCR creates a missing counter at 1: that is the moment to give it its window.
_COUNT = Script(
    None,
    b"""local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n""",
)
_UNCOUNT = Script(
    None,
    b"""for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then redis.call('DECR', key) end
end""",
)
# KEYS: the counters to release, those checked, those reserved. ARGV: the window, how many are
# released, how many checked, then the limit of each checked and each reserved counter in turn.
_RESERVE = Script(
    None,
    b"""local window, released, checked = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local function limit(i) return tonumber(ARGV[3 + i - released]) end
for i = 1, released do
  if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('DECR', KEYS[i]) end
end
for i = released + 1, released + checked do
  if (tonumber(redis.call('GET', KEYS[i])) or 0) >= limit(i) then return 0 end
end
local over = false
for i = released + checked + 1, #KEYS do
  local n = redis.call('INCR', KEYS[i])
  if n == 1 then redis.call('EXPIRE', KEYS[i], window) end
  if n > limit(i) then over = true end
end
if over then
  for i = released + checked + 1, #KEYS do redis.call('DECR', KEYS[i]) end
  return 0
end
return 1""",
)


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


def _run(script: Script, keys: list[str], args: list, plain):
    """`script` on Redis in one round trip, with the cache's key prefix and version; `plain(store)`
    through the cache API on any other backend, and on this process's memory when the cache fails."""
    store = caches["default"]
    try:
        if not isinstance(store, RedisCache):
            return plain(store)
        if (client := _clients.get(store)) is None:
            client = _clients[store] = store._cache.get_client(None, write=True)
        return script(keys=[store.make_and_validate_key(key) for key in keys], args=args, client=client)
    except CACHE_ERRORS as error:
        return plain(_fall_back(error))


def _count_in(store, key: str, window: int) -> int:
    if store.add(key, 1, timeout=window):
        return 1
    try:
        return store.incr(key)
    except ValueError:  # expired between add() and incr()
        store.set(key, 1, timeout=window)
        return 1


def _uncount_in(store, keys) -> None:
    for key in keys:
        with contextlib.suppress(ValueError):  # expired meanwhile: nothing to take back
            store.decr(key)


def count(key: str, *, window: int) -> int:
    """Add one to the counter `key` (created for `window` seconds) and return it."""
    return _run(_COUNT, [key], [window], lambda store: _count_in(store, key, window))


def uncount(*keys: str) -> None:
    """Take back one that `count` added, on each key."""
    if keys:
        _run(_UNCOUNT, list(keys), [], lambda store: _uncount_in(store, keys))


def _reserve_in(store, limits, window, release, unless_full) -> bool:
    _uncount_in(store, release)
    if any((store.get(key) or 0) >= limit for key, limit in unless_full.items()):
        return False
    counts = {key: _count_in(store, key, window) for key in limits}
    if all(counts[key] <= limit for key, limit in limits.items()):
        return True
    _uncount_in(store, limits)
    return False


def reserve(limits: dict[str, int], *, window: int, release=(), unless_full=None) -> bool:
    """Count one attempt against each key first, then decide: True when every counter stays within
    its limit. Otherwise the attempt is taken back and False returned. Counting before deciding
    means that concurrent attempts can never together go past a limit; `uncount` releases a
    reserved attempt that turned out not to count (a right key).

    In the same step, the keys of `release` are first given back one each (`uncount`), and nothing is
    counted, False returned, while a counter of `unless_full` is already at its limit."""
    unless_full = unless_full or {}
    keys = [*release, *unless_full, *limits]
    args = [window, len(release), len(unless_full), *unless_full.values(), *limits.values()]
    return bool(_run(_RESERVE, keys, args, lambda store: _reserve_in(store, limits, window, release, unless_full)))


def current(key: str) -> int:
    try:
        return caches["default"].get(key) or 0
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
    if not reserve({failures: settings.LOOKUP_RATE_LIMIT}, window=window, unless_full={successes: success_limit}):
        _refuse(form)
        return None, 429
    if not form.is_valid():
        return None, 200
    found = find(form.cleaned_data)
    if found is None:
        form.add_error(None, not_found)
        return None, 200
    if not reserve({successes: success_limit}, window=window, release=[failures]):  # concurrent successes at the limit
        _refuse(form)
        return None, 429
    return found, 200


def render_allowed(request) -> bool:
    """One more document rendered on demand for this client: False past DOCUMENT_RENDER_RATE_LIMIT
    in DOCUMENT_RENDER_RATE_WINDOW (a WeasyPrint render costs 0.1 to 1 s of CPU: one client must not
    keep the portal's processors busy)."""
    window = settings.DOCUMENT_RENDER_RATE_WINDOW
    return hit(request, "document-render", limit=settings.DOCUMENT_RENDER_RATE_LIMIT, window=window)


def too_many_renders(request, **context):
    """The French 429 page, in the frame of the service the document is from (`issuer`, if given)."""
    minutes = max(settings.DOCUMENT_RENDER_RATE_WINDOW // 60, 1)
    return render(request, "429.html", {"minutes": minutes, **context}, status=429)


def limit_renders(view):
    """A view that renders a document on demand, behind render_allowed."""

    @functools.wraps(view)
    def limited(request, *args, **kwargs):
        if not render_allowed(request):
            return too_many_renders(request)
        return view(request, *args, **kwargs)

    return limited
