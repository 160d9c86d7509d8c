"""The form of a réquisition filed online: in what capacity, and the signed form itself."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Qualite

ACCEPT_DOCUMENT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


class FilingForm(forms.Form):
    qualite = forms.ChoiceField(
        label=_("En quelle qualité déposez-vous cette réquisition ?"),
        choices=Qualite.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez en quelle qualité vous déposez la réquisition.")},
    )
    uid = forms.CharField(
        label=_("Numéro IDE de l'entreprise"),
        help_text=_("Si vous déposez pour une entreprise : son numéro IDE, CHE-123.456.789."),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    procuration = forms.FileField(
        label=_("Procuration"),
        help_text=_("Si vous êtes représentant professionnel : la procuration du créancier, en PDF, JPEG ou PNG."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_DOCUMENT}),
    )
    signed_pdf = forms.FileField(
        label=_("Le PDF signé électroniquement"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    scan = forms.FileField(
        label=_("Le scan ou la photo du formulaire signé"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_DOCUMENT}),
    )
    code = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, max_megabytes: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_pdf"].help_text = _("Un seul fichier PDF, %(size)s Mo au plus.") % {"size": max_megabytes}
        self.fields["scan"].help_text = _("PDF, JPEG ou PNG, %(size)s Mo au plus ; toutes les pages lisibles.") % {
            "size": max_megabytes
        }


class FollowUpForm(forms.Form):
    """A contrordre or a réquisition de continuer: the signed document, one way or the other."""

    signed_pdf = FilingForm.base_fields["signed_pdf"]
    scan = FilingForm.base_fields["scan"]
    code = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, max_megabytes: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_pdf"].help_text = _("Un seul fichier PDF, %(size)s Mo au plus.") % {"size": max_megabytes}
        self.fields["scan"].help_text = _("PDF, JPEG ou PNG, %(size)s Mo au plus.") % {"size": max_megabytes}
