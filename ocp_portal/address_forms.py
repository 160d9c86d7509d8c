"""The form side of a structured address (models.StructuredAddress) and of the identity beside it:
one set of fields, labels, help, widgets, messages and checks for every form that asks for a party
(the parties of a réquisition, the subject of an extract)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ADDRESS_FIELDS

__all__ = ["ADDRESS_FIELDS", "ERROR_MESSAGES", "HELP_TEXTS", "LABELS", "WIDGETS", "AddressFormMixin"]

LABELS = {
    "first_name": _("Prénom"),
    "uid": _("Numéro IDE"),
    "street": _("Rue"),
    "house_number": _("Numéro"),
    "address_extra": _("Complément d'adresse (case postale, c/o)"),
    "postal_code": _("NPA"),
    "town": _("Localité"),
    "country": _("Pays"),
}
HELP_TEXTS = {"country": _("Code à deux lettres : CH pour la Suisse, FR pour la France…")}
WIDGETS = {
    "house_number": forms.TextInput(attrs={"size": "6"}),
    "postal_code": forms.TextInput(attrs={"size": "8"}),
    "country": forms.TextInput(attrs={"size": "3", "spellcheck": "false"}),
    "uid": forms.TextInput(attrs={"spellcheck": "false"}),
}
ERROR_MESSAGES = {
    "postal_code": {"required": _("Indiquez le NPA.")},
    "town": {"required": _("Indiquez la localité.")},
}


class AddressFormMixin:
    """The checks of an address form: the country as its two-letter code."""

    def clean_country(self):
        country = self.cleaned_data["country"].strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise forms.ValidationError(_("Indiquez le pays par son code à deux lettres, par exemple CH ou FR."))
        return country
