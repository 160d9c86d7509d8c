"""Forms behind the clerks' actions on a poursuite or ADB; each one calls one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ocp_portal.admin_actions import ISO_DATE, MONEY, ActionForm, MoneyReceivedForm
from ocp_portal.dates import today
from ocp_portal.formats import format_chf
from ocp_portal.money_fields import MoneyField

from . import services
from .constants import EventType, FeeKind, PoursuiteKind
from .fees import NOTIFICATION_ATTEMPT_FEE


class NotificationForm(ActionForm):
    title = _("Enregistrer la notification du commandement de payer")
    failed_attempts = forms.IntegerField(
        label=_("Tentatives de notification infructueuses"),
        min_value=0,
        max_value=10,
        initial=0,
        help_text=_("Chacune est facturée %(fee)s (art. 16 al. 3 OELP).")
        % {"fee": format_chf(NOTIFICATION_ATTEMPT_FEE)},
    )

    def perform(self, target, actor):
        data = self.cleaned_data
        return services.record_notification(
            poursuite=target, on=data["on"], failed_attempts=data["failed_attempts"], actor=actor
        )


class OppositionForm(ActionForm):
    title = _("Enregistrer une opposition")
    partial = forms.BooleanField(label=_("Opposition partielle"), required=False)
    contested_amount = MoneyField(label=_("Montant contesté (opposition partielle)"), required=False, **MONEY)
    late = forms.BooleanField(
        label=_("Tardive"),
        required=False,
        help_text=_("À cocher seulement pour une opposition reçue après le délai de 10 jours."),
    )

    def perform(self, target, actor):
        data = self.cleaned_data
        kind = EventType.OPPOSITION_PARTIELLE if data["partial"] else EventType.OPPOSITION_TOTALE
        return services.record_event(
            poursuite=target, type=kind, on=data["on"], amount=data["contested_amount"], late=data["late"], actor=actor
        )


class StepForm(ActionForm):
    title = _("Enregistrer une étape de la procédure")
    type = forms.ChoiceField(
        label=_("Étape"),
        choices=[
            (e.value, e.label)
            for e in (
                EventType.MAINLEVEE,
                EventType.CONTINUATION,
                EventType.AVIS_SAISIE,
                EventType.SAISIE_EXECUTEE,
                EventType.COMMINATION_FAILLITE,
                EventType.REALISATION,
            )
        ],
    )
    note = forms.CharField(label=_("Remarque"), max_length=255, required=False)

    def perform(self, target, actor):
        data = self.cleaned_data
        return services.record_event(poursuite=target, type=data["type"], on=data["on"], note=data["note"], actor=actor)


class ContrordreForm(ActionForm):
    title = _("Enregistrer un contrordre (retrait par le créancier)")
    note = forms.CharField(label=_("Remarque"), max_length=255, required=False)

    def perform(self, target, actor):
        data = self.cleaned_data
        return services.record_event(
            poursuite=target, type=EventType.CONTRORDRE, on=data["on"], note=data["note"], actor=actor
        )


class AnnulationForm(ContrordreForm):
    title = _("Enregistrer l'annulation (jugement, art. 85a LP)")
    permission = "poursuites.annul_poursuite"
    note = forms.CharField(label=_("Décision (autorité, date, référence)"), max_length=255)

    def perform(self, target, actor):
        data = self.cleaned_data
        return services.record_event(
            poursuite=target, type=EventType.ANNULATION, on=data["on"], note=data["note"], actor=actor
        )


class PaymentForm(MoneyReceivedForm):
    record_payment = staticmethod(services.record_payment)
    dossier = "target"


class FeeForm(ActionForm):
    title = _("Ajouter des frais")
    kind = forms.ChoiceField(
        label=_("Nature"), choices=[(k.value, k.label) for k in FeeKind if k != FeeKind.COMMANDEMENT]
    )
    amount = MoneyField(label=_("Montant (CHF)"), **MONEY)
    label = forms.CharField(label=_("Libellé"), max_length=140, required=False)

    def perform(self, target, actor):
        data = self.cleaned_data
        return services.add_fee(
            poursuite=target, kind=data["kind"], on=data["on"], amount=data["amount"], label=data["label"], actor=actor
        )


class IssueADBForm(ActionForm):
    title = _("Délivrer un acte de défaut de biens")
    amount = MoneyField(
        label=_("Montant (CHF)"),
        required=False,
        help_text=_("Laisser vide pour le solde de la poursuite à cette date (intérêts et frais compris)."),
        **MONEY,
    )

    def perform(self, target, actor):
        data = self.cleaned_data
        return services.issue_adb(poursuite=target, on=data["on"], amount=data["amount"], actor=actor)


class StrikeADBForm(ActionForm):
    title = _("Radier l'acte de défaut de biens")

    def perform(self, target, actor):
        return services.strike_adb(adb=target, on=self.cleaned_data["on"], actor=actor)


POURSUITE_ACTIONS = {
    "notification": NotificationForm,
    "opposition": OppositionForm,
    "etape": StepForm,
    "paiement": PaymentForm,
    "frais": FeeForm,
    "adb": IssueADBForm,
    "contrordre": ContrordreForm,
    "annulation": AnnulationForm,
}
ADB_ACTIONS = {"paiement": PaymentForm, "radiation": StrikeADBForm}


class RequisitionCodeForm(forms.Form):
    """Stage 1 of « Nouvelle poursuite depuis une réquisition »: the scanned or pasted code."""

    code = forms.CharField(
        label=_("Code de la réquisition"),
        help_text=_("Scannez le code QR imprimé sur la réquisition, ou collez son contenu."),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80, "autofocus": True, "spellcheck": "false"}),
    )

    def clean_code(self):
        from .requisition.codec import InvalidCode, decode

        try:
            self.payload = decode(self.cleaned_data["code"])
        except InvalidCode as error:
            raise forms.ValidationError(str(error)) from None
        return self.cleaned_data["code"]


class RequisitionConfirmForm(RequisitionCodeForm):
    """Stage 2: the clerk checks the data, matches the parties and confirms."""

    NEW = "new"
    requisition_date = forms.DateField(
        label=_("Reçue le"), initial=today, widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)
    )
    kind = forms.ChoiceField(label=_("Voie de la poursuite"), choices=[])

    def __init__(self, *args, proposals, payload, **kwargs):
        from .requisition.intake import suggested_kind

        super().__init__(*args, **kwargs)
        self.fields["code"].widget = forms.HiddenInput()
        self.proposals = proposals
        if payload["kind"] == "gage":
            self.fields["kind"].choices = [(PoursuiteKind.GAGE.value, PoursuiteKind.GAGE.label)]
        else:
            self.fields["kind"].choices = [
                (kind.value, kind.label) for kind in (PoursuiteKind.SAISIE, PoursuiteKind.FAILLITE)
            ]
            self.fields["kind"].initial = suggested_kind(payload)
        for proposal in proposals:
            choices = [(str(party.pk), f"{party} — {', '.join(party.address_lines)}") for party in proposal.candidates]
            self.fields[f"party_{proposal.role}"] = forms.ChoiceField(
                label=ROLE_LABELS[proposal.role],
                choices=[*choices, (self.NEW, _("Créer une nouvelle partie avec les données de la réquisition"))],
                initial=choices[0][0] if len(choices) == 1 else self.NEW,
                widget=forms.RadioSelect,
            )

    def party_choices(self) -> dict:
        return {
            proposal.role: None
            if self.cleaned_data[f"party_{proposal.role}"] == self.NEW
            else int(self.cleaned_data[f"party_{proposal.role}"])
            for proposal in self.proposals
        }


ROLE_LABELS = {"debtor": _("Débiteur"), "creditor": _("Créancier"), "representative": _("Représentant du créancier")}
