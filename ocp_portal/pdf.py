"""PDFs: the one place that turns an HTML template into one (WeasyPrint), and the one response that serves one."""

import gc
import logging
import re
import threading
import zlib
from contextlib import contextmanager

from django.conf import settings
from django.core.files import File
from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

log = logging.getLogger(__name__)
_fonts = threading.local()
_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def gc_paused():
    """Python's cyclic garbage collector paused while WeasyPrint works. A rendering makes hundreds of
    thousands of objects that live until its end; their number triggers full collections, each
    walking the whole heap (Django's, WeasyPrint's fonts and stylesheets) for nothing: a quarter of
    the time of an extract of 500 poursuites (2.6 s of CPU instead of 2.0), for 10 MB less at its
    peak (202 MB instead of 212). Reference counting still frees what it can, and the collector runs
    again as soon as the last rendering of the process ends (renderings may overlap in threads)."""
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


class _TokenizerRegexes(dict):
    """tinyhtml5's cache of the regular expressions of `chars_until`, filled under the key it looks
    up. tinyhtml5 2.1.0 stores each one under the wrong key (`characters` is rebound to the compiled
    expression before the key is made), so every attribute name and every run of text built and
    compiled its expression again: half of the parsing of an extract of 500 poursuites (157 ms of CPU
    instead of 73). Same expressions as tinyhtml5's own."""

    def __missing__(self, key):
        characters, opposite = key
        ranges = "".join(f"\\x{ord(character):02x}" for character in characters)
        regex = self[key] = re.compile(f"[{'' if opposite else '^'}{ranges}]+")
        return regex


def _fix_tinyhtml5_cache() -> None:
    from tinyhtml5 import inputstream

    if not isinstance(inputstream.characters_until_regex, _TokenizerRegexes):
        inputstream.characters_until_regex = _TokenizerRegexes()


class _PdfZlib:
    """zlib for pydyf, whose content streams are compressed at level 9: 87 ms of CPU for the 22 streams
    of an extract of 500 poursuites, against 20 ms at zlib's default level 6, for a file 3 % larger
    (171 KiB instead of 166). The pages are the same; only their compressed bytes differ."""

    level = 6

    def __getattr__(self, name):
        return getattr(zlib, name)

    def compressobj(self, level=zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs):
        return zlib.compressobj(self.level, *args, **kwargs)


def _fix_pydyf_level() -> None:
    """Applied only to the pydyf it was written for, one that compresses through its module's `zlib`."""
    import pydyf

    if getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = _PdfZlib()


def _keep_text_layouts() -> None:
    """WeasyPrint 70 lays a text out with Pango, then drops the Pango layout (`Layout.deactivate`,
    text/line_break.py) and, to draw the text, makes a new one and shapes the text again
    (`Layout.reactivate`, from draw/text.py's `draw_text`): 5 % of an extract of 500 poursuites. Here
    the layout is kept and drawn as it is when the new one would be the same: same style, no
    justification, and, as the new layout has, no width nor character wrapping (the calls below change
    nothing, or ask Pango to lay the line out again when they do). Otherwise WeasyPrint's own
    `reactivate`. The PDF is byte for byte the same; the layouts live until the document is freed."""
    from weasyprint.text import line_break
    from weasyprint.text.constants import PANGO_WRAP_MODE
    from weasyprint.text.ffi import pango

    layout = line_break.Layout
    deactivate, reactivate = layout.deactivate, layout.reactivate
    if getattr(reactivate, "upstream", None) or (
        deactivate.__code__.co_names != ("layout", "language", "style")
        or reactivate.__code__.co_names != ("setup", "set_text", "text")
    ):
        return  # already kept, or not the WeasyPrint this was written for

    def keep(self):
        pass

    def reuse(self, style):
        if getattr(self, "layout", None) is not None and style is self.style and not self.justification_spacing:
            pango.pango_layout_set_width(self.layout, -1)
            pango.pango_layout_set_wrap(self.layout, PANGO_WRAP_MODE["WRAP_WORD"])
            return
        reactivate(self, style)

    reuse.upstream = reactivate
    keep.upstream = deactivate
    layout.deactivate, layout.reactivate = keep, reuse


def _mend_libraries() -> None:
    """The three mends above, each applied once and only to the library version it was written for."""
    _fix_tinyhtml5_cache()
    _fix_pydyf_level()
    _keep_text_layouts()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Every PDF of the portal is tagged PDF/UA-1 (eCH-0059 asks it of public bodies): WeasyPrint builds
    the structure tree from the HTML (headings, lists, tables with their headers, images with their
    `alt`), the language from `<html lang>` and the title, shown by readers, from `<title>`."""
    # Imported here: WeasyPrint is heavy and only the PDF paths need it.
    from weasyprint import HTML

    _mend_libraries()
    html = render_to_string(template_name, {"office": settings.OFFICE, **context})
    with gc_paused():
        document = HTML(string=html, base_url=str(settings.BASE_DIR))
        return document.write_pdf(pdf_variant="pdf/ua-1", font_config=font_config())


def font_config():
    """This thread's fonts for WeasyPrint (Pango's are not to be shared between threads). Without
    it WeasyPrint loads Fontconfig's configuration again for each document, starts with empty caches
    of fonts and glyphs (a receipt took 43 ms instead of 31) and never gives all of it back: about
    240 KiB a document, a worker grew by 80 MiB each burst of 200 extract orders (tests/bench/burst.py)."""
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


WARM_UP_TEXT = "Office cantonal des poursuites — CHF 1'234.50, 30.11.2026"
_warm = False
_warm_lock = threading.Lock()


def warm_up() -> None:
    """Load the document machinery once in this process: WeasyPrint (its import, Pango, the fonts of
    the documents, its stylesheets) and the office's seal (pyHanko, the key, the seal's font), about
    2 s that the first document would otherwise make its user wait for, against 0.1 s for the next.
    Celery's worker processes and the web processes call it as they start; a failure is logged, never
    raised: the first document then pays for the load itself."""
    with _warm_lock:
        _warm_up()


def _warm_up() -> None:
    global _warm
    if _warm:
        return
    try:
        from weasyprint import HTML

        from .seal import seal_pdf

        _mend_libraries()

        html = (
            '<!DOCTYPE html><html lang="fr-CH"><title>Préchauffage</title>'
            f"<p style=\"font-family: 'DejaVu Sans'\">{WARM_UP_TEXT} <b>{WARM_UP_TEXT}</b></p>"
            f"<p style=\"font-family: 'DejaVu Sans Mono'\">{WARM_UP_TEXT}</p>"
            f"<p style=\"font-family: 'Liberation Sans'\">{WARM_UP_TEXT} <b>{WARM_UP_TEXT}</b></p>"
            "<table><tr><th>N°</th><td>1</td></tr></table>"
        )
        with gc_paused():
            pdf = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", font_config=font_config())
        if not settings.SEAL_TSA_URL:  # with a timestamp authority, it would ask it for one at every start
            seal_pdf(pdf, reference="-", document="Préchauffage")
    except Exception:
        log.exception("the PDF machinery could not be warmed up; the first document will load it")
        return
    _warm = True


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
