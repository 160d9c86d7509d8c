"""The deployment checks of the portal's own settings."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from ocp_portal.checks import page_chrome_has_its_cache, portal_url_is_public


@pytest.mark.parametrize(
    "url, warned",
    [
        ("http://127.0.0.1:8000", True),
        ("https://localhost", True),
        ("http://portail.ocp.ge.ch", True),
        ("https://portail.ocp.ge.ch", False),
    ],
)
def test_portal_url_must_be_the_public_https_address(settings, url, warned):
    settings.PORTAL_URL = url
    assert bool(portal_url_is_public(None)) is warned


def test_the_pages_chrome_must_keep_its_cache(settings):
    assert page_chrome_has_its_cache(None) == []
    settings.CACHES = {"default": settings.CACHES["default"]}
    assert [error.id for error in page_chrome_has_its_cache(None)] == ["ocp.E007"]


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy_without_inline_code(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


SAFE = {
    "DJANGO_SETTINGS_MODULE": "ocp_portal.settings",
    "DEBUG": "0",
    "SECRET_KEY": "k3y-" + "9f8e7d6c5b4a" * 6,
    "ALLOWED_HOSTS": "portail.ocp.ge.ch",
    "PORTAL_URL": "https://portail.ocp.ge.ch",
    "STRIPE_SECRET_KEY": "sk_live_example",
    "STRIPE_WEBHOOK_SECRET": "whsec_example",
}


def check_deploy(**changes) -> subprocess.CompletedProcess:
    """`manage.py check --deploy` in a process of its own, configured by the environment only."""
    keep = {name: os.environ[name] for name in ("PATH", "HOME", "DATABASE_URL") if name in os.environ}
    environment = {**keep, **SAFE, **changes}
    environment = {name: value for name, value in environment.items() if value is not None}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(autouse=True)
def _office_seal(seal_pki, monkeypatch):
    """The right configuration names a seal of the office's own (the suite's demo PKCS#12 stands in)."""
    monkeypatch.setitem(SAFE, "SEAL_PKCS12_PATH", str(seal_pki.pkcs12))


def test_check_deploy_is_silent_in_the_right_configuration():
    result = check_deploy()
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"SANDBOX_PSP_ENABLED": "1"}, "ocp.E002"),
        ({"STRIPE_SECRET_KEY": None, "STRIPE_WEBHOOK_SECRET": None}, "ocp.W004"),  # no gateway at all
        ({"STRIPE_WEBHOOK_SECRET": None}, "ocp.W003"),
        ({"PORTAL_URL": None}, "ocp.W001"),  # the default, http://127.0.0.1:8000
        ({"PORTAL_URL": "http://portail.ocp.ge.ch"}, "ocp.W001"),
        ({"SECRET_KEY": None}, "SECRET_KEY is not set"),
        ({"SEAL_PKCS12_PATH": None}, "ocp.W005"),  # sealed with the demo key made under var/
        ({"SEAL_PKCS12_PATH": "/nulle-part/sceau.p12"}, "ocp.E006"),
    ],
)
def test_check_deploy_speaks_up_in_each_dangerous_configuration(changes, message):
    result = check_deploy(**changes)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
