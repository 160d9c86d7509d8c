"""« Télécharger la quittance »: the receipt of a captured card payment, linked from the outcome page
and served to the browser that paid, never to another one, never before the capture."""

import io
import uuid
from html import unescape

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from paiements.constants import PaymentState
from paiements.links import checkout_path
from paiements.models import Payment
from tests.paiements.conftest import as_payer, open_payment_for

pytestmark = pytest.mark.django_db
VISA_DEBIT, DECLINED = "4000 0566 5566 5556", "4000 0000 0000 0002"


def pay(client, poursuite, capture, number=VISA_DEBIT):
    """The payer's way: payment page, sandbox card page, back to the outcome page (its URL returned)."""
    url = checkout_path("poursuite", poursuite.reference)
    data = {"choice": "acompte", "instalment": "100", "email": "debiteur@example.ch", "accept": "on"}
    to_psp = client.post(url, data)
    card = {"number": number, "expiry": "12/30", "security_code": "123", "holder": "Jean Dupont"}
    with capture(execute=True):
        back = client.post(to_psp["Location"], card)
    return Payment.objects.get(), back["Location"]


def text_of(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_the_payer_downloads_the_receipt_from_the_outcome_page(client, poursuite, django_capture_on_commit_callbacks):
    payment, outcome = pay(client, poursuite, django_capture_on_commit_callbacks)
    url = reverse("paiements:receipt", args=[payment.public_id])
    page = unescape(client.get(outcome).content.decode())
    assert f'href="{url}"' in page and "Télécharger la quittance" in page

    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == f'attachment; filename="quittance-{payment.public_id}.pdf"'
    text = text_of(response.content)
    assert "CHF 100.00" in text and str(payment.public_id) in text and "5556" in text
    (emailed,) = mail.outbox
    assert text == text_of(emailed.attachments[0][1])  # the copy the payer was sent


def test_another_browser_gets_no_link_and_a_403(client, poursuite, django_capture_on_commit_callbacks):
    payment, outcome = pay(client, poursuite, django_capture_on_commit_callbacks)
    url = reverse("paiements:receipt", args=[payment.public_id])
    other = Client()
    assert url not in other.get(outcome).content.decode()
    response = other.get(url)
    assert response.status_code == 403 and b"%PDF" not in response.content


@pytest.mark.parametrize("card", [None, DECLINED], ids=["open", "refused"])
def test_no_receipt_for_a_payment_not_captured(client, poursuite, card, django_capture_on_commit_callbacks):
    if card:
        payment, outcome = pay(client, poursuite, django_capture_on_commit_callbacks, number=card)
        assert payment.state == PaymentState.REFUSED
    else:
        payment = open_payment_for(poursuite)
        as_payer(client, payment)
        outcome = reverse("paiements:return", args=[payment.public_id])
    url = reverse("paiements:receipt", args=[payment.public_id])
    assert url not in client.get(outcome).content.decode()
    assert client.get(url).status_code == 404


def test_an_unknown_payment_is_a_404(client):
    assert client.get(reverse("paiements:receipt", args=[uuid.uuid4()])).status_code == 404
