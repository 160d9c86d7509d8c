"""The clerks' actions on a non-divulgation request; each one calls one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ocp_portal.admin_actions import ActionForm

from ..constants import EtatNonDivulgation, PreuveCreancier
from . import services

E = EtatNonDivulgation
NOTE = {"label": _("Remarque"), "max_length": 200, "required": False}


class RequestActionForm(ActionForm):
    """`service` is called with the request, the clerk and the form's fields as keyword
    arguments (so a field is named as the service's argument); `states`: where the action is
    offered (the service decides whether it is allowed)."""

    states: tuple = ()
    service = None

    def perform(self, target, actor):
        return type(self).service(demande=target, actor=actor, **self.cleaned_data)


class NotifiedForm(RequestActionForm):
    title = _("Enregistrer la notification de l'interpellation au créancier")
    states = (E.INTERPELLATION_A_NOTIFIER,)
    service = services.record_interpellation_notified


class CreditorProofForm(RequestActionForm):
    title = _("Enregistrer la preuve du créancier (la demande est rejetée)")
    states = (E.INTERPELLATION_A_NOTIFIER, E.DELAI_EN_COURS)
    service = services.record_creditor_proof
    proof = forms.ChoiceField(label=_("Preuve apportée"), choices=PreuveCreancier.choices, widget=forms.RadioSelect)
    note = forms.CharField(**NOTE)


class AdmitForm(RequestActionForm):
    title = _("Déclarer recevable et interpeller le créancier")
    states = (E.A_EXAMINER,)
    service = services.admit
    on = None


class RejectForm(RequestActionForm):
    title = _("Rejeter la demande (irrecevable)")
    states = (E.A_EXAMINER,)
    service = services.reject_inadmissible
    on = None
    reason = forms.CharField(
        label=_("Motif communiqué au requérant"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class LaterProofForm(CreditorProofForm):
    title = _("Enregistrer une preuve ultérieure du créancier (la poursuite est à nouveau divulguée)")
    states = (E.ACCORDEE,)
    service = services.record_later_proof
    proof = forms.ChoiceField(
        label=_("Preuve apportée"),
        choices=[(p.value, p.label) for p in (PreuveCreancier.MAINLEVEE, PreuveCreancier.ACTION)],
        widget=forms.RadioSelect,
    )


class MainleveeRejectedForm(RequestActionForm):
    title = _("Enregistrer le rejet définitif de la mainlevée, prouvé par le débiteur (à nouveau non divulguée)")
    states = (E.REDIVULGUEE,)
    service = services.record_mainlevee_rejection
    note = forms.CharField(**NOTE)


REQUEST_ACTIONS = {
    "recevable": AdmitForm,
    "irrecevable": RejectForm,
    "notification": NotifiedForm,
    "preuve": CreditorProofForm,
    "preuve-ulterieure": LaterProofForm,
    "rejet-mainlevee": MainleveeRejectedForm,
}
