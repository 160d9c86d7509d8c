"""PDFs: the one place that turns an HTML template into one (WeasyPrint), and the one response that serves one."""

from django.conf import settings
from django.core.files import File
from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header


def render_pdf(template_name: str, context: dict) -> bytes:
    """Every PDF of the portal is tagged PDF/UA-1 (eCH-0059 asks it of public bodies): WeasyPrint builds
    the structure tree from the HTML (headings, lists, tables with their headers, images with their
    `alt`), the language from `<html lang>` and the title, shown by readers, from `<title>`."""
    # Imported here: WeasyPrint is heavy and only the PDF paths need it.
    from weasyprint import HTML

    html = render_to_string(template_name, {"office": settings.OFFICE, **context})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


def pdf_response(pdf: bytes | File, filename: str, *, inline: bool = False) -> HttpResponse:
    """A PDF to download (or to open in the browser), never kept by a shared cache: documents
    carry personal data, and some (extracts) their access key. A stored file is streamed."""
    if isinstance(pdf, File):
        response = FileResponse(pdf.open("rb"), content_type="application/pdf")
    else:
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Cache-Control"] = "private, no-store"
    return response
