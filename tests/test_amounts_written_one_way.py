"""« CHF 40 » and « CHF 40.00 » never on the same page: every amount is written `CHF 1'234.50`
(ocp_portal.formats.format_chf, the `chf` filter) (issue 16, defect 10f)."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from ocp_portal.dates import today
from paiements.links import checkout_path
from poursuites.admin_forms import NotificationForm
from tests.factories import make_poursuite

pytestmark = pytest.mark.django_db
AMOUNT = re.compile(r"CHF\s*\d[\d'’ ]*(?:[.,]\d*)?(?:\.?[-–])?")
WELL_WRITTEN = re.compile(r"CHF \d{1,3}(?:'\d{3})*\.\d\d")


def amounts_written_otherwise(html: str) -> list[str]:
    text = unescape(strip_tags(html))
    return [amount.strip() for amount in AMOUNT.findall(text) if not WELL_WRITTEN.fullmatch(amount.strip())]


def test_the_non_divulgation_request_page_writes_its_fee_one_way(client, account):
    client.force_login(account)
    html = client.get(reverse("poursuites:non_divulgation")).content.decode()
    assert "CHF 40.00" in unescape(html)
    assert amounts_written_otherwise(html) == []


def test_the_extract_order_page_writes_its_fee_one_way(client, account):
    client.force_login(account)
    response = client.get(reverse("extraits:order", args=["personne"]))
    assert response.status_code == 200
    assert "CHF 17.00" in unescape(response.content.decode())
    assert amounts_written_otherwise(response.content.decode()) == []


def test_the_balance_lookup_and_payment_pages_write_amounts_one_way(client):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=30))
    data = {"number": f"{poursuite.number:08d}", "key_letter": poursuite.key_letter, "payment_date": today()}
    html = client.post(reverse("poursuites:balance_lookup"), data).content.decode()
    assert "CHF" in html and amounts_written_otherwise(html) == []
    html = client.get(checkout_path("poursuite", poursuite.reference)).content.decode()
    assert amounts_written_otherwise(html) == []


def test_the_clerks_notification_form_writes_the_attempt_fee_one_way():
    assert "facturée CHF 7.00" in str(NotificationForm().fields["failed_attempts"].help_text)
