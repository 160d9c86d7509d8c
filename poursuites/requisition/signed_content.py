"""Does a signed PDF show what its code says?

The creditor signs what the pages show, while the portal registers the code in the keywords. A PDF
made to show other amounts than its code carries would have the creditor "sign" a réquisition they
never read. So the text of the pages of the signed revision must be the text of the portal's own
rendering of the decoded payload: the same template, the same context, the date of the payload
(``document.document_context``), hence the same text. Whitespace is collapsed, so that a difference
of line breaking is no difference.

Only links and the signature's widget may be drawn over the pages: any other annotation (a text
box, a stamp) could cover what the text says.

The text is read with PDFium (pypdfium2: a few milliseconds, where pypdf takes half a second on the
vector QR code). PDFium is not thread-safe: one document at a time per process.
"""

import logging
import re
import threading

import pypdfium2
import pypdfium2.raw as pdfium_c

log = logging.getLogger(__name__)

ALLOWED_ANNOTATIONS = {pdfium_c.FPDF_ANNOT_LINK, pdfium_c.FPDF_ANNOT_WIDGET}
_SPACES = re.compile(r"\s+")
_PDFIUM = threading.Lock()


class _Annotated(Exception):
    """A page carries an annotation that could cover its text."""


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed; raises ``_Annotated`` if an annotation other than
    a link or a signature widget is drawn over a page."""
    with _PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            texts = []
            for page in document:
                for index in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
                    annotation = pdfium_c.FPDFPage_GetAnnot(page.raw, index)
                    subtype = pdfium_c.FPDFAnnot_GetSubtype(annotation)
                    pdfium_c.FPDFPage_CloseAnnot(annotation)
                    if subtype not in ALLOWED_ANNOTATIONS:
                        raise _Annotated(subtype)
                texts.append(_SPACES.sub(" ", page.get_textpage().get_text_range()).strip())
            return texts
        finally:
            document.close()


def shows(signed: bytes, rendered: bytes) -> bool:
    """Do the pages of `signed` (the signed revision) show the text of `rendered`, and nothing over it?
    Never raises on a stranger's file: an unreadable one shows nothing."""
    try:
        same = page_texts(signed) == page_texts(rendered)
    except _Annotated as annotated:
        log.info("signed content: an annotation of subtype %s over a page", annotated)
        return False
    except Exception as error:  # noqa: BLE001 - a stranger's file parsed by PDFium: its errors are no closed set
        log.info("signed content: unreadable (%s: %s)", type(error).__name__, error)
        return False
    if not same:
        log.info("signed content: the pages do not show the réquisition of the code")
    return same
