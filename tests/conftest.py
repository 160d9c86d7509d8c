import os
from datetime import datetime
from zoneinfo import ZoneInfo

import factory.random
import pytest

from ocp_portal.celery import app as celery_app

# Every test runs on this day unless it says otherwise with @pytest.mark.time_machine(...): a plain
# Wednesday, no holiday near it, so that a test reads the same whatever the machine's calendar says.
PINNED_NOW = datetime(2027, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Zurich"))
if os.environ.get("OCP_TEST_NOW"):  # the pin moved, to check that no test leans on its day (README)
    PINNED_NOW = datetime.fromisoformat(os.environ["OCP_TEST_NOW"]).replace(tzinfo=ZoneInfo("Europe/Zurich"))


def pytest_collection_modifyitems(config, items):
    """The tests of a real Celery worker share one broker queue: under pytest-xdist they run in one
    process (with --dist loadgroup), so that no worker takes another process's task."""
    for item in items:
        if item.get_closest_marker("worker"):
            item.add_marker(pytest.mark.xdist_group("celery-worker"))


@pytest.fixture(autouse=True)
def _one_real_worker_at_a_time(request):
    """And one at a time whatever the processes: pytest-xdist 3.8 groups by an attribute that pytest 9
    no longer reads, so the group above may land in two processes; a lock file keeps their workers
    from running together and taking each other's tasks."""
    if request.node.get_closest_marker("worker") is None:
        yield
        return
    import fcntl
    import hashlib
    import tempfile
    from pathlib import Path

    from django.conf import settings

    broker = hashlib.sha256(str(settings.CELERY_BROKER_URL).encode()).hexdigest()[:12]
    with open(Path(tempfile.gettempdir()) / f"ocp-tests-celery-worker-{broker}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.fixture(autouse=True)
def _same_data_every_run(request):
    """The names and words the factories make up are drawn from a seed of each test's own, so that a
    test meets the same data on every run, in any order and any process, and a failure reproduces."""
    factory.random.reseed_random(request.node.nodeid)


@pytest.fixture(autouse=True)
def _pinned_clock(request, time_machine):
    """The clock starts at PINNED_NOW and ticks; a test marked time_machine chooses its own moment."""
    if request.node.get_closest_marker("time_machine") is None:
        time_machine.move_to(PINNED_NOW)


@pytest.fixture(scope="session", autouse=True)
def _suite_settings(django_test_environment):
    """A fast password hasher (the lockout tests log in dozens of times), and under pytest-xdist a
    Redis cache database of each process's own, since every test starts by clearing the cache."""
    from django.conf import settings
    from django.test.utils import override_settings

    overrides = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    cache = settings.CACHES["default"]
    if worker and "redis" in cache["BACKEND"]:
        base, _, db = cache["LOCATION"].rpartition("/")
        location = f"{base}/{int(db or 0) + int(worker.removeprefix('gw'))}"
        if location == settings.CELERY_BROKER_URL:
            raise pytest.UsageError(f"the cache of {worker} would be the Celery broker's database ({location})")
        overrides["CACHES"] = {**settings.CACHES, "default": {**cache, "LOCATION": location}}
    with override_settings(**overrides):
        yield


@pytest.fixture(scope="session", autouse=True)
def seal_pki(django_test_environment, tmp_path_factory):
    """The office's seal in the suite: a demo PKI of its own in a temporary folder, never var/."""
    from django.test.utils import override_settings

    from ocp_portal import seal

    directory = tmp_path_factory.mktemp("seal") / "pki"
    with override_settings(SEAL_DEMO_DIR=directory):
        yield seal.ensure_demo_pki(directory)


@pytest.fixture(autouse=True)
def _portal_test_settings(settings, request, tmp_path):
    """Plain HTTP in tests, card payments through the sandbox PSP (as in `make run`; read on each
    request, so the browser tests' live server sees it too), stored documents in a temporary folder,
    fresh rate-limit counters, and Celery eager unless a test runs a real worker."""
    settings.SECURE_SSL_REDIRECT = False
    settings.PAYMENT_GATEWAY = "sandbox"
    settings.SANDBOX_PSP_ENABLED = True
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.cache import cache

    cache.clear()
    eager = request.node.get_closest_marker("worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def clerk(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("clerk", password="clerk-pass-2026", is_staff=True)
    user.groups.add(Group.objects.get(name="Guichet"))
    return user


@pytest.fixture
def supervisor(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("super", password="super-pass-2026", is_staff=True)
    user.groups.add(Group.objects.get(name="Supervision"))
    return user


@pytest.fixture
def account(db):
    """A verified public account (password "motdepasse-ocp-2026")."""
    from tests.factories import AccountFactory

    return AccountFactory(email="titulaire@exemple.ch")


@pytest.fixture
def other_account(db):
    """Another verified public account, to check that one account never sees another's data."""
    from tests.factories import AccountFactory

    return AccountFactory(email="autre@exemple.ch")
