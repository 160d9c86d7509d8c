"""The rate-limit counters: round trips per lookup, concurrent guesses, windows (issue 17).

Most need the cache to be Redis (CACHE_URL, as .ci/run sets it) and are skipped on the embedded
locmem cache; the counters' meaning is checked on Redis, on locmem and on the fallback alike.
"""

import threading
from datetime import timedelta

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory
from django.urls import reverse

from ocp_portal import ratelimit
from ocp_portal.dates import today
from tests.factories import make_poursuite

URL = reverse("poursuites:balance_lookup")


@pytest.fixture
def on_redis(settings):
    if not isinstance(caches["default"], RedisCache):
        pytest.skip("the cache is not Redis: set CACHE_URL=redis://… (.ci/run does)")
    return caches["default"]


@pytest.fixture
def round_trips(monkeypatch):
    """The commands sent to Redis, one a round trip (a script counts as one)."""
    sent = []
    execute = redis.Redis.execute_command

    def counted(self, *args, **options):
        sent.append(args[0])
        return execute(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    return sent


def post(client, poursuite, letter=None):
    data = {"number": f"{poursuite.number:08d}", "key_letter": letter or poursuite.key_letter, "payment_date": today()}
    return client.post(URL, data)


@pytest.mark.django_db
def test_a_lookup_costs_one_round_trip_before_and_one_after_a_success(client, on_redis, round_trips):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=30))
    wrong = "A" if poursuite.key_letter != "A" else "B"
    post(client, poursuite)  # Redis learns the scripts once (SCRIPT LOAD)
    round_trips.clear()
    assert post(client, poursuite).context["result"] is not None
    assert len(round_trips) == 2, round_trips
    round_trips.clear()
    assert post(client, poursuite, wrong).context["result"] is None
    assert len(round_trips) == 1, round_trips


@pytest.mark.django_db
@pytest.mark.parametrize("limit", ["LOOKUP_RATE_LIMIT", "LOOKUP_SUCCESS_RATE_LIMIT"])
def test_a_refused_lookup_costs_one_round_trip(client, on_redis, round_trips, settings, limit):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=30))
    setattr(settings, limit, 1)
    wrong = "A" if poursuite.key_letter != "A" else "B"
    letter = wrong if limit == "LOOKUP_RATE_LIMIT" else poursuite.key_letter  # failures, or successes
    assert post(client, poursuite, letter).status_code == 200
    round_trips.clear()
    assert post(client, poursuite, letter).status_code == 429
    assert len(round_trips) == 1, round_trips


@pytest.fixture(params=["redis", "locmem", "redis down"])
def store(request, settings, monkeypatch):
    """The counters on Redis (scripts), on another backend and on the fallback (the cache API)."""
    default = settings.CACHES["default"]
    if request.param == "redis" and "redis" not in default["BACKEND"]:
        pytest.skip("the cache is not Redis: set CACHE_URL=redis://… (.ci/run does)")
    if request.param == "locmem":
        default = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit-tests"}
    if request.param == "redis down":
        default = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
        monkeypatch.setattr(ratelimit, "_fallback", LocMemCache("ratelimit-tests-fallback", {}))
        ratelimit._fallback.clear()
    settings.CACHES = {**settings.CACHES, "default": {**default, "KEY_PREFIX": "ocp-tests", "VERSION": 3}}
    if request.param != "redis down":
        caches["default"].clear()
    return request.param


def test_the_counters_mean_the_same_on_every_store(store):
    assert [ratelimit.count("k", window=600) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.current("k") == 3
    assert ratelimit.reserve({"r": 1}, window=60, unless_full={"k": 4})
    assert not ratelimit.reserve({"r": 1}, window=60)
    assert not ratelimit.reserve({"r": 5, "k": 3}, window=60)  # k over its limit: both taken back
    assert (ratelimit.current("r"), ratelimit.current("k")) == (1, 3)
    ratelimit.uncount("k", "never-counted")
    assert (ratelimit.current("k"), ratelimit.current("never-counted")) == (2, 0)
    assert ratelimit.reserve({"r": 1}, window=60, release=["r"], unless_full={"k": 3})
    assert not ratelimit.reserve({"r": 9}, window=60, unless_full={"k": 2})  # k full: nothing counted
    assert ratelimit.current("r") == 1
    assert not ratelimit.reserve({"r": 1}, window=60, release=["k"])  # given back even when refused
    assert (ratelimit.current("r"), ratelimit.current("k")) == (1, 1)


def test_on_redis_the_counters_keep_the_cache_prefix_and_version_and_get_a_window(on_redis, settings):
    prefixed = {**settings.CACHES["default"], "KEY_PREFIX": "ocp-tests", "VERSION": 3}
    settings.CACHES = {**settings.CACHES, "default": prefixed}
    backend = caches["default"]
    client = backend._cache.get_client(write=True)
    ratelimit.count("k", window=600)
    ratelimit.reserve({"r": 1}, window=60)
    ratelimit.uncount("never-counted")
    assert (backend.get("k"), backend.get("r")) == (1, 1)  # the cache API reads what the scripts wrote
    assert sorted(client.keys("*")) == sorted(backend.make_key(key).encode() for key in ("k", "r"))
    assert 0 < client.ttl(backend.make_key("k")) <= 600
    assert 0 < client.ttl(backend.make_key("r")) <= 60


def test_the_lookup_counters_get_their_window(rf, on_redis, settings):
    store = caches["default"]
    client = store._cache.get_client(write=True)
    ratelimit.limited_lookup(rf.post(URL), Form(), "s", lambda data: object(), "no")
    for key in ("ratelimit:s:127.0.0.1", "ratelimit:s:found:127.0.0.1"):
        assert 0 < client.ttl(store.make_key(key)) <= settings.LOOKUP_RATE_WINDOW


class Form:
    cleaned_data: dict = {}

    def is_valid(self):
        return True

    def add_error(self, field, message):
        pass


def in_threads(count: int, find) -> list[int]:
    """`count` lookups of one client at once; their statuses, sorted."""
    start, statuses = threading.Barrier(count), []

    def lookup():
        request = RequestFactory().post(URL, REMOTE_ADDR="192.0.2.7")
        start.wait()
        statuses.append(ratelimit.limited_lookup(request, Form(), "race", find, "no")[1])

    threads = [threading.Thread(target=lookup) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(statuses)


def test_concurrent_guesses_never_pass_the_strict_limit(on_redis, settings):
    settings.LOOKUP_RATE_LIMIT = 5
    for _ in range(3):
        assert in_threads(16, lambda data: None) == [200] * 5 + [429] * 11
        settings.LOOKUP_RATE_LIMIT += 5
    assert ratelimit.current("ratelimit:race:192.0.2.7") == 15


def test_concurrent_successes_never_pass_their_limit_and_give_back_their_failures(on_redis, settings):
    settings.LOOKUP_RATE_LIMIT, settings.LOOKUP_SUCCESS_RATE_LIMIT = 16, 5
    assert in_threads(16, lambda data: object()) == [200] * 5 + [429] * 11
    assert ratelimit.current("ratelimit:race:found:192.0.2.7") == 5
    assert ratelimit.current("ratelimit:race:192.0.2.7") == 0


# A Redis that forgot the scripts (SCRIPT FLUSH, a restart) answers NOSCRIPT: redis-py loads them again.
def test_the_counters_go_on_after_redis_forgot_the_scripts(on_redis):
    assert ratelimit.count("flushed", window=60) == 1
    on_redis._cache.get_client(write=True).script_flush()
    assert ratelimit.count("flushed", window=60) == 2
    assert ratelimit.reserve({"reserved": 3}, window=60)
    on_redis._cache.get_client(write=True).script_flush()
    ratelimit.uncount("reserved")
    assert ratelimit.current("reserved") == 0


def test_the_counters_follow_a_cache_moved_by_settings(on_redis, settings):
    """A cache that settings change (here the same Redis under another key prefix: CI's Redis has no
    spare database index) is counted in, not the one the module kept a client for before."""
    assert ratelimit.count("moved", window=60) == 1
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "KEY_PREFIX": "moved"}}
    assert ratelimit.count("moved", window=60) == 1
    assert ratelimit.count("moved", window=60) == 2
