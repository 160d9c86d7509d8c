"""French typography that Django's own admin translation leaves out."""

import re

from django import template

register = template.Library()

# « Modification de %s », « Ajout de %s », « Affichage de %s » put before a verbose name: before a
# vowel French writes « d’ », as in « Modification d’ordonnance pénale ».
_DE_BEFORE_VOWEL = re.compile(r"\b([Dd])e (?=[aeiouyàâäéèêëîïôöûü])", re.IGNORECASE)


@register.filter
def elided(text) -> str:
    """`Modification de ordonnance pénale` → `Modification d’ordonnance pénale`."""
    if not text:
        return text
    return _DE_BEFORE_VOWEL.sub(r"\1’", str(text))
