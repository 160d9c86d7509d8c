"""Penal orders as a purpose of card payments (registered in ContraventionsConfig.ready)."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ocp_portal.bookkeeping import MoneySource
from ocp_portal.dates import today
from ocp_portal.money import ZERO
from paiements.issuers import Issuer, from_settings
from paiements.purposes import CaptureOutcome, NotPayable, Purpose
from paiements.references import parse_qr_reference

from . import services
from .balance import order_balance
from .constants import EtatArrangement
from .models import OrdonnancePenale
from .procedure import PAYABLE

# Derived from the OCP's (seed 000) for the Service des contraventions; the service edits this file.
CONDITIONS = Path(__file__).parent / "conditions" / "conditions-paiement.txt"


class OrdonnancePenalePurpose(Purpose):
    """A penal order or conversion order, found by its 27-digit QR reference."""

    code = "ordonnance_penale"
    label = _("Ordonnance pénale")

    @property
    def issuer(self) -> Issuer:
        """The Service des contraventions: its own name, contacts, sender and conditions of payment."""
        return from_settings(
            settings.CONTRAVENTIONS, sender=settings.CONTRAVENTIONS_FROM_EMAIL, conditions_file=CONDITIONS
        )

    def resolve(self, reference: str, *, for_update: bool = False):
        digits = parse_qr_reference(reference)
        if digits is None:
            return None
        queryset = OrdonnancePenale.objects.select_for_update() if for_update else OrdonnancePenale.objects
        return queryset.filter(qr_reference=digits).first()

    def amount_due(self, obj, on: date) -> Decimal:
        return order_balance(obj).total if obj.state in PAYABLE else ZERO

    def allows_instalments(self, obj) -> bool:
        """In one go, unless a payment arrangement was granted."""
        return obj.arrangements.filter(state=EtatArrangement.ACCEPTE).exists()

    def on_captured(self, obj, payment) -> CaptureOutcome:
        on = today()
        due = self.amount_due(obj, on)
        try:
            services.record_payment(
                order=obj,
                on=on,
                amount=payment.amount,
                source=MoneySource.CARTE_EN_LIGNE,
                external_reference=str(payment.public_id),
                allow_surplus=True,
            )
        except ValidationError as error:
            raise NotPayable(" ".join(error.messages)) from error
        after = order_balance(OrdonnancePenale.objects.get(pk=obj.pk)).total
        return CaptureOutcome(
            applied=min(payment.amount, due), surplus=max(payment.amount - due, ZERO), new_balance=after
        )


PURPOSES = (OrdonnancePenalePurpose(),)
