"""The printed payment part of a QR-bill, laid out by the portal to the Swiss Payment Standards'
style guide (templates/pdf/includes/payment_part.html): `qrbill` makes and checks the payload; its own
drawing is 90-dpi SVG whose sizes and boxes are not the style guide's, so it only serves the screen.
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
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
