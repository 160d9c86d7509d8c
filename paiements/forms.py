from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ocp_portal.money_fields import MoneyField
from ocp_portal.text import SingleLineFormMixin

from . import services
from .models import Payment

BALANCE, INSTALMENT = "solde", "acompte"


class CheckoutForm(SingleLineFormMixin, forms.Form):
    """The payer's choices before the hosted checkout: what to pay, where to send the receipt."""

    instalment_choice = INSTALMENT  # the choice that shows the instalment amount (js/checkout.js)

    choice = forms.ChoiceField(
        label=_("Que souhaitez-vous payer ?"),
        choices=[(BALANCE, _("Payer le solde")), (INSTALMENT, _("Payer un acompte"))],
        widget=forms.RadioSelect,
        initial=BALANCE,
    )
    instalment = MoneyField(
        label=_("Montant de l'acompte (CHF)"),
        required=False,
        help_text=_("Entre CHF 10.00 et le solde."),
    )
    email = forms.EmailField(
        label=_("Adresse e-mail pour la quittance"),
        max_length=Payment._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Saisissez une adresse e-mail valide.")},
    )
    accept = forms.BooleanField(
        label=_("J'ai pris connaissance des conditions générales ci-dessus et je les accepte."),
        error_messages={"required": _("Vous devez accepter les conditions générales pour payer en ligne.")},
    )

    def __init__(self, *args, purpose, obj, **kwargs):
        super().__init__(*args, **kwargs)
        self.purpose, self.obj = purpose, obj
        if not purpose.allows_instalments(obj):
            self.fields["choice"].choices = self.fields["choice"].choices[:1]
            del self.fields["instalment"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("choice") == BALANCE:  # whatever is left in the instalment box
            self.errors.pop("instalment", None)
            cleaned["instalment"] = None
        if (
            cleaned.get("choice") == INSTALMENT
            and cleaned.get("instalment") is None
            and "instalment" not in self.errors
        ):
            self.add_error("instalment", _("Indiquez le montant de l'acompte."))
            return cleaned
        instalment = cleaned.get("instalment") if cleaned.get("choice") == INSTALMENT else None
        if "choice" in cleaned and "instalment" not in self.errors:
            try:
                cleaned["amount"] = services.checkout_amount(self.purpose, self.obj, instalment=instalment)
            except ValidationError as error:
                self.add_error("instalment" if instalment is not None else None, error)
        cleaned["instalment_amount"] = instalment
        return cleaned
