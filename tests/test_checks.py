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
