"""QR codes (not QR-bills) as data URIs: SVG for web pages (phone hand-off links), PNG for PDFs
(the verification link printed on extracts)."""

import base64
import io

import qrcode
import qrcode.image.svg


def qr_png_data_uri(text: str) -> str:
    """For PDFs: WeasyPrint places a PNG several times faster than it draws an SVG."""
    image = qrcode.make(text, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def qr_svg_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
