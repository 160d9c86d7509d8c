"""The one place that turns an HTML template into a PDF (WeasyPrint)."""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    # Imported here: WeasyPrint is heavy and only the PDF paths need it.
    from weasyprint import HTML

    html = render_to_string(template_name, {"office": settings.OFFICE, **context})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
