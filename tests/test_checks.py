"""The deployment checks of the portal's own settings."""

import pytest

from ocp_portal.checks import portal_url_is_public


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


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy_without_inline_code(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
