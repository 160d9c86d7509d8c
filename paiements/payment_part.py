"""The payment part of a QR-bill, laid out by the portal to the Swiss Payment Standards' style guide:
printed in the PDFs (templates/pdf/includes/payment_part.html, real tagged text) and drawn as an SVG
picture for the lookup pages (`screen_svg`, the same geometry). `qrbill` makes and checks the payload;
its own drawing is 90-dpi SVG whose sizes and boxes are not the style guide's.
"""

import base64
import io
from dataclasses import dataclass

import qrcode
import qrcode.constants
from PIL import ImageDraw
from qrbill import QRBill
from qrbill.bill import format_amount, format_ref_number, wrap_infos
from stdnum import iban

# The Swiss cross drawn in a 19.8-unit square, as the standard's logo (and qrbill) draw it: a white
# square, a black square inset, a white cross. The whole logo is 7 x 7 mm on a 46 x 46 mm code.
CROSS_UNITS = 19.8
CROSS_BLACK = (1.4, 18.4)
CROSS_BARS = ((8.3, 4.0, 11.6, 15.0), (4.4, 7.9, 15.4, 11.2))
CROSS_SHARE = 7 / 46
PIXELS_PER_MODULE = 12  # 46 mm over at most 85 modules: at least 560 dpi, crisp when printed


@dataclass(frozen=True)
class PaymentPart:
    account: str
    creditor: list[str]
    reference: str
    additional_information: list[str]
    currency: str
    amount: str  # "" when the payer fills it in
    qr_code_uri: str  # PNG with its Swiss cross, to print 46 x 46 mm


def payment_part(bill: QRBill) -> PaymentPart:
    return PaymentPart(
        account=iban.format(bill.account),
        creditor=list(bill.creditor.as_paragraph()),
        reference=format_ref_number(bill),
        additional_information=list(wrap_infos([bill.additional_information])) if bill.additional_information else [],
        currency=bill.currency,
        amount=format_amount(bill.amount) if bill.amount else "",
        qr_code_uri=qr_code_uri(bill.qr_data()),
    )


def qr_code_uri(payload: str) -> str:
    """The Swiss QR code of `payload` (error correction M, no quiet zone: the layout gives the 5 mm
    around it) with the Swiss cross in its middle, as a PNG data: URI."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=PIXELS_PER_MODULE, border=0)
    code.add_data(payload)
    image = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    size = image.size[0]
    unit = size * CROSS_SHARE / CROSS_UNITS
    origin = (size - CROSS_UNITS * unit) / 2
    draw = ImageDraw.Draw(image)

    def box(x0, y0, x1, y1):
        return [origin + x0 * unit, origin + y0 * unit, origin + x1 * unit - 1, origin + y1 * unit - 1]

    draw.rectangle(box(0, 0, CROSS_UNITS, CROSS_UNITS), fill=255)
    draw.rectangle(box(CROSS_BLACK[0], CROSS_BLACK[0], CROSS_BLACK[1], CROSS_BLACK[1]), fill=0)
    for bar in CROSS_BARS:
        draw.rectangle(box(*bar), fill=255)
    buffer = io.BytesIO()
    # Not optimized: WeasyPrint decodes it and encodes it again into the PDF, so optimizing (12 of the
    # 30 ms a code took) only saved some 600 bytes on the lookup page's picture.
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


# --- The same payment part as an SVG picture, for the screen (the lookup pages) ------------------
PT = 25.4 / 72  # mm per point: the SVG's user unit is the millimetre


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    size: float  # mm
    bold: bool
    text: str
    anchor: str = "start"


def _column(x: float, top: float, heading_pt: float, value_pt: float, line_pt: float, sections) -> tuple:
    """Headings and values one line apart, an empty line between sections; (texts, next free y)."""
    texts, y = [], top
    for index, (heading, values) in enumerate(sections):
        if index:
            y += line_pt * PT
        y += line_pt * PT
        texts.append(Text(x, y - 0.25 * line_pt * PT, heading_pt * PT, True, heading))
        for value in values:
            y += line_pt * PT
            texts.append(Text(x, y - 0.25 * line_pt * PT, value_pt * PT, False, value))
    return texts, y


def _box(x: float, y: float, width: float, height: float) -> str:
    """The corner marks (3 x 2 mm) of a box to fill in by hand, as one SVG path."""
    return (
        f"M{x},{y + 2}V{y}H{x + 3} M{x + width - 3},{y}H{x + width}V{y + 2} "
        f"M{x},{y + height - 2}V{y + height}H{x + 3} M{x + width - 3},{y + height}H{x + width}V{y + height - 2}"
    )


def screen_svg(part: PaymentPart) -> str:
    """The payment part drawn as the printed one is laid out (210 x 105 mm, the same sizes and boxes)."""
    from django.template.loader import render_to_string
    from django.utils.translation import gettext as _

    account = (_("Compte / Payable à"), [part.account, *part.creditor])
    reference = [(_("Référence"), [part.reference])] if part.reference else []
    information = (
        [(_("Informations supplémentaires"), part.additional_information)] if part.additional_information else []
    )
    payer = (_("Payable par (nom/adresse)"), [])
    receipt, receipt_end = _column(5, 12, 6, 8, 9, [account, *reference, payer])
    payment, payment_end = _column(118, 5, 8, 10, 11, [account, *reference, *information, payer])
    texts = [
        Text(5, 10.5, 11 * PT, True, _("Récépissé")),
        Text(67, 10.5, 11 * PT, True, _("Section paiement")),
        *receipt,
        *payment,
        Text(5, 71, 6 * PT, True, _("Monnaie")),
        Text(17, 71, 6 * PT, True, _("Montant")),
        Text(5, 74.2, 8 * PT, False, part.currency),
        Text(17, 74.2, 8 * PT, False, part.amount),
        Text(57, 85, 6 * PT, True, _("Point de dépôt"), anchor="end"),
        Text(67, 71.5, 8 * PT, True, _("Monnaie")),
        Text(80, 71.5, 8 * PT, True, _("Montant")),
        Text(67, 75.4, 10 * PT, False, part.currency),
        Text(80, 75.4, 10 * PT, False, part.amount),
    ]
    boxes = [_box(5, receipt_end + 1, 52, 20), _box(118, payment_end + 1, 65, 25)]
    return render_to_string("paiements/payment_part.svg", {"part": part, "texts": texts, "boxes": boxes})
