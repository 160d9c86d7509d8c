"""Every printed QR-bill measured on the PDF itself (pdfplumber) against the Swiss Payment Standards'
style guide: the payment part 210 x 105 mm at the bottom of an A4 page, its separation lines at 105 mm
from the bottom and 62 mm from the left, the QR code 46 x 46 mm with its Swiss cross, Liberation Sans
(Arial's metrics) at the guide's sizes, and the boxes to fill in by hand at their size, over no text."""

import re
from datetime import timedelta
from decimal import Decimal as D
from io import BytesIO

import pdfplumber
import pytest
import zxingcpp
from django.urls import reverse

from contraventions import arrangements, conversion, recovery
from contraventions.constants import MotifConversion
from contraventions.documents import schedule_pdf
from ocp_portal.dates import today
from paiements.links import qr_bill_token
from tests.contraventions.conftest import make_order, reload
from tests.factories import PersonFactory
from tests.paiements.test_qr_bills import BILLED

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points per millimetre
TOP = 297 - 105  # the payment part's top edge, in mm from the top of the page
TOLERANCE = 0.2  # mm
FONTS = re.compile(r"(Liberation-?Sans|Arial|Helvetica|Frutiger)", re.IGNORECASE)
# (part, bold) -> the style guide's size in points; the titles are 11 pt bold.
SIZES = {("receipt", True): 6, ("receipt", False): 8, ("payment", True): 8, ("payment", False): 10}
TITLES = {"Récépissé", "Section paiement"}


def mm(points: float) -> float:
    return points / MM


def bill_by_link(client, code: str):
    make, _pay = BILLED[code]
    _obj, reference = make()
    response = client.get(reverse("paiements:qr_bill_pdf", args=[qr_bill_token(code, reference, today())]))
    assert response.status_code == 200
    return response.content


def conversion_order_bill(client):
    offender = PersonFactory(country="FR", postal_code="74100", town="Annemasse")
    order = make_order(fine=D("250"), notified_on=today() - timedelta(days=200), offender=offender)
    recovery.send_reminder(order=order, on=today() - timedelta(days=150))
    issued = conversion.issue_conversion(orders=[reload(order)], ground=MotifConversion.SANS_ADRESSE, on=today())
    response = client.get(
        reverse("paiements:qr_bill_pdf", args=[qr_bill_token("ordonnance_penale", issued.qr_reference, today())])
    )
    assert response.status_code == 200
    return response.content


def schedule(client):
    order = make_order(fine=D("120"))
    request = arrangements.request_arrangement(order=order, monthly_amount=D("100"), email="a@example.ch", on=today())
    accepted = arrangements.accept(arrangement=request, first_due_date=today() + timedelta(days=5), on=today())
    return schedule_pdf(accepted)


DOCUMENTS = {
    "poursuite": lambda client: bill_by_link(client, "poursuite"),
    "adb": lambda client: bill_by_link(client, "adb"),
    "ordonnance-penale": lambda client: bill_by_link(client, "ordonnance_penale"),
    "ordonnance-de-conversion": conversion_order_bill,
    "echeancier": schedule,
}


def bill_pages(pdf) -> list:
    """The pages that carry a payment part (the schedule's first page lists the instalments only)."""
    return [page for page in pdf.pages if any(word["text"] == "Récépissé" for word in page.extract_words())]


@pytest.fixture(params=sorted(DOCUMENTS))
def pages(request, client):
    content = DOCUMENTS[request.param](client)
    pdf = pdfplumber.open(BytesIO(content))
    request.addfinalizer(pdf.close)
    found = bill_pages(pdf)
    assert found, "no payment part found"
    if request.param == "echeancier":
        assert len(found) == 3  # one bill per instalment (CHF 220 in instalments of CHF 100)
    return found


def test_the_page_is_a4_and_the_separation_lines_stand_at_105_and_62_mm(pages):
    for page in pages:
        assert (round(mm(page.width)), round(mm(page.height))) == (210, 297)
        strokes = [*page.rects, *page.lines]
        horizontal = [s for s in strokes if mm(s["width"]) > 209 and mm(s["height"]) < 0.5]
        vertical = [s for s in strokes if mm(s["height"]) > 104 and 0 < mm(s["width"]) < 0.5]
        assert len(horizontal) == 1 and len(vertical) == 1
        (line,), (upright,) = horizontal, vertical
        assert mm(line["top"] + line["bottom"]) / 2 == pytest.approx(TOP, abs=TOLERANCE)  # 105 mm above the bottom
        assert mm(line["bottom"] - line["top"]) == pytest.approx(mm(0.75), abs=0.05)  # 0.75 pt thick
        assert mm(upright["x0"] + upright["x1"]) / 2 == pytest.approx(62, abs=TOLERANCE)
        assert mm(upright["top"]) == pytest.approx(TOP, abs=TOLERANCE)
        assert mm(upright["bottom"]) == pytest.approx(297, abs=TOLERANCE)


def test_the_qr_code_is_46_mm_square_5_mm_inside_the_payment_part_with_its_swiss_cross(pages):
    for page in pages:
        codes = [image for image in page.images if mm(image["top"]) > TOP]
        assert len(codes) == 1
        (code,) = codes
        assert mm(code["width"]) == pytest.approx(46, abs=0.1) and mm(code["height"]) == pytest.approx(46, abs=0.1)
        assert mm(code["x0"]) == pytest.approx(62 + 5, abs=TOLERANCE)
        assert mm(code["top"]) == pytest.approx(TOP + 5 + 7 + 5, abs=TOLERANCE)  # margin, title, margin
        # The cross: a black square of 17/19.8 of 7 mm (a white edge around it), a white cross inside.
        dpi = 600
        picture = page.crop((code["x0"], code["top"], code["x1"], code["bottom"])).to_image(resolution=dpi).original
        picture = picture.convert("L")
        per_mm = picture.width / 46
        centre = picture.width // 2
        assert picture.getpixel((centre, centre)) > 200  # the white cross
        row = int(centre + 2.6 * per_mm)  # below the cross's arms, through the black square
        start = end = centre
        while picture.getpixel((start - 1, row)) < 100:
            start -= 1
        while picture.getpixel((end + 1, row)) < 100:
            end += 1
        assert (end - start + 1) / per_mm == pytest.approx(7 * 17 / 19.8, abs=0.2)
        assert picture.getpixel((int(end + 0.25 * per_mm), row)) > 200  # its white edge
        assert ((start + end) / 2 - centre) / per_mm == pytest.approx(0, abs=0.2)


def test_the_printed_code_reads_back_as_the_bill_it_prints(pages):
    """Decoded from the printed page (zxing-cpp, 300 dpi): the Swiss QR code's payload carries the
    account and the reference that the payment part prints beside it."""
    for page in pages:
        (code,) = [image for image in page.images if mm(image["top"]) > TOP]
        margin = 4 * MM  # the quiet zone the layout leaves around the code
        region = (code["x0"] - margin, code["top"] - margin, code["x1"] + margin, code["bottom"] + margin)
        picture = page.crop(region).to_image(resolution=300).original
        (decoded,) = zxingcpp.read_barcodes(picture)
        fields = decoded.text.split("\r\n")
        assert fields[:3] == ["SPC", "0200", "1"] and fields[27] == "QRR"
        printed = "".join(word["text"] for word in page.extract_words() if mm(word["top"]) > TOP)
        assert fields[3] in printed.replace(" ", "")  # the account (QR-IBAN)
        assert fields[28] in printed.replace(" ", "")  # the reference
        assert fields[18] in printed.replace(" ", "")  # the amount


def _part(char) -> str:
    return "receipt" if mm(char["x1"]) <= 62 else "payment"


def test_the_text_is_liberation_sans_at_the_style_guide_sizes(pages):
    for page in pages:
        chars = [char for char in page.chars if mm(char["top"]) > TOP and char["text"].strip()]
        assert chars
        words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=True)
        titles = {word["text"]: word for word in words if mm(word["top"]) > TOP and word["text"] in TITLES}
        assert set(titles) == TITLES
        for title in titles.values():
            assert round(title["size"], 1) == 11 and "Bold" in title["fontname"]
        title_tops = {round(title["top"], 1) for title in titles.values()}
        for char in chars:
            assert FONTS.search(char["fontname"]), char["fontname"]
            if round(char["top"], 1) in title_tops and round(char["size"], 1) == 11:
                continue
            bold = "Bold" in char["fontname"]
            expected = SIZES[_part(char), bold]
            assert round(char["size"], 1) == expected, (char["text"], _part(char), bold, char["size"])


def _boxes(page) -> dict[str, tuple[float, float, float, float]]:
    """The boxes to fill in by hand, from their corner marks (3 x 2 mm): part -> (x0, top, x1, bottom) in mm."""
    corners = [
        rect
        for rect in page.rects
        if mm(rect["top"]) > TOP and 2.9 < mm(rect["width"]) < 3.4 and 1.9 < mm(rect["height"]) < 2.4
    ]
    boxes = {}
    for part in ("receipt", "payment"):
        marks = [rect for rect in corners if _part(rect) == part]
        assert marks, f"no box in the {part}"
        boxes[part] = (
            mm(min(r["x0"] for r in marks)),
            mm(min(r["top"] for r in marks)),
            mm(max(r["x1"] for r in marks)),
            mm(max(r["bottom"] for r in marks)),
        )
    return boxes


def test_the_payer_boxes_have_the_style_guide_size_and_cover_no_text(pages):
    for page in pages:
        boxes = _boxes(page)
        for part, (width, height) in {"receipt": (52, 20), "payment": (65, 25)}.items():
            x0, top, x1, bottom = boxes[part]
            assert x1 - x0 == pytest.approx(width, abs=0.3) and bottom - top == pytest.approx(height, abs=0.3)
            inside = [
                char["text"]
                for char in page.chars
                if mm(char["x1"]) > x0 and mm(char["x0"]) < x1 and mm(char["bottom"]) > top and mm(char["top"]) < bottom
            ]
            assert inside == [], f"text under the {part}'s box: {''.join(inside)}"


def test_the_receipt_and_payment_part_keep_their_5_mm_margins(pages):
    for page in pages:
        for char in page.chars:
            if mm(char["top"]) <= TOP:
                continue
            assert mm(char["bottom"]) <= 297 - 5 + TOLERANCE
            assert mm(char["top"]) >= TOP + 5 - 1  # the titles' line box starts at the 5 mm margin
            if _part(char) == "receipt":
                assert mm(char["x0"]) >= 5 - TOLERANCE and mm(char["x1"]) <= 62 - 5 + TOLERANCE
            else:
                assert mm(char["x0"]) >= 62 + 5 - TOLERANCE and mm(char["x1"]) <= 210 - 5 + TOLERANCE


@pytest.mark.parametrize("code", sorted(BILLED))
def test_the_picture_on_the_lookup_pages_has_the_same_layout(client, code):
    """The SVG shown on screen: 210 x 105 mm in millimetre units, the guide's type sizes, the QR code
    46 mm at its place, the boxes at their size over no text, and the bill's account and reference."""
    from xml.etree import ElementTree

    make, _pay = BILLED[code]
    obj, reference = make()
    response = client.get(reverse("paiements:qr_bill_svg", args=[qr_bill_token(code, reference, today())]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    svg = ElementTree.fromstring(response.content)  # noqa: S314 - the portal's own SVG
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert (svg.get("viewBox"), svg.get("width"), svg.get("height")) == ("0 0 210 105", "210mm", "105mm")
    texts = [
        (float(t.get("x")), float(t.get("y")), float(t.get("font-size")), t.get("font-weight"), t.text)
        for t in svg.iterfind("svg:text", ns)
    ]
    sizes = {text: round(size / 25.4 * 72, 1) for _x, _y, size, _bold, text in texts}
    assert sizes["Récépissé"] == sizes["Section paiement"] == 11
    for x, _y, size, bold, _text in texts:
        if _text in TITLES:
            continue
        expected = SIZES["receipt" if x < 62 else "payment", bold == "bold"]
        assert round(size / 25.4 * 72, 1) == expected, _text
    (image,) = svg.iterfind("svg:image", ns)
    assert [float(image.get(key)) for key in ("x", "y", "width", "height")] == [67, 17, 46, 46]
    boxes = []
    for path in svg.iterfind("svg:path", ns):
        commands = re.findall(r"([MVH])([-\d.]+)(?:,([-\d.]+))?", path.get("d"))
        if len(commands) == 12:  # the corner marks of a box to fill in: 4 x (move, vertical, horizontal)
            xs = [float(a) for kind, a, _b in commands if kind in "MH"]
            ys = [float(a if kind == "V" else b) for kind, a, b in commands if kind in "MV"]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
    assert sorted(round(x1 - x0) * 100 + round(y1 - y0) for x0, y0, x1, y1 in boxes) == [52_20, 65_25]
    for x0, y0, x1, y1 in boxes:  # no text over a box (a line of text stands above its baseline)
        assert not [t for x, y, size, _b, t in texts if x0 <= x <= x1 and y0 < y + size * 0.25 and y - size < y1]
    assert obj.qr_reference[-5:] in "".join(t[4] for t in texts).replace(" ", "")
