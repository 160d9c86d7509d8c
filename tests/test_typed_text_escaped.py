"""Text a visitor types comes back escaped, once, through the Python-built inputs and fields (helper 5,
issue 17): as Django's widget templates wrote it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
TYPED = "\"><script>alert(1)</script>'&amp;"
ESCAPED = "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;&amp;amp;"


def test_the_reported_page_parameter_is_escaped(client):
    html = client.get(reverse("accessibility"), {"page": TYPED}).content.decode()
    assert "<script>alert(1)" not in html and "&amp;amp;amp;" not in html


def test_a_lookups_typed_values_are_escaped_once(client):
    data = {"number": TYPED, "key_letter": '"', "payment_date": TYPED}
    html = client.post(reverse("poursuites:balance_lookup"), data).content.decode()
    assert "<script>alert(1)" not in html and "&amp;amp;amp;" not in html
    assert f'value="{ESCAPED}"' in html
