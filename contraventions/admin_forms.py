"""Forms behind the clerks' actions on penal orders and arrangements; each calls one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ocp_portal.admin_actions import ISO_DATE, MONEY, ActionForm, MoneyReceivedForm
from ocp_portal.money_fields import MoneyField

from . import arrangements, recovery, services
from .constants import Etape, MotifConversion
from .models import OrdonnancePenale

NOTE = {"label": _("Remarque"), "max_length": 255, "required": False}


class OrderForm(forms.ModelForm):
    """A new order at the guichet: the service's checks run on the form, so that they show there."""

    class Meta:
        model = OrdonnancePenale
        fields = ["offender", "offence", "fine", "notification_date"]

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and data.get("fine") is not None and data.get("notification_date"):
            services.check_new_order(fine=data["fine"], notification_date=data["notification_date"])
        return data


class OppositionForm(ActionForm):
    title = _("Enregistrer une opposition")

    def perform(self, target, actor):
        return services.record_opposition(order=target, on=self.cleaned_data["on"], actor=actor)


class MaintainForm(ActionForm):
    title = _("Maintenir l'ordonnance (transmission au Tribunal de police)")
    note = forms.CharField(**NOTE)

    def perform(self, target, actor):
        return services.maintain(order=target, on=self.cleaned_data["on"], note=self.cleaned_data["note"], actor=actor)


class ClassifyForm(MaintainForm):
    title = _("Classer l'ordonnance")

    def perform(self, target, actor):
        return services.classify(order=target, on=self.cleaned_data["on"], note=self.cleaned_data["note"], actor=actor)


class JudgmentForm(MaintainForm):
    title = _("Enregistrer le jugement confirmant l'ordonnance")
    note = forms.CharField(label=_("Jugement (tribunal, date, référence)"), max_length=255)

    def perform(self, target, actor):
        data = self.cleaned_data
        return services.record_judgment(order=target, on=data["on"], note=data["note"], actor=actor)


class RevisionForm(ActionForm):
    title = _("Réviser le montant de l'amende")
    fine = MoneyField(label=_("Nouvelle amende (CHF)"), **MONEY)
    note = forms.CharField(**NOTE)

    def perform(self, target, actor):
        data = self.cleaned_data
        return services.revise_fine(order=target, fine=data["fine"], on=data["on"], note=data["note"], actor=actor)


class PaymentForm(MoneyReceivedForm):
    record_payment = staticmethod(services.record_payment)
    dossier = "order"


class RecoveryStepForm(ActionForm):
    title = _("Effectuer une étape de recouvrement")
    step = forms.ChoiceField(label=_("Étape"), choices=Etape.choices)

    def perform(self, target, actor):
        return recovery.perform_step(
            order=target, step=self.cleaned_data["step"], on=self.cleaned_data["on"], actor=actor
        )


class AddressInvalidForm(MaintainForm):
    title = _("Signaler une adresse non valable (courrier en retour)")

    def perform(self, target, actor):
        data = self.cleaned_data
        return services.mark_address_invalid(order=target, on=data["on"], note=data["note"], actor=actor)


ORDER_ACTIONS = {
    "paiement": PaymentForm,
    "recouvrement": RecoveryStepForm,
    "opposition": OppositionForm,
    "maintien": MaintainForm,
    "classement": ClassifyForm,
    "jugement": JudgmentForm,
    "revision": RevisionForm,
    "adresse": AddressInvalidForm,
}
CONVERSION_ACTIONS = {
    "paiement": PaymentForm,
    "opposition": OppositionForm,
    "maintien": MaintainForm,
    "classement": ClassifyForm,
    "jugement": JudgmentForm,
}


class AcceptForm(ActionForm):
    title = _("Accepter l'arrangement")
    first_due_date = forms.DateField(
        label=_("Première échéance"), widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)
    )

    def perform(self, target, actor):
        data = self.cleaned_data
        return arrangements.accept(
            arrangement=target, first_due_date=data["first_due_date"], on=data["on"], actor=actor
        )


class RefuseForm(ActionForm):
    title = _("Refuser l'arrangement")
    reason = forms.CharField(label=_("Motif du refus"), max_length=255)

    def perform(self, target, actor):
        data = self.cleaned_data
        return arrangements.refuse(arrangement=target, reason=data["reason"], on=data["on"], actor=actor)


class BrokenForm(ActionForm):
    title = _("Constater que l'arrangement n'est pas respecté")

    def perform(self, target, actor):
        return arrangements.declare_broken(arrangement=target, on=self.cleaned_data["on"], actor=actor)


ARRANGEMENT_ACTIONS = {"accepter": AcceptForm, "refuser": RefuseForm, "rompu": BrokenForm}


class ConversionForm(forms.Form):
    orders = forms.ModelMultipleChoiceField(
        label=_("Ordonnances pénales à convertir"),
        queryset=OrdonnancePenale.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    ground = forms.ChoiceField(
        label=_("Motif : la poursuite est dénuée de chance de succès"), choices=MotifConversion.choices
    )
    note = forms.CharField(
        label=_("Pièce justificative"),
        max_length=255,
        required=False,
        help_text=_("Obligatoire pour une faillite : tribunal, date, référence."),
    )
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE))

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orders"].queryset = queryset
