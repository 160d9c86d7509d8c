from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.ch import uid as stdnum_uid

from ocp_portal import address_forms
from ocp_portal.address_forms import AddressFormMixin
from ocp_portal.dates import today
from ocp_portal.formats import format_chf
from ocp_portal.text import SingleLineFormMixin
from poursuites.constants import PartyKind

from . import keys
from .constants import EXTRACT_FEE, MAX_UPLOAD_BYTES
from .models import DemandeExtrait

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]


class OrderForm(AddressFormMixin, SingleLineFormMixin, forms.ModelForm):
    """Whose extract, their identity and address, and why (art. 8a LP asks for an interest)."""

    acknowledge = forms.BooleanField(
        label=_(
            "J'ai vérifié que ce document correspond à mon besoin : en cas d'erreur dans le document "
            "demandé, l'émolument de %(fee)s n'est pas remboursé."
        )
        % {"fee": format_chf(EXTRACT_FEE)},
        error_messages={"required": _("Confirmez que le document demandé correspond à votre besoin.")},
    )

    class Meta:
        model = DemandeExtrait
        fields = ["name", "first_name", "birth_date", "uid", *address_forms.ADDRESS_FIELDS, "purpose"]
        labels = {
            **address_forms.LABELS,
            "name": _("Nom"),
            "birth_date": _("Date de naissance"),
            "purpose": _("Motif de la demande"),
        }
        help_texts = {
            **address_forms.HELP_TEXTS,
            "birth_date": _("Par exemple 31.12.1980."),
            "purpose": _("Pourquoi demandez-vous cet extrait ? Par exemple : dossier de location d'un appartement."),
        }
        widgets = {
            **address_forms.WIDGETS,
            "birth_date": forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
            "name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "postal_code": forms.TextInput(attrs={"size": "8", "autocomplete": "postal-code"}),
            "town": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            **address_forms.ERROR_MESSAGES,
            "name": {"required": _("Indiquez le nom.")},
            "purpose": {"required": _("Indiquez le motif de la demande : la loi exige un intérêt (art. 8a LP).")},
            "birth_date": {"invalid": _("Saisissez une date valide, par exemple 31.12.1980.")},
        }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.instance.kind = kind
        self.fields["birth_date"].input_formats = DATE_FORMATS
        self.fields["country"].required = True
        self.fields["street"].required = True
        self.fields["street"].error_messages["required"] = _("Indiquez la rue.")
        if not self.is_bound and not self.initial.get("country"):
            self.initial["country"] = "CH"
        if kind == PartyKind.PHYSIQUE:
            del self.fields["uid"]
            for name in ("first_name", "birth_date"):
                self.fields[name].required = True
            self.fields["first_name"].error_messages["required"] = _("Indiquez le prénom.")
            self.fields["birth_date"].error_messages["required"] = _("Indiquez la date de naissance.")
        else:
            del self.fields["first_name"], self.fields["birth_date"]
            self.fields["name"].label = _("Raison sociale")
            self.fields["name"].widget.attrs["autocomplete"] = "organization"
            self.fields["town"].label = _("Siège (localité)")
            self.fields["uid"].help_text = _("Si l'entreprise est inscrite au registre du commerce : CHE-123.456.789.")

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born and (born >= today() or born.year < 1900):
            raise forms.ValidationError(_("La date de naissance doit être une date passée, après 1900."))
        return born

    def clean_uid(self):
        uid = self.cleaned_data["uid"].strip()
        if uid and not stdnum_uid.is_valid(uid):
            raise forms.ValidationError(_("IDE invalide : attendu CHE-123.456.789 avec sa clé de contrôle."))
        return stdnum_uid.format(uid) if uid else ""

    def clean_purpose(self):
        purpose = self.cleaned_data["purpose"].strip()
        if len(purpose) < 5:
            raise forms.ValidationError(_("Décrivez le motif en quelques mots."))
        return purpose

    def request_fields(self) -> dict:
        data = {name: value for name, value in self.cleaned_data.items() if name != "acknowledge"}
        return {"kind": self.kind, **data}


class VerifyForm(SingleLineFormMixin, forms.Form):
    reference = forms.CharField(
        label=_("Référence du document"),
        help_text=_("Par exemple AEL-45RX1KL1P2Q. Copiez-la depuis le PDF pour éviter les erreurs de saisie."),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
        error_messages={"required": _("Indiquez la référence du document.")},
    )
    access_key = forms.CharField(
        label=_("Clé d'accès"),
        help_text=_("15 caractères, majuscules et minuscules comptent. Par exemple pXnFJRsNoRJS7UD."),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
        error_messages={"required": _("Indiquez la clé d'accès.")},
    )


class CompareForm(forms.Form):
    TOO_LARGE = _("Le fichier dépasse 5 Mo : ce ne peut pas être un extrait de l'office.")
    file = forms.FileField(
        label=_("Le fichier PDF que l'on vous a remis"),
        help_text=_("Au plus 5 Mo. Le fichier est comparé puis oublié : il n'est pas conservé."),
        error_messages={"required": _("Choisissez le fichier PDF à comparer."), "empty": _("Ce fichier est vide.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(self.TOO_LARGE)
        return upload


class CheckFileForm(CompareForm):
    """The file a third party was given, checked by its seal (extraits.file_check)."""

    file = forms.FileField(
        label=_("Le fichier PDF que l'on vous a remis"),
        help_text=_("Au plus 5 Mo. Le fichier est vérifié puis oublié : il n'est pas conservé."),
        error_messages={"required": _("Choisissez le fichier PDF à vérifier."), "empty": _("Ce fichier est vide.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class ReferenceForm(SingleLineFormMixin, forms.Form):
    reference = forms.CharField(
        label=_("Numéro de référence reçu par e-mail"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Indiquez le numéro de référence.")},
    )

    def clean_reference(self):
        reference = keys.normalize_reference(self.cleaned_data["reference"])
        if not keys.is_well_formed(reference):
            raise forms.ValidationError(
                _("Une référence a la forme AEL- suivie de 11 caractères, par exemple AEL-45RX1KL1P2Q.")
            )
        return reference
