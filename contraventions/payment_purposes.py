"""Penal orders as a purpose of card payments (PURPOSES, registered by paiements)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ocp_portal.bookkeeping import MoneySource
from ocp_portal.money import ZERO
from paiements.purposes import NotPayable

from . import services
from .balance import order_balance
from .constants import EtatArrangement
from .instalment_payments import InstalmentPurpose
from .issuer import ServicePurpose
from .lookup import lookup
from .models import OrdonnancePenale
from .procedure import PAYABLE


class OrdonnancePenalePurpose(ServicePurpose):
    """A penal order or conversion order, found by its 27-digit QR reference."""

    code = "ordonnance_penale"
    label = _("Ordonnance pénale")

    def queryset(self, *, for_update: bool):
        return OrdonnancePenale.objects.select_for_update() if for_update else OrdonnancePenale.objects.all()

    def amount_due(self, obj, on: date) -> Decimal:
        return order_balance(obj).total if obj.state in PAYABLE else ZERO

    def allows_instalments(self, obj) -> bool:
        """In one go, unless a payment arrangement was granted."""
        return obj.arrangements.filter(state=EtatArrangement.ACCEPTE).exists()

    bill_summary_template = "pdf/contraventions/order_summary.html"

    def looked_up(self, obj, on: date):
        return lookup(obj.qr_reference)

    def bill_filename(self, obj) -> str:
        return f"facture-qr-op-{obj.case_number}.pdf"

    def record_card_payment(self, obj, payment, on: date) -> None:
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


PURPOSES = (OrdonnancePenalePurpose(), InstalmentPurpose())
