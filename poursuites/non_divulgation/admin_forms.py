"""The clerks' actions on a non-divulgation request; each one calls one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..admin_forms import ActionForm
from ..constants import EtatNonDivulgation, PreuveCreancier
from . import services

E = EtatNonDivulgation
NOTE = {"label": _("Remarque"), "max_length": 200, "required": False}


class RequestActionForm(ActionForm):
    """`states`: where the action is offered (the service decides whether it is allowed)."""

    states: tuple = ()


class NotifiedForm(RequestActionForm):
    title = _("Enregistrer la notification de l'interpellation au créancier")
    states = (E.INTERPELLATION_A_NOTIFIER,)

    def perform(self, target, actor):
        return services.record_interpellation_notified(demande=target, on=self.cleaned_data["on"], actor=actor)


class CreditorProofForm(RequestActionForm):
    title = _("Enregistrer la preuve du créancier (la demande est rejetée)")
    states = (E.INTERPELLATION_A_NOTIFIER, E.DELAI_EN_COURS)
    proof = forms.ChoiceField(label=_("Preuve apportée"), choices=PreuveCreancier.choices, widget=forms.RadioSelect)
    note = forms.CharField(**NOTE)

    def perform(self, target, actor):
        data = self.cleaned_data
        return services.record_creditor_proof(
            demande=target, proof=data["proof"], on=data["on"], note=data["note"], actor=actor
        )


class AdmitForm(RequestActionForm):
    title = _("Déclarer recevable et interpeller le créancier")
    states = (E.A_EXAMINER,)
    on = None

    def perform(self, target, actor):
        return services.admit(demande=target, actor=actor)


class RejectForm(RequestActionForm):
    title = _("Rejeter la demande (irrecevable)")
    states = (E.A_EXAMINER,)
    on = None
    reason = forms.CharField(
        label=_("Motif communiqué au requérant"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def perform(self, target, actor):
        return services.reject_inadmissible(demande=target, reason=self.cleaned_data["reason"], actor=actor)


class LaterProofForm(RequestActionForm):
    title = _("Enregistrer une preuve ultérieure du créancier (la poursuite est à nouveau divulguée)")
    states = (E.ACCORDEE,)
    proof = forms.ChoiceField(
        label=_("Preuve apportée"),
        choices=[(p.value, p.label) for p in (PreuveCreancier.MAINLEVEE, PreuveCreancier.ACTION)],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(**NOTE)

    def perform(self, target, actor):
        data = self.cleaned_data
        return services.record_later_proof(
            demande=target, proof=data["proof"], on=data["on"], note=data["note"], actor=actor
        )


class MainleveeRejectedForm(RequestActionForm):
    title = _("Enregistrer le rejet définitif de la mainlevée, prouvé par le débiteur (à nouveau non divulguée)")
    states = (E.REDIVULGUEE,)
    note = forms.CharField(**NOTE)

    def perform(self, target, actor):
        data = self.cleaned_data
        return services.record_mainlevee_rejection(demande=target, on=data["on"], note=data["note"], actor=actor)


REQUEST_ACTIONS = {
    "recevable": AdmitForm,
    "irrecevable": RejectForm,
    "notification": NotifiedForm,
    "preuve": CreditorProofForm,
    "preuve-ulterieure": LaterProofForm,
    "rejet-mainlevee": MainleveeRejectedForm,
}
