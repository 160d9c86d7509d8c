"""Non-divulgation can be found where a debtor looks for it: among the home page's online services
(seed 004, with its fee and who may ask), on the lookup's result of a poursuite under total
opposition, and on the account page. The réquisition's start page links the paper form it speaks of."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse

from ocp_portal.dates import today
from poursuites.requisition.geneva import FEDERAL_FORMS_URL
from tests.factories import make_poursuite
from tests.poursuites.test_non_divulgation import make_account, opposed_poursuite

pytestmark = pytest.mark.django_db
REQUEST_URL = reverse("poursuites:non_divulgation")


def link_to(url: str, html: str) -> bool:
    return f'href="{url}"' in html


def lookup(client, poursuite):
    data = {"number": f"{poursuite.number:08d}", "key_letter": poursuite.key_letter, "payment_date": today()}
    return unescape(client.post(reverse("poursuites:balance_lookup"), data).content.decode())


def test_home_page_lists_non_divulgation_with_its_fee_and_who_may_ask(client):
    html = unescape(client.get(reverse("home")).content.decode())
    assert link_to(REQUEST_URL, html)
    services = html[html.index('<ul class="services">') :]
    item = services[services.index(REQUEST_URL) :].split("</li>")[0]
    assert "Demander la non-divulgation d'une poursuite" in item
    assert "CHF 40.00" in item and "débiteur" in item and "opposition totale" in item
    assert "trois mois" in item


def test_lookup_of_a_poursuite_under_total_opposition_points_to_non_divulgation(client):
    html = lookup(client, opposed_poursuite())
    result = html[html.index('class="result"') :]
    assert link_to(REQUEST_URL, result) and "CHF 40.00" in result


def test_lookup_of_a_poursuite_without_opposition_does_not(client):
    html = lookup(client, make_poursuite(notified_on=today() - timedelta(days=30)))
    assert 'class="result"' in html and not link_to(REQUEST_URL, html)


def test_account_page_links_to_the_request_form(client, django_user_model):
    client.force_login(make_account(django_user_model))
    html = client.get(reverse("comptes:home")).content.decode()
    assert link_to(REQUEST_URL, html) and link_to(reverse("poursuites:non_divulgation_list"), html)


def test_requisition_start_links_the_official_paper_form(client):
    html = unescape(client.get(reverse("poursuites:requisition:start")).content.decode())
    assert f'<a href="{FEDERAL_FORMS_URL}">« Réquisition de poursuite » de l\'Office fédéral de la justice</a>' in html
    assert "Rue du Stand 46, Case postale 208, 1211 Genève 8" in html
