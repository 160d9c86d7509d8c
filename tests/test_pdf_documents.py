"""Every kind of PDF the portal makes, rendered through its real code path, is accessible and fits
the page: tagged PDF/UA-1 (structure tree with headings, tables whose cells name their headers,
images with a text alternative), the language fr-CH, a title; A4 pages whose text stays 10 mm from
the paper's edges (a printer with normal margins clips nothing), except the QR-bill's payment part,
the bottom 105 mm of a bill page, which the style guide draws to 5 mm from the edges."""

import io
import logging
from datetime import date, timedelta
from decimal import Decimal as D

import pdfplumber
import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from contraventions import arrangements, conversion, recovery
from contraventions.constants import MotifConversion
from contraventions.documents import schedule_pdf
from extraits import services as extracts
from extraits.rendering import render_extract_pdf
from ocp_portal.dates import today
from paiements.links import checkout_path, qr_bill_token
from poursuites import services as register
from poursuites.constants import EtatNonDivulgation, EventType, PoursuiteStatus
from poursuites.non_divulgation import letters
from tests.contraventions.conftest import make_order, reload
from tests.extraits.conftest import order as order_extract
from tests.factories import CompanyFactory, PersonFactory, make_poursuite
from tests.poursuites.test_non_divulgation import demande_in, make_account, opposed_poursuite
from tests.poursuites.test_requisition_form import (
    CREDITOR,
    DEBTOR,
    REPRESENTATIVE,
    URLS,
    claims_data,
    creditor_data,
    fill,
)

pytestmark = pytest.mark.django_db

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
PRINTABLE = (10 * MM, 200 * MM)  # left and right limits of the text, from the paper's left edge
PRINTABLE_TOP, PRINTABLE_BOTTOM = 10 * MM, 287 * MM
PAYMENT_PART_HEIGHT = 105 * MM
PAYMENT_PART = (5 * MM, 205 * MM)
TOLERANCE = 0.5  # pt: rounding of glyph boxes
VISA_DEBIT = "4000 0566 5566 5556"
LONG_CREDITOR = "Caisse cantonale genevoise de compensation des allocations familiales et de l'assurance-maternité"


# --- What every document must be ---------------------------------------------------------------


@pytest.fixture(autouse=True)
def _weasyprint_reports_no_error(caplog):
    """WeasyPrint logs an error, and still writes the PDF, for an image without `alt`, a document
    without `lang`, or a resource it could not load."""
    yield
    weasyprint = [record for record in caplog.records if record.name.startswith("weasyprint")]
    assert not [record.getMessage() for record in weasyprint if record.levelno >= logging.ERROR]


def structure_elements(reader: PdfReader) -> list[DictionaryObject]:
    """The elements of the structure tree, depth first."""
    elements, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while stack:
        kids = stack.pop().get("/K")
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            kid = kid.get_object() if kid is not None else None
            if isinstance(kid, DictionaryObject) and "/S" in kid:
                elements.append(kid)
                stack.append(kid)
    return elements


def assert_accessible(pdf: bytes, *, title: str) -> list[str]:
    """Tagged PDF/UA-1 with its language, title, headings, table headers and text alternatives;
    returns the structure types found, for the checks of each document."""
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "fr-CH"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True  # readers show the title, not the file name
    assert title in (reader.metadata.title or "")
    assert b'pdfuaid:part="1"' in catalog["/Metadata"].get_object().get_data()

    elements = structure_elements(reader)
    kinds = [element["/S"] for element in elements]
    assert "/H1" in kinds
    for figure in (element for element in elements if element["/S"] == "/Figure"):
        assert str(figure.get("/Alt", "")).strip(), "an image without a text alternative"
    for cell in (element for element in elements if element["/S"] == "/TD"):
        assert cell["/A"].get("/Headers"), "a table cell that names no header (a layout table, or <th> without scope)"
    return kinds


def assert_fits_a4(pdf: bytes) -> int:
    """A4 pages; text and drawings inside the printable area, the payment part within its own 5 mm.
    Returns the number of pages."""
    problems = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, 1):
            assert (page.width, page.height) == pytest.approx(A4, abs=TOLERANCE), f"page {number} is not A4"
            bill_top = page.height - PAYMENT_PART_HEIGHT if page.search("Récépissé") else page.height
            for char in page.chars:
                if char["text"].isspace():
                    continue
                in_bill = char["top"] >= bill_top - TOLERANCE
                left, right = PAYMENT_PART if in_bill else PRINTABLE
                bottom = page.height - 5 * MM if in_bill else PRINTABLE_BOTTOM
                if not (
                    char["x0"] >= left - TOLERANCE
                    and char["x1"] <= right + TOLERANCE
                    and char["top"] >= PRINTABLE_TOP - TOLERANCE
                    and char["bottom"] <= bottom + TOLERANCE
                ):
                    problems.append(
                        f"page {number}: {char['text']!r} at x {char['x0'] / MM:.1f}-{char['x1'] / MM:.1f} mm, "
                        f"y {char['top'] / MM:.1f}-{char['bottom'] / MM:.1f} mm"
                    )
            for shape in (*page.rects, *page.lines, *page.images):
                if shape["bottom"] >= bill_top - TOLERANCE:
                    continue  # the payment part's cutting lines and scissors run from edge to edge
                if shape["x0"] < PRINTABLE[0] - TOLERANCE or shape["x1"] > PRINTABLE[1] + TOLERANCE:
                    problems.append(
                        f"page {number}: a {shape['object_type']} at x {shape['x0'] / MM:.1f}-{shape['x1'] / MM:.1f} mm"
                    )
        pages = len(document.pages)
    assert not problems, "outside the printable area:\n" + "\n".join(problems[:20])
    return pages


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


# --- The extract -------------------------------------------------------------------------------


def test_the_issued_extract(account, django_capture_on_commit_callbacks):
    jeanne = PersonFactory(name="Dupont", first_name="Jeanne", birth_date=date(1980, 5, 17))
    poursuite = make_poursuite(debtor=jeanne, claim=D("1234567.85"), notified_on=today() - timedelta(days=40))
    poursuite.creditor.name = LONG_CREDITOR
    poursuite.creditor.save()
    extract_request = order_extract(account)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        extracts.mark_paid(extract_request, payment_reference="test-payment")
    extract_request.refresh_from_db()
    document = extract_request.current_document
    with document.pdf.open("rb") as handle:
        pdf = handle.read()

    kinds = assert_accessible(pdf, title=f"Extrait du registre des poursuites {document.reference}")
    assert {"/H2", "/Table", "/TH", "/TD", "/Figure"} <= set(kinds)
    assert assert_fits_a4(pdf) == 1
    assert "1'234'567.85" in page_texts(pdf)[0]


def extract_of(rows: int) -> dict:
    """The content of an extract (extraits.content.extract_content's shape) with `rows` poursuites,
    each as wide as a row gets: a long creditor's name, a 7-digit amount, the longest status."""
    longest_status = max((str(status.label) for status in PoursuiteStatus), key=len)
    return {
        "issued_at": timezone.now().isoformat(),
        "subject": {
            "kind": "physique",
            "name": "Dupont",
            "first_name": "Jeanne",
            "birth_date": "1980-05-17",
            "uid": "",
            "address_lines": ["Rue de Carouge 12", "1205 Genève"],
        },
        "is_company": False,
        "registered": True,
        "poursuites": [
            {
                "number": f"{10000000 + index} W",
                "date": "2026-02-03",
                "creditor": LONG_CREDITOR if index % 2 else "Régie du Rhône SA",
                "amount": "9999999.95",
                "status": longest_status if index % 3 else str(PoursuiteStatus.NOTIFIEE.label),
            }
            for index in range(rows)
        ],
        "adb_count": 2,
        "adb_total": "4321.00",
        "has_entry": True,
    }


def test_an_extract_of_500_poursuites_stays_inside_the_margins_and_repeats_the_table_header():
    pdf = render_extract_pdf(extract_of(500), reference="EX-2027-ABCD-EFGH", access_key="K7M2-P9Q4-X3R8-T6W2")
    kinds = assert_accessible(pdf, title="Extrait du registre des poursuites EX-2027-ABCD-EFGH")
    pages = assert_fits_a4(pdf)
    texts = page_texts(pdf)
    assert pages > 10
    for text in texts:  # the header of the table on every page, the rows never split across two
        assert "Numéro" in text and "Statut" in text
    assert sum(text.count("9'999'999.95") for text in texts) == 500
    assert kinds.count("/TR") >= 500 + pages


# --- Receipts, letters, forms ------------------------------------------------------------------


def pay_by_card(client, purpose: str, reference: str, capture, **form):
    """Through the payment page and the sandbox PSP, as a payer does; returns the e-mailed receipt."""
    url = checkout_path(purpose, reference)
    data = {"choice": "solde", "email": "payeur@example.ch", "accept": "on", **form}
    to_psp = client.post(url, data)
    assert to_psp.status_code == 302, to_psp.content.decode()
    card = {"number": VISA_DEBIT, "expiry": "12/30", "security_code": "123", "holder": "Léa Rochat"}
    with capture(execute=True):
        client.post(to_psp["Location"], card)
    (receipt,) = [message for message in mail.outbox if message.subject.startswith("Quittance")]
    (attachment,) = receipt.attachments
    return attachment[1]


@pytest.mark.parametrize("dossier", ["poursuite", "ordonnance_penale"])
def test_the_receipt_of_a_card_payment(client, dossier, django_capture_on_commit_callbacks):
    if dossier == "poursuite":
        reference = make_poursuite(notified_on=today() - timedelta(days=30)).reference
        form = {"choice": "acompte", "instalment": "100"}
    else:
        reference, form = make_order().qr_reference, {}
    pdf = pay_by_card(client, dossier, reference, django_capture_on_commit_callbacks, **form)
    kinds = assert_accessible(pdf, title="Quittance de paiement")
    assert {"/Table", "/TH", "/TD"} <= set(kinds)
    assert assert_fits_a4(pdf) == 1


def test_the_non_divulgation_letter_to_the_creditor(django_user_model):
    poursuite = opposed_poursuite()
    poursuite.creditor.name = LONG_CREDITOR
    poursuite.creditor.save()
    demande = demande_in(poursuite, make_account(django_user_model), EtatNonDivulgation.INTERPELLATION_A_NOTIFIER)
    assert letters.render_letter(demande.pk)
    demande.refresh_from_db()
    with demande.letter.open("rb") as handle:
        pdf = handle.read()
    kinds = assert_accessible(pdf, title=f"poursuite n° {poursuite.reference}")
    assert {"/Table", "/TH", "/TD", "/L"} <= set(kinds)
    assert assert_fits_a4(pdf) <= 2


def test_the_requisition_with_ten_long_claims(client):
    long_title = "Loyer et charges de l'appartement de 4 pièces, 3e étage, rue de Carouge 12, 1205 Genève"[:80]
    claims = [
        {"amount": f"{123456 + index}.50", "rate": "5", "interest_from": "2025-01-31", "title": long_title}
        for index in range(10)
    ]
    fill(
        client,
        debtor={**DEBTOR, "name": LONG_CREDITOR[:60]},
        creditor=creditor_data(REPRESENTATIVE, name=CREDITOR["name"]),
        claims=claims_data(*claims),
        notes="Gage : néant. " * 30,
    )
    response = client.get(URLS["pdf"])
    assert response.status_code == 200
    pdf = response.content
    kinds = assert_accessible(pdf, title="Réquisition de poursuite")
    assert {"/H2", "/Table", "/TH", "/TD", "/Figure"} <= set(kinds)
    assert assert_fits_a4(pdf) >= 2


# --- QR-bills ----------------------------------------------------------------------------------


def _poursuite():
    return "poursuite", make_poursuite(notified_on=today() - timedelta(days=30)).reference


def _adb():
    poursuite = make_poursuite(notified_on=today() - timedelta(days=200), claim=D("2000.00"))
    start = poursuite.notification_date
    for step, days in ((EventType.CONTINUATION, 30), (EventType.AVIS_SAISIE, 40), (EventType.SAISIE_EXECUTEE, 50)):
        register.record_event(poursuite=poursuite, type=step, on=start + timedelta(days=days))
    return "adb", register.issue_adb(poursuite=poursuite, on=start + timedelta(days=100), amount=D("1500.00")).reference


def _penal_order():
    return "ordonnance_penale", make_order(fine=D("120")).qr_reference


def _conversion_order():
    abroad = PersonFactory(country="FR", postal_code="74100", town="Annemasse")
    order = make_order(fine=D("250"), notified_on=today() - timedelta(days=200), offender=abroad)
    recovery.send_reminder(order=order, on=today() - timedelta(days=150))
    issued = conversion.issue_conversion(orders=[reload(order)], ground=MotifConversion.SANS_ADRESSE, on=today())
    return "ordonnance_penale", issued.qr_reference


@pytest.mark.parametrize("dossier", [_poursuite, _adb, _penal_order, _conversion_order], ids=lambda f: f.__name__[1:])
def test_the_qr_bill(client, dossier):
    purpose, reference = dossier()
    response = client.get(reverse("paiements:qr_bill_pdf", args=[qr_bill_token(purpose, reference, today())]))
    assert response.status_code == 200
    pdf = response.content
    assert_accessible(pdf, title="Facture QR")
    assert assert_fits_a4(pdf) == 1
    assert "Récépissé" in page_texts(pdf)[0]


def schedule(fine: str):
    order = make_order(fine=D(fine), offender=CompanyFactory(name=LONG_CREDITOR))
    request = arrangements.request_arrangement(order=order, monthly_amount=D("50"), email="a@example.ch", on=today())
    accepted = arrangements.accept(arrangement=request, first_due_date=today() + timedelta(days=5), on=today())
    return accepted, schedule_pdf(accepted)


def test_the_instalment_schedule(db):
    arrangement, pdf = schedule("900")  # with CHF 500 of émoluments: 28 instalments of CHF 50
    kinds = assert_accessible(pdf, title="Échéancier")
    assert {"/Table", "/TH", "/TD"} <= set(kinds)
    pages = assert_fits_a4(pdf)
    bills = sum("Récépissé" in text for text in page_texts(pdf))
    assert bills == arrangement.instalments.count() == 28
    assert pages - bills == 2  # the table of 28 instalments, on pages with the document's margins


def test_a_schedule_of_60_instalments_keeps_its_table_inside_the_margins(db):
    arrangement, pdf = schedule("2500")  # CHF 3000: 60 instalments, the most an arrangement has
    assert arrangement.instalments.count() == 60
    assert_fits_a4(pdf)


@pytest.mark.parametrize("reference", ["AEL-9Z9QUMMM6WP", "AEL-WWMMWWMMWWM"])
def test_an_extract_with_a_wide_reference_keeps_its_verification_link_inside_the_margins(reference):
    """The link under the QR code ends with the reference, one unbreakable word: it must wrap, not run
    off the page (AEL-9Z9QUMMM6WP, drawn at random by CI, reached 200.7 mm)."""
    pdf = render_extract_pdf(extract_of(1), reference=reference, access_key="MWMWMWMWMWMWMWM")
    assert_fits_a4(pdf)
