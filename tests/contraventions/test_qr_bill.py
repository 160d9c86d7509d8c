"""The instalment schedule of the Service des contraventions (an order's own QR-bill is tested with
every purpose's in tests/paiements/test_qr_bills.py); no public document names the offender."""

import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core import signing
from django.urls import reverse

from contraventions import arrangements
from contraventions.models import Echeance
from ocp_portal import signed_links
from ocp_portal.dates import today
from paiements.links import qr_bill_token
from tests.contraventions.conftest import make_order
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(lambda: "forged", id="forged"),
        pytest.param(lambda: signing.dumps({"o": 1}, salt="other"), id="other-salt"),
    ],
)
def test_a_forged_link_is_a_404(client, token):
    token = token()  # signed when the test runs: a signature carries its time
    assert client.get(f"/contraventions/echeancier/{token}.pdf").status_code == 404


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
    pdf = client.get(
        reverse("paiements:qr_bill_pdf", args=[qr_bill_token("ordonnance_penale", order.qr_reference, today())])
    )
    assert pdf.status_code == 200
    text = pdf_text(pdf.content, tmp_path)
    assert "Payable par" in text and "Rochat" not in text and "Rue de Carouge" not in text
