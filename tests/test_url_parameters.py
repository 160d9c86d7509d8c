"""Every URL parameter of the portal (the clerks' admin aside) is checked by a strict converter:
hostile values answer 404 (or another 4xx, or the redirect to the login), never 500."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db
HOSTILE = ["%00", "abc%00def", "a" * 3000, "%27%22%3Cscript%3E", "..%2F..%2Fetc%2Fpasswd", "%E2%80%AE", "%0D%0A"]


def routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("guichet/"):
                continue  # Django's admin: its own object ids, checked by Django
            yield from routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and "<" in route:
            yield route


def test_every_parametrised_route_is_walked():
    assert len(list(routes(get_resolver().url_patterns))) >= 14


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_url_parameters_never_answer_500(client, hostile):
    for route in routes(get_resolver().url_patterns):
        url = "/" + re.sub(r"<[^>]+>", hostile, route)
        for method in (client.get, client.post):
            status = method(url).status_code
            assert status in (302, 400, 403, 404, 405), (url[:120], method.__name__, status)


def test_signed_links_of_every_shape_still_resolve(client):
    """Compressed signatures start with a dot; the strict converter takes them."""
    from django.core import signing
    from django.urls import resolve, reverse

    for value in ({"p": "poursuite", "r": "10000001 S" * 20}, 12, "x"):
        token = signing.dumps(value, salt="t", compress=True)
        assert resolve(reverse("paiements:start", args=[token])).kwargs == {"token": token}


def test_a_link_opens_only_as_its_own_kind_and_within_its_lifetime(time_machine):
    from datetime import timedelta

    from ocp_portal import signed_links

    token = signed_links.sign("verified-extract", 42)
    assert signed_links.unsign("verified-extract", token) == 42
    assert signed_links.unsign("qr-bill", token) is None  # another kind's salt
    assert signed_links.unsign("verified-extract", token[:-2] + "xx") is None
    time_machine.shift(timedelta(seconds=signed_links.KINDS["verified-extract"].max_age + 1))
    assert signed_links.unsign("verified-extract", token) is None
