"""Poursuites, ADB and the non-divulgation fee as purposes of card payments (PURPOSES, registered by paiements)."""

import uuid
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocp_portal.bookkeeping import MoneySource
from ocp_portal.money import ZERO
from paiements.constants import IncidentKind
from paiements.purposes import CaptureOutcome, DebtPurpose, NotPayable, Purpose
from paiements.state import record_incident

from . import services
from .constants import NON_DISCLOSURE_FEE
from .lookup import lookup
from .models import ActeDefautBiens, Poursuite
from .non_divulgation import services as non_divulgation
from .non_divulgation.models import DemandeNonDivulgation
from .numbers import is_valid, parse_number
from .procedure import ProcedureError

# Seed 004: a paid poursuite stays on the register, marked paid.
PAID_POURSUITE_STAYS = _(
    "La poursuite continuera d'être communiquée pendant 5 ans et figurera sur l'extrait du registre avec "
    "l'indication qu'elle a été payée ; seul un contrordre du créancier la fait disparaître."
)


class DossierPurpose(DebtPurpose):
    """A poursuite or an ADB, found by its number and key letter (e.g. `12345678 K`)."""

    def __init__(self, code: str, label, model: type[models.Model]):
        self.code, self.label, self.model = code, label, model

    def resolve(self, reference: str, *, for_update: bool = False):
        parsed = parse_number(reference)
        if parsed is None or parsed[1] is None or not is_valid(*parsed):
            return None
        queryset = self.model.objects.select_for_update() if for_update else self.model.objects
        return queryset.filter(number=parsed[0]).first()

    def amount_due(self, obj, on: date) -> Decimal:
        result = self.looked_up(obj, on)
        return result.balance.total if result and result.is_payable else ZERO

    def allows_instalments(self, obj) -> bool:
        return True  # seed 000 §3: the balance or an instalment

    def back_link(self, obj):
        return _("Retour à la consultation du solde"), reverse("poursuites:balance_lookup")

    def receipt_notes(self, payment) -> tuple[str, ...]:
        if self.code == "poursuite" and payment.balance_after is not None and payment.balance_after <= ZERO:
            return (PAID_POURSUITE_STAYS,)
        return ()

    bill_summary_template = "pdf/poursuites/balance_summary.html"

    def looked_up(self, obj, on: date):
        return lookup(obj.number, obj.key_letter, on)

    def bill_filename(self, obj) -> str:
        return f"facture-qr-{obj.number:08d}{obj.key_letter}.pdf"

    def record_card_payment(self, obj, payment, on: date) -> None:
        try:
            services.record_payment(
                target=obj,
                on=on,
                amount=payment.amount,
                source=MoneySource.CARTE_EN_LIGNE,
                external_reference=str(payment.public_id),
                actor_label=_("Paiement en ligne"),
                allow_surplus=True,
            )
        except (ProcedureError, ValidationError) as error:
            raise NotPayable(" ".join(getattr(error, "messages", [str(error)]))) from error


class NonDivulgationPurpose(Purpose):
    """The CHF 40 fee of a non-divulgation request (art. 12b OELP), owed whatever the outcome.
    The reference is the request's public id."""

    code = "non_divulgation"
    label = _("Émolument de non-divulgation")
    fee = True

    def resolve(self, reference: str, *, for_update: bool = False):
        try:
            public_id = uuid.UUID(str(reference))
        except ValueError:
            return None
        queryset = DemandeNonDivulgation.objects.select_related("poursuite")
        if for_update:
            queryset = queryset.select_for_update()
        return queryset.filter(public_id=public_id).first()

    def amount_due(self, obj, on: date) -> Decimal:
        return non_divulgation.fee_due(obj, on=on)

    def describe(self, obj) -> str:
        return str(
            _("Émolument de non-divulgation (art. 12b OELP), poursuite n° %(number)s")
            % {"number": obj.poursuite.reference}
        )

    def on_captured(self, obj, payment) -> CaptureOutcome:
        try:
            admissibility = non_divulgation.record_fee_paid(demande=obj, payment=payment)
        except non_divulgation.AlreadyPaid as error:
            raise NotPayable(str(error)) from error
        if not admissibility.ok:  # the fee stays owed (art. 12b OELP): flagged, not refunded
            record_incident(
                IncidentKind.NOT_PAYABLE,
                f"Demande de non-divulgation devenue irrecevable au paiement ({' '.join(admissibility.reasons)}) "
                "L'émolument reste dû quelle que soit l'issue : pas de remboursement ; demande « à examiner ».",
                payment,
            )
        applied = min(payment.amount, NON_DISCLOSURE_FEE)
        return CaptureOutcome(applied=applied, surplus=max(payment.amount - applied, ZERO))  # a fee: no balance

    def follow_up(self, obj):
        url = reverse("poursuites:non_divulgation_detail", args=[obj.public_id])
        return _("Suivre ma demande de non-divulgation"), url


PURPOSES = (
    DossierPurpose("poursuite", _("Poursuite"), Poursuite),
    DossierPurpose("adb", _("Acte de défaut de biens"), ActeDefautBiens),
    NonDivulgationPurpose(),
)
