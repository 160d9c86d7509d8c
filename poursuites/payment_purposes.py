"""Poursuites and ADB as purposes of card payments (registered in PoursuitesConfig.ready)."""

from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from ocp_portal.dates import today
from ocp_portal.money import ZERO
from paiements.purposes import CaptureOutcome, NotPayable

from . import services
from .balance import adb_balance, poursuite_balance
from .constants import PaymentSource
from .lookup import lookup
from .models import ActeDefautBiens, Poursuite
from .numbers import is_valid, parse_number
from .procedure import ProcedureError


class DossierPurpose:
    """A poursuite or an ADB, found by its number and key letter (e.g. `12345678 K`)."""

    def __init__(self, code: str, label, model: type[models.Model], balance):
        self.code, self.label, self.model, self.balance = code, label, model, balance

    def resolve(self, reference: str, *, for_update: bool = False):
        parsed = parse_number(reference)
        if parsed is None or parsed[1] is None or not is_valid(*parsed):
            return None
        queryset = self.model.objects.select_for_update() if for_update else self.model.objects
        return queryset.filter(number=parsed[0]).first()

    def amount_due(self, obj, on: date) -> Decimal:
        result = lookup(obj.number, obj.key_letter, on)
        return result.balance.total if result and result.is_payable else ZERO

    def allows_instalments(self, obj) -> bool:
        return True  # seed 000 §3: the balance or an instalment

    def describe(self, obj) -> str:
        return str(obj)

    def on_captured(self, obj, payment) -> CaptureOutcome:
        on = today()
        due = self.amount_due(obj, on)
        try:
            services.record_payment(
                target=obj,
                on=on,
                amount=payment.amount,
                source=PaymentSource.CARTE_EN_LIGNE,
                external_reference=str(payment.public_id),
                actor_label=_("Paiement en ligne"),
                allow_surplus=True,
            )
        except ProcedureError as error:
            raise NotPayable(str(error)) from error
        after = self.balance(self.model.objects.get(pk=obj.pk), on)
        return CaptureOutcome(
            applied=min(payment.amount, due), surplus=max(payment.amount - due, ZERO), new_balance=after.total
        )


PURPOSES = (
    DossierPurpose("poursuite", _("Poursuite"), Poursuite, poursuite_balance),
    DossierPurpose("adb", _("Acte de défaut de biens"), ActeDefautBiens, adb_balance),
)
