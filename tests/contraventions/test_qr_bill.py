"""The QR-bills of the Service des contraventions: its own QR-IBAN and structured address, no
debtor (they are served by reference: a penal order names nobody to whoever types it), the QRR
reference; the PDF of an order and the instalment schedule."""

import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core import signing
from django.urls import reverse
from stdnum import iban

from contraventions import arrangements
from contraventions.documents import order_bill
from contraventions.lookup import lookup
from contraventions.models import Echeance
from ocp_portal import signed_links
from ocp_portal.dates import today
from tests.contraventions.conftest import make_order
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def qr_fields(bill) -> list[str]:
    return bill.qr_data().split("\r\n")


def test_the_bill_credits_the_service_qr_iban_with_its_structured_address_and_names_no_debtor(settings):
    offender = PersonFactory(name="Rochat", first_name="Léa", street="Rue de Carouge", house_number="12")
    order = make_order(fine=D("120"), offender=offender)
    fields = qr_fields(order_bill(lookup(order.qr_reference)))
    service = settings.CONTRAVENTIONS
    account = fields[3]
    assert account == service["qr_iban"] != settings.OFFICE_QR_IBAN
    assert iban.is_valid(account) and 30000 <= int(account[4:9]) <= 31999  # a QR-IBAN
    # Creditor: type S, name, street, number, postcode, town, country.
    assert fields[4:11] == ["S", service["creditor_name"], "Chemin de la Gravière", "5", "1227", "Les Acacias", "CH"]
    assert fields[18] == "220.00" and fields[19] == "CHF"
    assert fields[20:27] == [""] * 7  # no « Payable par »: the payer writes it by hand
    assert fields[27:29] == ["QRR", order.qr_reference]


def poppler(tool: str, *args: str) -> str:
    """Run a poppler-utils tool (pdftotext, pdfinfo) on our own PDF file."""
    executable = shutil.which(tool)
    if executable is None:
        pytest.skip(f"{tool} (poppler-utils) is missing")
    return subprocess.run([executable, *args], capture_output=True, text=True, check=True).stdout  # noqa: S603


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    return poppler("pdftotext", "-layout", str(path), "-")


def pdf_pages(content: bytes, tmp_path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(content)
    info = poppler("pdfinfo", str(path))
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_qr_bill_pdf_from_the_signed_link(client, tmp_path):
    order = make_order(fine=D("120"))
    token = signed_links.sign("order-qr-bill", {"o": order.pk})
    response = client.get(reverse("contraventions:qr_bill_pdf", args=[token]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content, tmp_path)
    assert "Service des contraventions" in text and "Chemin de la Gravière 5" in text
    assert "CHF 220.00" in text and "Récépissé" in text and "Section paiement" in text
    svg = client.get(reverse("contraventions:qr_bill_svg", args=[token]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(lambda: "forged", id="forged"),
        pytest.param(lambda: signing.dumps({"o": 1}, salt="other"), id="other-salt"),
    ],
)
def test_a_forged_link_is_a_404(client, token):
    token = token()  # signed when the test runs: a signature carries its time
    assert client.get(f"/contraventions/facture-qr/{token}.pdf").status_code == 404
    assert client.get(f"/contraventions/echeancier/{token}.pdf").status_code == 404


def test_no_qr_bill_once_paid(client, order):
    from contraventions import services

    token = signed_links.sign("order-qr-bill", {"o": order.pk})
    services.record_payment(order=order, on=today(), amount=D("220"))
    assert client.get(reverse("contraventions:qr_bill_pdf", args=[token])).status_code == 404


def test_the_schedule_has_one_qr_bill_per_unpaid_instalment(client, order, tmp_path):
    request = arrangements.request_arrangement(order=order, monthly_amount=D("100"), email="a@example.ch", on=today())
    accepted = arrangements.accept(arrangement=request, first_due_date=today() + timedelta(days=5), on=today())
    token = signed_links.sign("arrangement-schedule", {"a": accepted.pk})
    response = client.get(reverse("contraventions:schedule_pdf", args=[token]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert pdf_pages(response.content, tmp_path) == 1 + 3
    text = pdf_text(response.content, tmp_path)
    assert text.count("Récépissé") == 3
    for instalment in Echeance.objects.all():
        assert instalment.qr_reference[-5:] in text.replace(" ", "")


def test_the_public_schedule_link_is_gone_once_the_arrangement_is_broken(client, order):
    request = arrangements.request_arrangement(order=order, monthly_amount=D("100"), email="a@example.ch", on=today())
    accepted = arrangements.accept(arrangement=request, first_due_date=today() + timedelta(days=5), on=today())
    token = signed_links.sign("arrangement-schedule", {"a": accepted.pk})
    arrangements.declare_broken(arrangement=accepted, on=today())
    assert client.get(reverse("contraventions:schedule_pdf", args=[token])).status_code == 404


def test_the_public_pages_and_pdf_never_show_the_offender(client, tmp_path):
    order = make_order(offender=PersonFactory(name="Rochat", first_name="Léa", street="Rue de Carouge"))
    page = client.post(reverse("contraventions:pay"), {"reference": order.qr_reference}).content.decode()
    assert str(order.case_number) in page and "Rochat" not in page and "Rue de Carouge" not in page
    token = signed_links.sign("order-qr-bill", {"o": order.pk})
    pdf = client.get(reverse("contraventions:qr_bill_pdf", args=[token]))
    assert pdf.status_code == 200
    text = pdf_text(pdf.content, tmp_path)
    assert "Payable par" in text and "Rochat" not in text and "Rue de Carouge" not in text
