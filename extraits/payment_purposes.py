"""The CHF 17 fee of an extract as a purpose of card payments (PURPOSES, registered by paiements)."""

import uuid
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocp_portal.money import ZERO
from paiements.purposes import CaptureOutcome, NotPayable, Purpose

from . import services
from .constants import RequestState
from .models import DemandeExtrait


class ExtraitPurpose(Purpose):
    code = "extrait"
    label = _("Extrait du registre des poursuites")
    fee = True

    def resolve(self, reference: str, *, for_update: bool = False):
        try:
            public_id = uuid.UUID(reference)
        except (ValueError, TypeError):
            return None
        queryset = DemandeExtrait.objects.select_for_update() if for_update else DemandeExtrait.objects
        return queryset.filter(public_id=public_id).first()

    def amount_due(self, obj, on: date) -> Decimal:
        return obj.fee if obj.state == RequestState.A_PAYER else ZERO

    def on_captured(self, obj, payment) -> CaptureOutcome:
        if obj.state != RequestState.A_PAYER:
            raise NotPayable(_("Cette demande d'extrait est déjà payée."))
        if payment.amount != obj.fee:
            raise NotPayable(_("Le montant payé ne correspond pas à l'émolument de l'extrait."))
        services.mark_paid(obj, payment_reference=str(payment.public_id))
        return CaptureOutcome(applied=payment.amount)  # a fee: no balance to show

    def follow_up(self, obj):
        return _("Suivre ma demande d'extrait"), reverse("extraits:requests")


PURPOSES = (ExtraitPurpose(),)
