"""The one form field for amounts in francs, public and admin alike."""

import re
from decimal import Decimal

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .formats import format_chf

# What people write around and inside an amount: `CHF 1'000.50`, `1 000,50`, `Fr. 80.–`.
_CURRENCY = re.compile(r"^(?:CHF|SFR|FRS?\.?)|(?:CHF|SFR|FRS?\.?)$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s'’ʼ`´]")  # thousands: apostrophes and spaces (incl. no-break spaces)
_WHOLE_FRANCS = re.compile(r"[.,][-–—]$")  # `80.-`, `80.–`: whole francs


def parse_amount(value: str) -> str:
    """An amount typed the Swiss way as the plain digits DecimalField reads (`1'000,50` → `1000.50`).
    A comma is the decimal point; a string that is no amount is returned as such, to be refused."""
    text = _SEPARATORS.sub("", value)
    text = _CURRENCY.sub("", text)
    text = _WHOLE_FRANCS.sub("", text)
    return text.replace(",", ".")


def _bound_message_now(kind: str, limit) -> str:
    amount = format_chf(Decimal(limit))
    if kind == "min":
        return gettext("Le montant doit être d'au moins %(amount)s.") % {"amount": amount}
    return gettext("Le montant ne peut pas dépasser %(amount)s.") % {"amount": amount}


_bound_message = lazy(_bound_message_now, str)  # fields are built at import, before translations


class MoneyField(forms.DecimalField):
    """An amount in CHF with at most 2 decimals, typed as people do: `150,50`, `1'000.50`,
    `1 000.50`, `CHF 80`, `80.–`. A text input (a number input refuses apostrophes and commas)
    that brings up the decimal keypad on a phone."""

    default_error_messages = {
        "invalid": _("Saisissez un montant en francs, par exemple 1'250.50."),
        "max_decimal_places": _("Le montant compte au plus 2 décimales (les centimes)."),
        "max_digits": _("Ce montant est trop élevé : il compte au plus %(max)s chiffres."),
        "max_whole_digits": _("Ce montant est trop élevé : il compte au plus %(max)s chiffres avant les centimes."),
    }

    def __init__(self, *, max_digits=12, decimal_places=2, widget=None, **kwargs):
        widget = widget or forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"})
        messages = kwargs.pop("error_messages", None) or {}
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, widget=widget, **kwargs)
        # The bounds in the portal's own spelling (CHF 10.00), unless the form says otherwise.
        if self.min_value is not None:
            messages.setdefault("min_value", _bound_message("min", self.min_value))
        if self.max_value is not None:
            messages.setdefault("max_value", _bound_message("max", self.max_value))
        self.error_messages.update(messages)

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            value = parse_amount(value.strip())
            if not value:  # `CHF` alone: something was typed, it is no amount
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)
