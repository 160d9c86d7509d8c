from django import forms
from django.utils.translation import gettext_lazy as _

from ocp_portal.money_fields import MoneyField
from ocp_portal.text import SingleLineFormMixin
from paiements.references import parse_qr_reference

from .arrangements import check_monthly_amount
from .references import parse_request_reference

REFERENCE_HELP = _(
    "Les 27 chiffres de la rubrique « Référence » de la facture QR de votre ordonnance pénale, "
    "à saisir sans espace (les espaces sont tolérés)."
)


class ReferenceField(forms.CharField):
    """A 27-digit QR reference, checked by its check digit before anything is looked up."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Numéro de référence à 27 chiffres"),
            help_text=REFERENCE_HELP,
            max_length=40,
            widget=forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false", "class": "reference"}
            ),
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value)
        digits = parse_qr_reference(value)
        if digits is None:
            raise forms.ValidationError(
                _(
                    "Cette référence n'est pas valable : elle compte 27 chiffres, dont le dernier est un chiffre de "
                    "contrôle. Vérifiez-la sur la facture QR."
                ),
                code="invalid_reference",
            )
        return digits


class ReferenceForm(SingleLineFormMixin, forms.Form):
    reference = ReferenceField()


class ArrangementRequestForm(SingleLineFormMixin, forms.Form):
    reference = ReferenceField()
    monthly_amount = MoneyField(
        label=_("Mensualité proposée (CHF)"), help_text=_("CHF 50.00 au minimum par mois."), max_digits=10
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        help_text=_("Le Service des contraventions vous y répondra."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Saisissez une adresse e-mail valide.")},
    )
    phone = forms.CharField(
        label=_("Téléphone (facultatif)"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    message = forms.CharField(
        label=_("Votre situation financière (facultatif)"),
        help_text=_("Revenus, charges : ce qui aide le service à décider."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_monthly_amount(self):
        amount = self.cleaned_data["monthly_amount"]
        check_monthly_amount(amount)
        return amount


class ReportCopyForm(SingleLineFormMixin, forms.Form):
    pages = forms.IntegerField(
        label=_("Nombre de pages du rapport"),
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Saisissez un nombre de pages, par exemple 12."),
            "min_value": _("Le rapport compte au moins une page."),
            "max_value": _("Indiquez au plus 999 pages."),
            "required": _("Indiquez le nombre de pages."),
        },
    )


class ArrangementStatusForm(SingleLineFormMixin, forms.Form):
    """The two references that open an arrangement request's status page."""

    request_reference = forms.CharField(
        label=_("Référence de la demande"),
        help_text=_("Elle commence par AP- et figure dans l'e-mail de confirmation, par exemple AP-7K3M-9QXD."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    reference = ReferenceField()

    def clean_request_reference(self):
        reference = parse_request_reference(self.cleaned_data["request_reference"])
        if reference is None:
            raise forms.ValidationError(
                _("Cette référence de demande n'est pas valable : AP- suivi de 8 lettres ou chiffres."),
                code="invalid_request_reference",
            )
        return reference
