"""What the balance lookup's form says before anything is typed (issue 16, defects 10a and 10b)."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse

from ocp_portal.dates import today
from ocp_portal.formats import format_date
from poursuites.forms import BalanceLookupForm

pytestmark = pytest.mark.django_db
ASTERISK = '<span class="required" aria-hidden="true">*</span>'


def label_of(html: str, name: str) -> str:
    return re.search(rf'<label for="id_{name}">(.*?)</label>', html, re.S).group(1)


def input_of(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*id="id_{name}"[^>]*>', html).group(0)


def test_every_required_field_of_the_balance_lookup_shows_the_asterisk(client):
    html = unescape(client.get(reverse("poursuites:balance_lookup")).content.decode())
    for name in ("number", "key_letter", "payment_date"):
        assert ASTERISK in label_of(html, name), name
    # Required for assistive technology too, though the letter may also be typed after the number.
    assert 'aria-required="true"' in input_of(html, "key_letter")
    assert "Les champs marqués * sont obligatoires." in html


def test_the_penal_order_lookup_marks_its_reference_required(client):
    html = unescape(client.get(reverse("contraventions:pay")).content.decode())
    assert ASTERISK in label_of(html, "reference")


def test_the_payment_date_limit_is_said_before_it_is_met(client):
    last = today() + timedelta(days=60)  # on the pinned day, 10.03.2027: 09.05.2027
    html = unescape(client.get(reverse("poursuites:balance_lookup")).content.decode())
    help_text = re.search(r'<p class="help" id="id_payment_date_helptext">(.*?)</p>', html, re.S).group(1)
    assert f"Au plus tard le {format_date(last)} (dans 60 jours)." in help_text
    date_input = input_of(html, "payment_date")
    assert f'min="{today().isoformat()}"' in date_input and f'max="{last.isoformat()}"' in date_input
    assert "id_payment_date_helptext" in date_input  # read with the field


def test_a_date_beyond_the_limit_is_still_refused_with_the_same_date():
    last = today() + timedelta(days=60)
    data = {"number": "00000001", "key_letter": "R", "payment_date": (last + timedelta(days=1)).isoformat()}
    form = BalanceLookupForm(data)
    assert not form.is_valid()
    assert form.errors["payment_date"] == [
        f"La date de paiement peut être au plus tard le {format_date(last)} (60 jours)."
    ]
