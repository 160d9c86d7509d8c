"""Links into the guide « Comprendre la procédure »: a glossary entry or a section, by its key.

An unknown key is an error, as an unknown name is for {% url %}: a page never links to nothing."""

from django import template
from django.urls import reverse

from ..guide.content import GLOSSARY_SLUGS, SECTIONS, SERVICES

register = template.Library()


@register.simple_tag
def term_url(slug: str) -> str:
    """`{% term_url "opposition" %}`: the glossary's entry for the term."""
    if slug not in GLOSSARY_SLUGS:
        raise template.TemplateSyntaxError(f"The glossary has no term {slug!r}.")
    return f"{reverse('poursuites:glossaire')}#{slug}"


@register.simple_tag
def section_url(key: str) -> str:
    """`{% section_url "debiteur:opposition" %}`: a section of a guide page."""
    if key not in SECTIONS:
        raise template.TemplateSyntaxError(f"The guide has no section {key!r}.")
    return SECTIONS[key].url


@register.simple_tag
def guide_services():
    """The online services every guide page points back to."""
    return SERVICES
