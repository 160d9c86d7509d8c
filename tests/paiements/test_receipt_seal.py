"""Receipts carry the office's seal too, so that a payer can prove a payment to anyone."""

import io

import pytest
from django.core import mail
from django.urls import reverse

from ocp_portal.seal_check import SealVerdict, check_pdf
from paiements.receipts import SEALED_DOCUMENT
from tests.paiements.test_receipt_download import pay

pytestmark = pytest.mark.django_db


def test_the_emailed_and_downloaded_receipts_are_sealed(client, poursuite, django_capture_on_commit_callbacks):
    payment, _outcome = pay(client, poursuite, django_capture_on_commit_callbacks)
    (emailed,) = mail.outbox
    downloaded = client.get(reverse("paiements:receipt", args=[payment.public_id])).content
    for pdf in (emailed.attachments[0][1], downloaded):
        result = check_pdf(pdf)
        assert result.verdict == SealVerdict.VALID
        assert (result.document, result.reference) == (SEALED_DOCUMENT, str(payment.public_id))


def test_the_verification_page_recognises_a_sealed_receipt(client, poursuite, django_capture_on_commit_callbacks):
    payment, _outcome = pay(client, poursuite, django_capture_on_commit_callbacks)
    stream = io.BytesIO(mail.outbox[0].attachments[0][1])
    stream.name = "quittance.pdf"
    html = client.post(reverse("extraits:verify_file"), {"file": stream}).content.decode().replace("&#x27;", "'")
    assert 'role="status" id="verdict"' in html
    assert "Ce fichier est une quittance de paiement authentique de l'office." in html
    assert str(payment.public_id) in html
