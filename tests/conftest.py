import pytest

from ocp_portal.celery import app as celery_app


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
