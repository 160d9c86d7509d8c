"""One-line text typed by the public: names, streets, towns, labels.

A line break in a name ends up in an e-mail header (Django refuses to send it) or splits a line of a
printed letter; bidi and zero-width controls make a name read otherwise than it is stored. Such
characters are refused where the text comes in, with a French message.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Bidi embeddings, overrides, isolates and marks; zero-width spaces and joiners; the BOM; the
# Unicode line and paragraph separators. Control characters (category Cc: NUL, BEL, ESC, CR, LF,
# TAB…) are refused by category.
INVISIBLE = frozenset(
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2028\u2029\u2060\u2066\u2067\u2068\u2069\ufeff"
)
MESSAGE = _(
    "Ce champ tient sur une ligne : il ne peut contenir ni retour à la ligne, ni tabulation, "
    "ni caractère de contrôle ou invisible."
)


def is_forbidden(char: str) -> bool:
    return char in INVISIBLE or unicodedata.category(char) == "Cc"


def is_single_line(value: str) -> bool:
    return not any(is_forbidden(char) for char in value)


def validate_single_line(value) -> None:
    if isinstance(value, str) and not is_single_line(value):
        raise ValidationError(MESSAGE, code="control_character")


def one_line(text: str) -> str:
    """`text` made fit for an e-mail subject or a single printed line: forbidden characters become
    spaces, runs of spaces one."""
    return re.sub(r"\s+", " ", "".join(" " if is_forbidden(char) else char for char in text)).strip()


class SingleLineFormMixin:
    """Every one-line text field of the form (not a textarea, password or hidden field) refuses
    control, bidi and zero-width characters."""

    MULTI_LINE_WIDGETS = (forms.Textarea, forms.PasswordInput, forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, self.MULTI_LINE_WIDGETS):
                field.validators.append(validate_single_line)
