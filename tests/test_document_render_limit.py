"""Documents rendered on demand (QR-bill, réquisition, schedule, follow-ups) answer at most
DOCUMENT_RENDER_RATE_LIMIT per client and window: past it, a French 429 and no render, so that one
client cannot keep the portal's processors busy (a WeasyPrint render costs 0.1 to 1 s of CPU)."""

import importlib

import pytest
from django.urls import reverse

from ocp_portal import pdf
from ocp_portal.dates import today
from paiements.links import qr_bill_token
from tests.paiements.test_qr_bills import BILLED

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """How many times WeasyPrint was asked for a document."""
    counted = []
    render_pdf = pdf.render_pdf

    def counting(*args, **kwargs):
        counted.append(1)
        return render_pdf(*args, **kwargs)

    monkeypatch.setattr("paiements.views.render_pdf", counting)
    return counted


def test_a_client_past_the_limit_gets_a_429_and_no_render(client, settings, renders):
    settings.DOCUMENT_RENDER_RATE_LIMIT = 2
    _obj, reference = BILLED["poursuite"][0]()
    url = reverse("paiements:qr_bill_pdf", args=[qr_bill_token("poursuite", reference, today())])
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    refused = client.get(url)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Trop de documents ont été demandés depuis votre connexion" in html
    assert "Réessayez dans 10 minutes" in html and 'class="site-footer"' in html
    assert len(renders) == 2


def test_the_refusal_of_a_penal_orders_bill_is_in_the_service_des_contraventions_frame(client, settings):
    settings.DOCUMENT_RENDER_RATE_LIMIT = 0
    _obj, reference = BILLED["ordonnance_penale"][0]()
    url = reverse("paiements:qr_bill_pdf", args=[qr_bill_token("ordonnance_penale", reference, today())])
    refused = client.get(url)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert 'data-service="sdc"' in html and settings.OFFICE["phone"] not in html


def test_the_limit_is_per_client(client, settings):
    settings.DOCUMENT_RENDER_RATE_LIMIT = 1
    _obj, reference = BILLED["poursuite"][0]()
    url = reverse("paiements:qr_bill_pdf", args=[qr_bill_token("poursuite", reference, today())])
    assert client.get(url, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.get(url, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get(url, REMOTE_ADDR="192.0.2.2").status_code == 200


def wrapped(function):
    """The function and each one its decorators wrap (functools.wraps keeps `__wrapped__`)."""
    while function is not None:
        yield function
        function = getattr(function, "__wrapped__", None)


@pytest.mark.parametrize(
    "view",
    [
        "contraventions.views.schedule_pdf_view",
        "poursuites.requisition.views.pdf",
        "poursuites.requisition.filing_views.file_pdf",
        "poursuites.requisition.filing_views.follow_up_pdf",
    ],
)
def test_every_view_that_renders_a_document_on_demand_is_limited(view):
    """(The QR-bill's view checks the limit itself, to refuse in its issuer's frame: tested above.)"""
    module, name = view.rsplit(".", 1)
    function = getattr(importlib.import_module(module), name)
    assert any(f.__code__.co_qualname == "limit_renders.<locals>.limited" for f in wrapped(function))
