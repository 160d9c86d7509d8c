"""The parts of base.html that every page of a service shares are rendered once a process (the
"chrome" cache, issue 17): each service still gets its own, what differs from page to page stays
per page, and a change of settings is seen at once."""

import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import caches
from django.urls import reverse

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
