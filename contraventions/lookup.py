"""The public side's view of an order, found by a 27-digit reference: of the order itself or of
one of its instalments. It never shows the offence or the offender."""

from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from ocp_portal.dates import today
from paiements.qrbill import MAX_AMOUNT as QR_BILL_MAX_AMOUNT
from paiements.references import parse_qr_reference

from .arrangements import InstalmentRow, schedule
from .balance import Balance, order_balance
from .constants import EtatArrangement, EtatOrdonnance
from .models import ArrangementPaiement, Echeance, OrdonnancePenale
from .procedure import PAYABLE, opposition_deadline, revision_deadline
from .recovery import Outlook, outlook, pay_by, reminders_sent

S = EtatOrdonnance
NOT_PAYABLE_REASONS = {
    S.OPPOSITION: _("Une opposition est en cours d'examen : aucun paiement n'est demandé pour l'instant."),
    S.MAINTENUE: _(
        "L'ordonnance a été maintenue et transmise au Tribunal de police : aucun paiement n'est demandé avant sa "
        "décision."
    ),
    S.CLASSEE: _("Cette ordonnance pénale a été classée : aucun montant n'est dû."),
    S.PAYEE: _("Cette ordonnance pénale est payée. Merci."),
    S.EN_POURSUITE: _(
        "Cette ordonnance pénale fait l'objet d'une poursuite : payez le solde de la poursuite n° %(poursuite)s "
        "auprès de l'Office cantonal des poursuites."
    ),
    S.CONVERTIE: _(
        "Cette ordonnance pénale a été convertie par l'ordonnance pénale de conversion n° %(conversion)s : "
        "c'est celle-ci qu'il faut payer."
    ),
}


@dataclass(frozen=True)
class LookupResult:
    order: OrdonnancePenale
    balance: Balance
    arrangement: ArrangementPaiement | None

    @property
    def is_payable(self) -> bool:
        return self.order.state in PAYABLE and self.balance.total > 0

    @property
    def fits_a_qr_bill(self) -> bool:
        return self.is_payable and self.balance.total <= QR_BILL_MAX_AMOUNT

    @property
    def reason(self) -> str:
        order = self.order
        reason = NOT_PAYABLE_REASONS.get(order.state, "")
        return str(reason) % {
            "poursuite": order.poursuite.reference if order.poursuite_id else "—",
            "conversion": order.conversion.case_number if order.conversion_id else "—",
        }

    @property
    def pay_by(self):
        return pay_by(self.order)

    @cached_property
    def recovery(self) -> Outlook:
        """Overdue or not, the reminders sent and what comes next (recovery.outlook)."""
        return outlook(self.order, today())

    @cached_property
    def schedule(self) -> list[InstalmentRow]:
        """The granted arrangement's instalments, paid or not; empty without one."""
        return schedule(self.arrangement, today()) if self.arrangement else []

    @cached_property
    def next_instalment(self) -> InstalmentRow | None:
        """Under a granted arrangement, the instalment offered first (the balance stays an option)."""
        if not self.is_payable:
            return None
        return next((row for row in self.schedule if not row.paid), None)

    @property
    def opposition_deadline(self):
        """The last day to oppose, while it is still to come."""
        last_day = opposition_deadline(self.order.notification_date)
        return last_day if last_day >= today() else None

    @property
    def revision_deadline(self):
        """The last day to ask for a revision, while still possible: never after a reminder (seed 003)."""
        if self.order.is_conversion or reminders_sent(self.order):
            return None
        last_day = revision_deadline(self.order.notification_date)
        return last_day if last_day >= today() else None


def find_order(reference: str) -> OrdonnancePenale | None:
    """The order of a typed reference (spaces tolerated), checked by its check digit first."""
    digits = parse_qr_reference(reference)
    if digits is None:
        return None
    queryset = OrdonnancePenale.objects.select_related("poursuite", "conversion").prefetch_related(
        "fees", "payments", "recovery_steps", "arrangements__instalments"
    )
    order = queryset.filter(qr_reference=digits).first()
    if order is None:
        instalment = Echeance.objects.filter(qr_reference=digits).values_list("arrangement__ordonnance", flat=True)
        order = queryset.filter(pk__in=instalment).first()
    return order


def lookup(reference: str) -> LookupResult | None:
    order = find_order(reference)
    if order is None:
        return None
    accepted = [a for a in order.arrangements.all() if a.state == EtatArrangement.ACCEPTE]
    return LookupResult(order=order, balance=order_balance(order), arrangement=accepted[0] if accepted else None)
