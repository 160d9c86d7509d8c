"""The parts of base.html that every page of a service shares are rendered once a process (the
"chrome" cache, issue 17): each service still gets its own, what differs from page to page stays
per page, and a change of settings is seen at once."""

import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import caches
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db


def footer(html: str) -> str:
    return unescape(re.search(r"<footer.*</footer>", html, re.S).group(0))


def test_each_service_keeps_its_own_header_and_footer(client, settings):
    caches["chrome"].clear()
    ocp_first = client.get(reverse("home")).content.decode()
    sdc = client.get(reverse("contraventions:pay")).content.decode()
    ocp_again = client.get(reverse("poursuites:balance_lookup")).content.decode()
    assert settings.CONTRAVENTIONS["phone"] in footer(sdc)
    assert settings.OFFICE["phone"] not in footer(sdc)
    assert settings.OFFICE["phone"] in footer(ocp_first) and settings.OFFICE["phone"] in footer(ocp_again)
    assert settings.CONTRAVENTIONS["name"] in unescape(sdc.split("</header>")[0])
    assert footer(ocp_first) != footer(sdc)


def test_what_belongs_to_one_page_is_not_kept(client):
    first = client.get(reverse("poursuites:balance_lookup")).content.decode()
    second = client.get(reverse("poursuites:minimum_vital")).content.decode()
    assert "<title>Consulter le solde" in first and "<title>Consulter le solde" not in second
    reported = [re.search(r'accessibilite/\?page=([^"#]+)#signaler', page).group(1) for page in (first, second)]
    assert reported == ["/poursuites/solde/", "/poursuites/minimum-vital/"]
    printed = [re.search(r'<p class="print-only wrap">[^<]*', page).group(0) for page in (first, second)]
    assert "/poursuites/solde/" in printed[0] and "/poursuites/minimum-vital/" in printed[1]


@pytest.mark.time_machine(datetime(2026, 12, 31, 23, 5, tzinfo=ZoneInfo("UTC")), tick=False)
def test_a_printed_page_says_when_in_geneva_time(client):
    html = client.get(reverse("poursuites:balance_lookup")).content.decode()
    assert re.search(r'<p class="print-only wrap">[^<]*, 01\.01\.2027 00:05</p>', html)


def test_the_login_link_is_not_kept_for_a_signed_in_visitor(client, django_user_model):
    client.get(reverse("home"))  # the chrome of an anonymous visit
    client.force_login(django_user_model.objects.create_user("lea@example.ch", password="un-mot-de-passe-2026"))
    html = client.get(reverse("home")).content.decode()
    assert "Se déconnecter" in html and "Se connecter</a>" not in html


def test_a_change_of_settings_is_seen_at_once(client, settings):
    client.get(reverse("home"))
    settings.OFFICE = {**settings.OFFICE, "phone": "022 999 99 99"}
    assert "022 999 99 99" in footer(client.get(reverse("home")).content.decode())


def _walk(patterns, prefix="", ns=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin" or "admin" in str(p.pattern):
                continue
            yield from _walk(p.url_patterns, prefix + str(p.pattern), p.namespace or ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if "<" in route or "(?P" in route or "^" in route:
                continue
            yield "/" + route


def normal(html):
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html


def test_pages_cold_equal_warm(client):
    urls = sorted(set(_walk(get_resolver().url_patterns)))
    pages = {}
    for url in urls:
        caches["chrome"].clear()
        r = client.get(url)
        if r.status_code != 200 or "text/html" not in r.get("Content-Type", ""):
            continue
        pages[url] = normal(r.content.decode())
    assert len(pages) > 10, urls
    # warmed by every other page, in reverse order
    for url in reversed(list(pages)):
        client.get(url)
    diffs = []
    for url, cold in pages.items():
        warm = normal(client.get(url).content.decode())
        if warm != cold:
            diffs.append(url)
    assert diffs == []
    assert all("<title>" in page for page in pages.values())


def _footer_service(html):
    return re.search(r'data-service="(\w+)"', html).group(1)


def test_payment_page_of_an_sdc_order_keeps_sdc_chrome_after_ocp_pages(client, settings):
    from paiements.links import checkout_path
    from tests.contraventions.conftest import make_order

    order = make_order()
    url = checkout_path("ordonnance_penale", order.qr_reference)
    caches["chrome"].clear()
    cold = client.get(url).content.decode()
    assert _footer_service(cold) == "sdc"
    caches["chrome"].clear()
    client.get("/")  # OCP chrome warmed
    warm = client.get(url).content.decode()
    assert normal(warm) == normal(cold)
    assert settings.CONTRAVENTIONS["name"] in warm.split("</header>")[0].replace("&#x27;", "'")
    # and the OCP home after the SdC page
    home = client.get("/").content.decode()
    assert _footer_service(home) == "ocp"
