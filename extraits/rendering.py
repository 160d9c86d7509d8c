"""The extract's PDF: WeasyPrint over templates/pdf/extrait.html."""

from django.urls import reverse

from ocp_portal.links import absolute_url
from ocp_portal.pdf import render_pdf
from ocp_portal.qrcodes import qr_png_data_uri

from .content import for_display


def verification_url(reference: str) -> str:
    """The public verification page with the reference filled in (the QR code on the PDF)."""
    return absolute_url(reverse("extraits:verify"), reference=reference)


def render_extract_pdf(content: dict, *, reference: str, access_key: str) -> bytes:
    url = verification_url(reference)
    context = {"content": for_display(content), "reference": reference, "access_key": access_key, "verify_url": url}
    context["verify_qr"] = qr_png_data_uri(url)
    return render_pdf("pdf/extrait.html", context)
