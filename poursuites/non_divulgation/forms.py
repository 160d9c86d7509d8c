from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.ch import uid as stdnum_uid

from ocp_portal.dates import today
from ocp_portal.formats import format_chf

from ..constants import NON_DISCLOSURE_FEE, PartyKind
from ..forms import DATE_INPUT_FORMATS, DossierNumberForm
from .admissibility import Identity

DECLARATION_REQUIRED = _("Cette déclaration est nécessaire pour demander la non-divulgation.")


def _declaration(label):
    return forms.BooleanField(label=label, error_messages={"required": DECLARATION_REQUIRED})


class NonDivulgationForm(DossierNumberForm):
    """The poursuite, the requester's identity as its debtor, the declarations of the seed and
    the fee notice. Admissibility itself is the service's (admissibility.check)."""

    kind = forms.ChoiceField(
        label=_("Le débiteur est"),
        choices=PartyKind.choices,
        widget=forms.RadioSelect,
        initial=PartyKind.PHYSIQUE,
        error_messages={"required": _("Indiquez si le débiteur est une personne physique ou une personne morale.")},
    )
    name = forms.CharField(
        label=_("Nom ou raison sociale"),
        max_length=140,
        help_text=_("Tel qu'il figure sur le commandement de payer."),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    first_name = forms.CharField(
        label=_("Prénom (personne physique)"),
        max_length=70,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    birth_date = forms.DateField(
        label=_("Date de naissance (personne physique)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": _("Saisissez une date valide, par exemple 17.05.1980.")},
    )
    uid = forms.CharField(
        label=_("Numéro IDE (personne morale)"),
        max_length=20,
        required=False,
        help_text=_("Par exemple CHE-123.456.789."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    unjustified = _declaration(_("Je déclare que la poursuite n'est pas justifiée."))
    opposed = _declaration(_("Je déclare avoir fait opposition au commandement de payer."))
    no_proceedings = _declaration(
        _(
            "Je déclare ne pas avoir connaissance d'une demande de mainlevée de l'opposition ni d'une action "
            "en reconnaissance de dette en rapport avec cette poursuite."
        )
    )
    fee_owed = forms.BooleanField(
        label=_(
            "J'ai pris connaissance que l'émolument forfaitaire de %(fee)s (art. 12b OELP) est dû "
            "indépendamment de l'issue de la procédure."
        )
        % {"fee": format_chf(NON_DISCLOSURE_FEE)},
        error_messages={"required": _("Vous devez prendre acte que l'émolument est dû quelle que soit l'issue.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].label = _("Numéro de la poursuite")

    def clean_birth_date(self):
        day = self.cleaned_data["birth_date"]
        if day and day >= today():
            raise forms.ValidationError(_("La date de naissance doit être dans le passé."), code="future")
        return day

    def clean_uid(self):
        value = self.cleaned_data["uid"].strip()
        if value and not stdnum_uid.is_valid(value):
            raise forms.ValidationError(
                _("Numéro IDE invalide : attendu CHE-123.456.789 avec sa clé de contrôle."), code="invalid_uid"
            )
        return stdnum_uid.format(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == PartyKind.PHYSIQUE:
            for name, message in (
                ("first_name", _("Indiquez le prénom du débiteur.")),
                ("birth_date", _("Indiquez la date de naissance du débiteur.")),
            ):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, forms.ValidationError(message, code="required"))
        elif kind == PartyKind.MORALE and not cleaned.get("uid") and "uid" not in self.errors:
            self.add_error("uid", forms.ValidationError(_("Indiquez le numéro IDE du débiteur."), code="required"))
        return cleaned

    def identity(self) -> Identity:
        data = self.cleaned_data
        physique = data["kind"] == PartyKind.PHYSIQUE
        return Identity(
            kind=data["kind"],
            name=data["name"],
            first_name=data["first_name"] if physique else "",
            birth_date=data["birth_date"] if physique else None,
            uid="" if physique else data["uid"],
        )
