"""« Comprendre la procédure »: the office's guidance for debtors and creditors, its glossary, and the
legal bases and forms (seed 004). Static pages: what they say lives in the templates and in `content`."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import content


def _render(request, template: str, **context):
    return render(request, f"poursuites/guide/{template}", {"facts": content.facts(), **context})


@require_safe
def index(request):
    return _render(
        request,
        "index.html",
        toc=content.GUIDE_SECTIONS,
        debtor_sections=content.DEBTOR_SECTIONS,
        creditor_sections=content.CREDITOR_SECTIONS,
        deadlines=content.DEADLINES,
        sections=content.SECTIONS,
    )


@require_safe
def debtor(request):
    return _render(request, "debiteur.html", toc=content.DEBTOR_SECTIONS)


@require_safe
def creditor(request):
    return _render(
        request, "creancier.html", toc=content.CREDITOR_SECTIONS, commandement_fees=content.commandement_fee_rows()
    )


@require_safe
def glossary(request):
    return _render(request, "glossaire.html", letters=content.glossary_by_letter())


@require_safe
def legal_bases(request):
    return _render(
        request,
        "bases_legales.html",
        toc=content.LEGAL_BASES_SECTIONS,
        legal_texts=content.LEGAL_TEXTS,
        forms=content.FORMS,
    )
