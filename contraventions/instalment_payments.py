"""An instalment of a granted arrangement as a purpose of its own: its QR-bill carries the
instalment's own QR reference and what is left on it, its card payment is that amount, and the
money lands on the order (it settles instalments in order, arrangements.schedule)."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocp_portal.dates import today
from ocp_portal.money import ZERO
from paiements.purposes import CaptureOutcome, QrBillContent
from paiements.qrbill import MAX_AMOUNT as QR_BILL_MAX_AMOUNT

from .arrangements import schedule
from .balance import order_balance
from .constants import EtatArrangement
from .issuer import ServicePurpose
from .lookup import lookup
from .models import Echeance, OrdonnancePenale
from .procedure import PAYABLE


class InstalmentPurpose(ServicePurpose):
    """An instalment (`Echeance`), found by its own 27-digit QR reference."""

    code = "echeance_arrangement"
    label = gettext_lazy("Mensualité d'un arrangement de paiement")
    bill_summary_template = "pdf/contraventions/instalment_summary.html"

    def queryset(self, *, for_update: bool):
        queryset = Echeance.objects.select_related("arrangement__ordonnance")
        return queryset.select_for_update(of=("self",)) if for_update else queryset

    def amount_due(self, obj, on: date) -> Decimal:
        """What is left on this instalment while its arrangement runs; nothing otherwise."""
        arrangement = obj.arrangement
        order = OrdonnancePenale.objects.get(pk=arrangement.ordonnance_id)
        total = order_balance(order).total
        if arrangement.state != EtatArrangement.ACCEPTE or order.state not in PAYABLE or total <= ZERO:
            return ZERO
        left = next(row.left for row in schedule(arrangement, on) if row.instalment.pk == obj.pk)
        return min(left, total)

    def describe(self, obj) -> str:
        return _("Mensualité %(n)s/%(count)s — %(order)s") % {
            "n": obj.position,
            "count": obj.arrangement.instalments.count(),
            "order": obj.arrangement.ordonnance,
        }

    def paid_for(self, payment) -> str:
        return _("Mensualité : %(label)s") % {"label": payment.label}

    def bill_filename(self, obj) -> str:
        return f"facture-qr-op-{obj.arrangement.ordonnance.case_number}-mensualite-{obj.position}.pdf"

    def qr_bill(self, obj, on: date) -> QrBillContent | None:
        due = self.amount_due(obj, on)
        if due <= ZERO or due > QR_BILL_MAX_AMOUNT:
            return None
        order = obj.arrangement.ordonnance
        return QrBillContent(
            amount=due,
            reference=obj.qr_reference,
            additional_information=self.describe(obj),
            title=self.describe(obj),
            filename=self.bill_filename(obj),
            summary_template=self.bill_summary_template,
            summary_context={"result": lookup(order.qr_reference), "instalment": obj, "due": due},
        )

    def on_captured(self, obj, payment) -> CaptureOutcome:
        """The money goes to the order; what the payer sees next is the order's balance."""
        from .payment_purposes import OrdonnancePenalePurpose  # registered beside this one

        order_purpose = OrdonnancePenalePurpose()
        order = OrdonnancePenale.objects.get(pk=obj.arrangement.ordonnance_id)
        on = today()
        due = order_purpose.amount_due(order, on)
        order_purpose.record_card_payment(order, payment, on)
        after = order_purpose.amount_due(OrdonnancePenale.objects.get(pk=order.pk), on)
        return CaptureOutcome(
            applied=min(payment.amount, due), surplus=max(payment.amount - due, ZERO), new_balance=after
        )
