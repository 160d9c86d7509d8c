"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Never downloads a browser: without /usr/bin/chromium every browser test is skipped.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the tests
    # (and in fixtures that build data) are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server(django_test_environment):
    """The live server speaks plain HTTP: no redirect to HTTPS, cookies not marked Secure.

    Session-scoped and autouse so that it is in force before `live_server` starts: Django's
    SecurityMiddleware reads SECURE_SSL_REDIRECT once, when the server's handler is built, so
    a per-test `settings` change would come too late.
    """
    from django.test.utils import override_settings

    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SECURE_HSTS_SECONDS=0,
    ):
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with no lookups counted against the live server's client."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="fr-CH",
        timezone_id="Europe/Zurich",
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    # Every page runs under the portal's Content-Security-Policy: anything it blocks fails the test.
    blocked = []
    page.on("console", lambda message: "Content Security Policy" in message.text and blocked.append(message.text))
    yield page
    context.close()
    assert not blocked, blocked
