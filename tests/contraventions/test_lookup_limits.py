"""The penal-order lookup counts failed lookups strictly and successful ones generously (issue 16, defect 9)."""

from html import unescape

import pytest
from django.urls import reverse

from contraventions.references import order_reference
from tests.contraventions.conftest import make_order

pytestmark = pytest.mark.django_db
PAY_URL = reverse("contraventions:pay")


def test_25_successful_penal_order_lookups_in_a_row_pass(client):
    order = make_order()
    for _ in range(25):
        response = client.post(PAY_URL, {"reference": order.qr_reference})
        assert response.status_code == 200 and response.context["result"] is not None


def test_the_21st_unknown_reference_is_refused_and_a_success_resets_nothing(client):
    order = make_order()
    statuses = [client.post(PAY_URL, {"reference": order_reference(2999999)}).status_code for _ in range(10)]
    statuses.append(client.post(PAY_URL, {"reference": order.qr_reference}).status_code)
    statuses += [client.post(PAY_URL, {"reference": order_reference(2999999)}).status_code for _ in range(11)]
    assert statuses == [200] * 21 + [429]
    assert "Trop de consultations depuis votre connexion" in unescape(
        client.post(PAY_URL, {"reference": order.qr_reference}).content.decode()
    )
