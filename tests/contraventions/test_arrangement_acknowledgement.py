"""An arrangement request gets a public reference, an e-mail from the Service des contraventions
(order number and amounts only), and a status page reached by its signed link or by its two
references, rate-limited like the lookups."""

import re
from datetime import timedelta
from decimal import Decimal as D
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from contraventions import arrangements, notices
from contraventions.models import ArrangementPaiement
from contraventions.references import REQUEST_ALPHABET, parse_request_reference
from contraventions.tasks import daily_recovery
from ocp_portal.dates import today
from tests.contraventions.conftest import make_order

pytestmark = pytest.mark.django_db
ARRANGEMENT_URL = reverse("contraventions:arrangement")
STATUS_URL = reverse("contraventions:arrangement_status")
REFERENCE = re.compile(rf"AP-[{REQUEST_ALPHABET}]{{4}}-[{REQUEST_ALPHABET}]{{4}}")


def ask(client, order, **extra):
    data = {"reference": order.qr_reference, "monthly_amount": "80", "email": "lea@example.ch", **extra}
    return client.post(ARRANGEMENT_URL, data)


def text(response) -> str:
    return unescape(response.content.decode())


def test_the_request_gets_a_reference_on_the_done_page_and_an_e_mail(
    client, order, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, order, phone="079 123 45 67", message="Chômage depuis mars")
    arrangement = order.arrangements.get()
    assert REFERENCE.fullmatch(arrangement.reference)
    assert arrangement.reference in text(response)
    (message,) = mail.outbox
    assert message.from_email == settings.CONTRAVENTIONS_FROM_EMAIL and message.to == ["lea@example.ch"]
    assert arrangement.reference in message.subject and str(order.case_number) in message.subject
    assert "CHF 80.00" in message.body and "CHF 220.00" in message.body and str(order.case_number) in message.body
    for private in ("Chômage", "079", order.offender.name, order.offence):
        assert private not in message.body
    assert arrangement.acknowledged_at is not None
    # Its link opens the status page, no reference to type.
    link = re.search(r"https?://\S+/arrangement/suivi/\S+/", message.body).group(0)
    page = text(client.get(link[link.index("/contraventions/") :]))
    assert arrangement.reference in page and "En cours d'examen" in page


def test_the_acknowledgement_is_sent_once_and_the_daily_sweep_sends_a_lost_one(order):
    arrangement = arrangements.request_arrangement(order=order, monthly_amount=D("80"), email="a@b.ch", on=today())
    assert daily_recovery.delay().get()["acknowledgements"] == 1  # its message was lost (no commit here)
    assert len(mail.outbox) == 1
    assert notices.send_acknowledgement(arrangement.pk) is False
    assert daily_recovery.delay().get()["acknowledgements"] == 0
    assert len(mail.outbox) == 1


def test_a_request_older_than_the_sweep_is_never_acknowledged_late(order):
    arrangement = arrangements.request_arrangement(order=order, monthly_amount=D("80"), email="a@b.ch", on=today())
    ArrangementPaiement.objects.filter(pk=arrangement.pk).update(requested_on=today() - timedelta(days=30))
    assert daily_recovery.delay().get()["acknowledgements"] == 0 and not mail.outbox


@pytest.mark.parametrize("typed", [str.lower, lambda ref: ref.replace("-", " "), lambda ref: ref[3:]])
def test_the_status_page_by_both_references_in_plain_french(client, order, typed):
    arrangement = arrangements.request_arrangement(order=order, monthly_amount=D("80"), email="a@b.ch", on=today())
    response = client.post(
        STATUS_URL, {"request_reference": typed(arrangement.reference), "reference": order.qr_reference}
    )
    html = text(response)
    assert response.status_code == 200 and response.context["arrangement"] == arrangement
    assert "En cours d'examen" in html and "les délais de paiement courent" in html
    assert f"au plus tard le {order.due_date:%d.%m.%Y}" in html


def test_the_status_follows_the_decision(client, order):
    arrangement = arrangements.request_arrangement(order=order, monthly_amount=D("80"), email="a@b.ch", on=today())
    data = {"request_reference": arrangement.reference, "reference": order.qr_reference}
    arrangements.accept(arrangement=arrangement, first_due_date=today() + timedelta(days=3), on=today())
    html = text(client.post(STATUS_URL, data))
    assert "Accordé" in html and "Prochaine mensualité : CHF 80.00" in html and "Échéancier" in html
    other = make_order()
    refused = arrangements.request_arrangement(order=other, monthly_amount=D("60"), email="a@b.ch", on=today())
    arrangements.refuse(arrangement=refused, reason="Revenus suffisants", on=today())
    html = text(client.post(STATUS_URL, {"request_reference": refused.reference, "reference": other.qr_reference}))
    assert "Refusé" in html and "Motif : Revenus suffisants" in html and "le recouvrement suit son cours" in html


def test_a_request_of_another_order_or_a_bad_reference_gets_a_neutral_message(client, order):
    arrangement = arrangements.request_arrangement(order=order, monthly_amount=D("80"), email="a@b.ch", on=today())
    other = make_order()
    response = client.post(STATUS_URL, {"request_reference": arrangement.reference, "reference": other.qr_reference})
    assert "Aucune demande d'arrangement ne correspond" in text(response) and response.context["arrangement"] is None
    response = client.post(STATUS_URL, {"request_reference": "AP-0000", "reference": order.qr_reference})
    assert "n'est pas valable" in response.context["form"].errors["request_reference"][0]
    forged = "eyJhIjoxfQ:1tXyZa:forged-signature"
    assert client.get(reverse("contraventions:arrangement_status_link", args=[forged])).status_code == 404


def test_the_status_lookups_are_rate_limited(client, order, settings):
    settings.LOOKUP_RATE_LIMIT = 2
    data = {"request_reference": "AP-2345-6789", "reference": order.qr_reference}
    for _ in range(2):
        assert client.post(STATUS_URL, data).status_code == 200
    response = client.post(STATUS_URL, data)
    assert response.status_code == 429 and "Trop de consultations" in text(response)


def test_request_references_are_read_however_they_are_typed():
    assert parse_request_reference(" ap 7k3m 9qxd ") == "AP-7K3M-9QXD"
    assert parse_request_reference("APQRSTUV") == "AP-APQR-STUV"  # a code may itself start with AP
    assert parse_request_reference("AP-7K3M-9QX0") is None  # 0 is never used
