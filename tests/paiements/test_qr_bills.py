"""The QR-bill of every purpose, served by paiements alone: the issuer's QR-IBAN and structured
address, no debtor, the amount due and the QRR reference in the payload; a PDF headed by the issuer
and an SVG behind one signed link, which dies with the debt (404 once paid, forged or foreign)."""

import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse

from contraventions import arrangements
from contraventions import services as penal
from ocp_portal import signed_links
from ocp_portal.dates import today
from paiements.links import qr_bill_token
from paiements.purposes import registry
from paiements.qrbill import build_qr_bill
from poursuites import services as register
from poursuites.constants import EventType
from tests.contraventions.conftest import make_order
from tests.factories import make_poursuite

pytestmark = pytest.mark.django_db


def _poursuite():
    poursuite = make_poursuite(notified_on=today() - timedelta(days=30))
    return poursuite, poursuite.reference


def _adb():
    poursuite = make_poursuite(notified_on=today() - timedelta(days=200), claim=D("2000.00"))
    start = poursuite.notification_date
    for step, days in ((EventType.CONTINUATION, 30), (EventType.AVIS_SAISIE, 40), (EventType.SAISIE_EXECUTEE, 50)):
        register.record_event(poursuite=poursuite, type=step, on=start + timedelta(days=days))
    adb = register.issue_adb(poursuite=poursuite, on=start + timedelta(days=100), amount=D("1500.00"))
    return adb, adb.reference


def _order():
    order = make_order(fine=D("120"))
    return order, order.qr_reference


def _instalment():
    """The first instalment of a granted arrangement: CHF 100 of an order of CHF 400."""
    order = make_order(fine=D("250"))
    request = arrangements.request_arrangement(order=order, monthly_amount=D("100"), email="a@example.ch", on=today())
    instalment = arrangements.accept(arrangement=request, first_due_date=today(), on=today()).instalments.first()
    return instalment, instalment.qr_reference


def _pay_register(dossier, due):
    register.record_payment(target=dossier, on=today(), amount=due)


def _pay_order(order, due):
    penal.record_payment(order=order, on=today(), amount=due)


def _pay_instalment(instalment, due):
    penal.record_payment(order=instalment.arrangement.ordonnance, on=today(), amount=due)


# Each purpose that takes a QR-bill: (its object and reference, how its debt is paid in full).
BILLED = {
    "poursuite": (_poursuite, _pay_register),
    "adb": (_adb, _pay_register),
    "ordonnance_penale": (_order, _pay_order),
    "echeance_arrangement": (_instalment, _pay_instalment),
}
# Fees are paid in one go by card: no QR-bill.
FEES = {"extrait", "non_divulgation"}


def qr_fields(bill) -> list[str]:
    return bill.qr_data().split("\r\n")


def pdf_text(content: bytes, tmp_path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is missing")
    path = tmp_path / "bill.pdf"
    path.write_bytes(content)
    command = [pdftotext, "-layout", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603 - our own PDF


def test_every_purpose_is_covered_here():
    assert {code for code, _label in registry.choices()} == set(BILLED) | FEES


@pytest.mark.parametrize("code", sorted(FEES))
def test_a_fee_has_no_qr_bill(code):
    assert registry[code].qr_bill(object(), today()) is None


@pytest.mark.parametrize("code", sorted(BILLED))
def test_the_payload_credits_the_issuer_for_the_amount_due_and_names_no_debtor(code):
    purpose = registry[code]
    make, _pay = BILLED[code]
    obj, _reference = make()
    content = purpose.qr_bill(obj, today())
    assert content.amount == purpose.amount_due(obj, today()) > 0
    fields = qr_fields(
        build_qr_bill(
            amount=content.amount,
            reference=content.reference,
            additional_information=content.additional_information,
            issuer=purpose.issuer,
        )
    )
    issuer = purpose.issuer
    assert fields[3] == issuer.qr_iban and 30000 <= int(issuer.qr_iban[4:9]) <= 31999  # a QR-IBAN
    assert fields[4:11] == [
        "S",
        issuer.creditor_name or issuer.name,
        issuer.street,
        issuer.house_number,
        issuer.postal_code,
        issuer.town,
        "CH",
    ]
    assert fields[18:20] == [f"{content.amount:.2f}", "CHF"]
    assert fields[20:27] == [""] * 7  # no « Payable par »: the payer writes it by hand
    assert fields[27:29] == ["QRR", obj.qr_reference]


def test_each_service_bills_to_its_own_account(settings):
    assert registry["poursuite"].issuer.qr_iban == registry["adb"].issuer.qr_iban == settings.OFFICE_QR_IBAN
    penal = registry["ordonnance_penale"].issuer
    assert penal.qr_iban == settings.CONTRAVENTIONS["qr_iban"] != settings.OFFICE_QR_IBAN
    assert (penal.iban, penal.bic) == (settings.CONTRAVENTIONS["bank"]["iban"], "BCGECHGGXXX")


@pytest.mark.parametrize("code", sorted(BILLED))
def test_the_signed_link_serves_the_pdf_headed_by_the_issuer_and_the_svg(client, code, tmp_path):
    purpose = registry[code]
    make, _pay = BILLED[code]
    obj, reference = make()
    token = qr_bill_token(code, reference, today())
    response = client.get(reverse("paiements:qr_bill_pdf", args=[token]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment") and ".pdf" in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    issuer = purpose.issuer
    assert issuer.name in text and f"{issuer.street} {issuer.house_number}" in text
    assert "Récépissé" in text and "Section paiement" in text
    if issuer.iban:  # for transfers from abroad (the Service des contraventions publishes one)
        assert f"{issuer.iban} · BIC {issuer.bic}" in " ".join(text.split())
    assert f"{purpose.amount_due(obj, today()):,.2f}".replace(",", " ") in text
    other = {"poursuite": "Service des contraventions", "adb": "Service des contraventions"}.get(
        code, "Office cantonal des poursuites"
    )
    assert other not in text  # never another service's identity
    svg = client.get(reverse("paiements:qr_bill_svg", args=[token]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert svg["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("code", sorted(BILLED))
def test_the_link_dies_with_the_debt(client, code):
    make, pay = BILLED[code]
    obj, reference = make()
    token = qr_bill_token(code, reference, today())
    pay(obj, registry[code].amount_due(obj, today()))
    assert client.get(reverse("paiements:qr_bill_pdf", args=[token])).status_code == 404
    assert client.get(reverse("paiements:qr_bill_svg", args=[token])).status_code == 404


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(lambda: "forged", id="forged"),
        # Signed when the test runs (a signature carries its time).
        pytest.param(lambda: signed_links.sign("checkout", {"p": "poursuite", "r": "x", "d": "x"}), id="other-kind"),
        pytest.param(lambda: signed_links.sign("qr-bill", ["not", "a", "dict"]), id="signed-list"),
        pytest.param(lambda: signed_links.sign("qr-bill", {"p": "inconnu", "r": "1", "d": "2027-01-01"}), id="purpose"),
        pytest.param(lambda: signed_links.sign("qr-bill", {"p": "poursuite", "r": "x", "d": "2027-01-01"}), id="ref"),
        pytest.param(lambda: signed_links.sign("qr-bill", {"p": "poursuite", "r": "1", "d": "demain"}), id="date"),
        pytest.param(lambda: signed_links.sign("qr-bill", {"p": "extrait", "r": "1", "d": "2027-01-01"}), id="fee"),
    ],
)
def test_a_bad_link_is_a_404(client, token):
    token = token()
    for path in ("/paiements/facture-qr/{}.pdf", "/paiements/facture-qr/{}.svg"):  # by hand: some never reverse
        assert client.get(path.format(token)).status_code == 404
