"""The steps of the réquisition form. Nothing here is ever saved to the register.

Parties are checked by the rules of ``poursuites.models.Party`` (a ModelForm whose instance is
never saved); each form turns its cleaned data into the plain strings of the session draft and of
the code's payload (``to_draft``).
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from ocp_portal import address_forms
from ocp_portal.address_forms import AddressFormMixin
from ocp_portal.dates import today
from ocp_portal.money import CENT
from ocp_portal.money_fields import MoneyField
from ocp_portal.text import SingleLineFormMixin

from ..constants import DEFAULT_INTEREST_RATE, PartyKind
from ..models import Party
from .codec import MAX_CLAIMS
from .geneva import is_in_geneva

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]
DATE_ERROR = _("Saisissez une date valide, par exemple 31.12.2025.")
FIRST_TITLE_MAX, OTHER_TITLE_MAX = 640, 80  # directives of the OFJ for the commandement de payer
NOTES_MAX = 500
AMOUNT_MAX = Decimal("99999999.99")
IBAN_COUNTRIES = ("CH", "LI")
QR_IID = range(30000, 32000)  # a QR-IBAN only takes QR-bill payments, not the office's transfers
KINDS = [
    (
        "ordinaire",
        _(
            "Poursuite ordinaire (par voie de saisie ou de faillite : l'office détermine la voie selon "
            "l'inscription du débiteur au registre du commerce)"
        ),
    ),
    ("gage", _("Poursuite en réalisation de gage (mobilier ou immobilier)")),
]


def _date_field(label, **kwargs):
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_FORMATS,
        error_messages={"invalid": DATE_ERROR},
        **kwargs,
    )


def _iso(value) -> str:
    return value.isoformat() if value else ""


class PartyForm(AddressFormMixin, SingleLineFormMixin, forms.ModelForm):
    """A debtor, creditor or representative, checked by the rules of ``Party`` (never saved)."""

    kind = forms.ChoiceField(
        label=_("Type de personne"),
        choices=PartyKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Indiquez s'il s'agit d'une personne physique ou morale.")},
    )

    class Meta:
        model = Party
        fields = ["kind", "name", "first_name", "uid", *address_forms.ADDRESS_FIELDS]
        labels = {**address_forms.LABELS, "name": _("Nom ou raison sociale")}
        help_texts = {
            **address_forms.HELP_TEXTS,
            "first_name": _("Personne physique uniquement."),
            "uid": _("Personne morale inscrite au registre du commerce, facultatif : CHE-123.456.789."),
        }
        widgets = address_forms.WIDGETS
        error_messages = {
            **address_forms.ERROR_MESSAGES,
            "name": {"required": _("Indiquez le nom ou la raison sociale.")},
        }

    # Fields whose emptiness says "nothing entered" (kind and country have a value anyway).
    content_fields = ("name", "first_name", "uid", "street", "house_number", "address_extra", "postal_code", "town")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        self.fields["country"].required = True
        if not self.is_bound and not self.initial.get("country"):
            self.initial["country"] = "CH"

    def clean(self):
        cleaned = super().clean()
        no_address = not cleaned.get("street") and not cleaned.get("address_extra")
        if no_address and not self.fields["street"].required and not self.has_error("street"):
            self.add_error("street", _("Indiquez la rue ou, à défaut, une case postale dans le complément."))
        return cleaned

    def _update_errors(self, errors):
        # A field already in error (an empty NPA) needs no second message from the rules of Party.
        if hasattr(errors, "error_dict"):
            errors = ValidationError(
                {
                    field: messages
                    for field, messages in errors.error_dict.items()
                    if field == NON_FIELD_ERRORS or not self.has_error(field)
                }
            )
        super()._update_errors(errors)

    def is_blank(self) -> bool:
        """True when a bound form got none of the content fields: an optional party left empty."""
        return not any(str(self.data.get(self.add_prefix(name), "")).strip() for name in self.content_fields)

    def to_draft(self) -> dict:
        """The party as plain strings, normalised by ``Party.clean`` (IDE formatted, country upper)."""
        party = self.instance
        return {
            "kind": party.kind,
            "name": party.name,
            "first_name": party.first_name,
            "birth_date": _iso(party.birth_date),
            "uid": party.uid,
            "street": party.street,
            "house_number": party.house_number,
            "address_extra": party.address_extra,
            "postal_code": party.postal_code,
            "town": party.town,
            "country": party.country,
        }


class DebtorForm(PartyForm):
    """The debtor: a domicile in the canton of Geneva (art. 46 LP), a street for the notification."""

    birth_date = _date_field(
        _("Date de naissance"), help_text=_("Facultatif ; aide l'office à identifier le débiteur.")
    )

    class Meta(PartyForm.Meta):
        fields = [*PartyForm.Meta.fields[:3], "birth_date", *PartyForm.Meta.fields[3:]]
        widgets = {
            **PartyForm.Meta.widgets,
            **{name: forms.TextInput(attrs={"autocomplete": "off"}) for name in ("name", "first_name", "street")},
        }

    outside_canton = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].required = True
        self.fields["street"].error_messages["required"] = _(
            "Indiquez la rue du domicile du débiteur : le commandement de payer lui est notifié à cette adresse."
        )

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born and born >= today():
            raise forms.ValidationError(_("La date de naissance doit être dans le passé."))
        return born

    def _post_clean(self):
        super()._post_clean()
        # After the rules of Party, so that the NPA is known to be well formed.
        if self.has_error("country") or self.has_error("postal_code"):
            return
        country, postal_code = self.instance.country, self.instance.postal_code
        if country != "CH":
            self.outside_canton = True
            self.add_error(
                "country",
                _(
                    "Le débiteur est domicilié à l'étranger : ce formulaire ne sert qu'aux poursuites "
                    "à Genève. Adressez-vous à l'office des poursuites compétent."
                ),
            )
        elif not is_in_geneva(country=country, postal_code=postal_code):
            self.outside_canton = True
            self.add_error(
                "postal_code",
                _(
                    "Ce NPA n'est pas dans le canton de Genève : la réquisition doit être adressée à "
                    "l'office des poursuites du domicile du débiteur."
                ),
            )


class CreditorForm(PartyForm):
    """The creditor, with the account on which the office pays what it collects."""

    iban = forms.CharField(
        label=_("IBAN pour les versements"),
        help_text=_(
            "Compte en Suisse ou au Liechtenstein (IBAN commençant par CH ou LI) sur lequel l'office "
            "versera les montants encaissés, par exemple CH93 0076 2011 6238 5295 7."
        ),
        max_length=42,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off", "size": "34"}),
        error_messages={"required": _("Indiquez l'IBAN du compte sur lequel l'office versera les montants.")},
    )

    def clean_iban(self):
        value = stdnum_iban.compact(self.cleaned_data["iban"])
        try:
            stdnum_iban.validate(value)
        except StdnumError:
            raise forms.ValidationError(
                _(
                    "IBAN invalide : vérifiez-le sur un document de votre banque "
                    "(par exemple CH93 0076 2011 6238 5295 7)."
                ),
                code="invalid",
            ) from None
        if value[:2] not in IBAN_COUNTRIES:
            raise forms.ValidationError(
                _(
                    "L'office ne verse les montants encaissés que sur un compte en Suisse ou au Liechtenstein : "
                    "indiquez un IBAN commençant par CH ou LI."
                ),
                code="foreign",
            )
        if int(value[4:9]) in QR_IID:
            raise forms.ValidationError(
                _("Ceci est un QR-IBAN, qui ne reçoit que les paiements de factures QR : indiquez l'IBAN du compte."),
                code="qr_iban",
            )
        return value

    def to_draft(self) -> dict:
        return {**super().to_draft(), "iban": self.cleaned_data["iban"]}


class RepresentativeForm(PartyForm):
    """The creditor's representative (a lawyer, a collection agency…): optional, ignored when empty."""


class ClaimForm(SingleLineFormMixin, forms.Form):
    """One claim (art. 67 al. 1 ch. 3 et 4 LP). A row left empty is ignored, except the first."""

    amount = MoneyField(
        label=_("Montant (CHF)"),
        required=False,
        min_value=CENT,
        max_value=AMOUNT_MAX,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": "14", "autocomplete": "off"}),
        error_messages={
            "min_value": _("Le montant doit être supérieur à zéro."),
            "max_value": _("Le montant doit être inférieur à CHF 100'000'000."),
        },
    )
    rate = forms.DecimalField(
        label=_("Intérêt (% l'an)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=3,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": "6"}),
        error_messages={
            "invalid": _("Saisissez un taux en pour cent, par exemple 5."),
            "min_value": _("Le taux est compris entre 0 et 100 %%."),
            "max_value": _("Le taux est compris entre 0 et 100 %%."),
            "max_decimal_places": _("Le taux compte au plus 3 décimales."),
        },
    )
    interest_from = _date_field(_("Intérêt dès le"))
    title = forms.CharField(
        label=_("Titre ou cause de la créance"), required=False, widget=forms.TextInput(attrs={"size": "70"})
    )

    def __init__(self, *args, index: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.index = index
        limit = FIRST_TITLE_MAX if index == 0 else OTHER_TITLE_MAX
        title = self.fields["title"]
        title.validators.append(MaxLengthValidator(limit))
        title.error_messages["max_length"] = _(
            "Le titre compte au plus %(limit_value)d caractères (actuellement %(show_value)d)."
        )
        title.help_text = _(
            "Le contrat, la facture, la commande… et sa date ; à défaut, la cause de la créance "
            "(%(limit)s caractères au plus)."
        ) % {"limit": limit}
        if index == 0:
            title.widget = forms.Textarea(attrs={"rows": 4, "cols": 60})

    @property
    def number(self) -> int:
        return self.index + 1

    def clean_title(self):
        return self.cleaned_data["title"].replace("\r\n", "\n")

    def clean_interest_from(self):
        day = self.cleaned_data["interest_from"]
        if day and day > today():
            raise forms.ValidationError(_("L'intérêt ne peut pas courir dès une date future."))
        return day

    def is_blank(self) -> bool:
        return not any(str(self.data.get(self.add_prefix(name), "")).strip() for name in self.fields)

    def clean(self):
        cleaned = super().clean()
        if self.is_bound and self.is_blank():
            if self.index == 0:
                self.add_error("amount", _("Indiquez le montant de la créance : au moins une créance est requise."))
                self.add_error("title", _("Indiquez le titre ou la cause de la créance."))
            return cleaned
        if cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Indiquez le montant de la créance."))
        if not cleaned.get("title") and "title" not in self.errors:
            self.add_error("title", _("Indiquez le titre ou la cause de la créance."))
        rate, since = cleaned.get("rate"), cleaned.get("interest_from")
        if rate and since is None and "interest_from" not in self.errors:
            self.add_error("interest_from", _("Indiquez la date dès laquelle l'intérêt court."))
        if rate is None and since is not None and "rate" not in self.errors:
            cleaned["rate"] = Decimal(DEFAULT_INTEREST_RATE)  # art. 104 CO
        return cleaned

    def to_draft(self) -> dict:
        data = self.cleaned_data
        rate = data.get("rate")
        return {
            "amount": f"{data['amount'].quantize(CENT)}",
            "rate": "" if rate is None else f"{rate.normalize():f}",
            "from": _iso(data.get("interest_from")),
            "title": data["title"],
        }

    @staticmethod
    def initial_from(claim: dict) -> dict:
        return {
            "amount": claim["amount"],
            "rate": claim["rate"],
            "interest_from": claim["from"],
            "title": claim["title"],
        }


class BaseClaimFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": _("Une réquisition compte au plus %(num)d créances."),
        "too_few_forms": _("Indiquez au moins une créance."),
    }

    def get_form_kwargs(self, index):
        # Every row is checked: an empty row is recognised and ignored by ClaimForm.clean itself.
        return {**super().get_form_kwargs(index), "index": index, "empty_permitted": False}

    def filled_forms(self):
        return [form for form in self.forms if not form.is_blank()]

    def to_draft(self) -> list[dict]:
        return [form.to_draft() for form in self.filled_forms()]


ClaimFormSet = forms.formset_factory(
    ClaimForm,
    formset=BaseClaimFormSet,
    extra=MAX_CLAIMS,
    max_num=MAX_CLAIMS,
    absolute_max=MAX_CLAIMS,
    validate_max=True,
)


class PoursuiteForm(SingleLineFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Type de poursuite"),
        choices=KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le type de poursuite.")},
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Remarques"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        help_text=_(
            "Facultatif, 500 caractères au plus. Par exemple : pour une poursuite en réalisation de "
            "gage, le gage (mobilier ou immobilier) et sa description ; pour un créancier domicilié à "
            "l'étranger, son domicile élu en Suisse (art. 67 LP)."
        ),
        error_messages={"max_length": _("Les remarques comptent au plus %(limit_value)d caractères.")},
    )

    def clean_notes(self):
        return self.cleaned_data["notes"].replace("\r\n", "\n").strip()
