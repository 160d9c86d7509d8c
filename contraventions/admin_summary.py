"""What a clerk reads at the top of a penal order's page: the balance with its breakdown, the
timeline and the deadlines ahead (opposition, revision, payment, the next recovery step). The rules
stay in balance.py, procedure.py and recovery.py; this only gathers their answers for the page."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from poursuites.admin_summary import DatedLine

from .balance import Balance, order_balance
from .constants import EtatOrdonnance
from .models import OrdonnancePenale
from .procedure import PAYABLE, opposition_deadline, revision_deadline
from .recovery import Outlook, outlook


@dataclass(frozen=True)
class OrderSummary:
    on: date
    balance: Balance
    outlook: Outlook
    timeline: list[DatedLine]


def order_summary(order: OrdonnancePenale, on: date) -> OrderSummary:
    order = OrdonnancePenale.objects.prefetch_related(
        "fees", "payments", "events", "recovery_steps", "arrangements"
    ).get(pk=order.pk)
    balance, ahead = order_balance(order), outlook(order, on)
    timeline = [
        DatedLine(event.date, event.get_type_display(), event.note)
        for event in sorted(order.events.all(), key=lambda event: (event.date, event.pk))
    ]
    deadlines = []
    if order.state == EtatOrdonnance.NOTIFIEE:
        deadlines += [
            (_("Délai d'opposition (10 jours, art. 354 CPP)"), opposition_deadline(order.notification_date), False),
            (
                _("Délai pour demander la révision de l'amende (10 jours)"),
                revision_deadline(order.notification_date),
                False,
            ),
        ]
    if order.state in PAYABLE and balance.total > 0:
        if not ahead.suspended:  # else the arrangement's schedule, shown below, replaces the deadline
            deadlines.append((_("À payer au plus tard le"), ahead.pay_by, False))
        step = ahead.next_step
        if step is not None and step.earliest:
            label = _("Prochaine étape de recouvrement : %(step)s") % {"step": step.label}
            deadlines.append((label, step.earliest, True))
    timeline += [
        DatedLine.ahead(day, label, on, opens=opens) for label, day, opens in sorted(deadlines, key=lambda d: d[1])
    ]
    return OrderSummary(on=on, balance=balance, outlook=ahead, timeline=timeline)
