"""Recovery of an unpaid penal order (seed 001 art. 5 and 8): two reminders at most (CHF 20
each), then a formal notice (CHF 40), then a poursuite in the register of the OCP.

`next_step` is the one place that says which step is due; the daily job proposes it, a clerk
performs it (admin), and `perform_step` refuses anything out of turn or done already.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocp_portal.dates import deadline
from ocp_portal.formats import format_chf, format_date
from poursuites import services as register
from poursuites.constants import PoursuiteKind

from . import services
from .balance import order_balance
from .constants import RECOVERY_STEP_DAYS, Etape, EtatArrangement, EtatOrdonnance, Genre, TypeEvenement, TypeFrais
from .emoluments import FORMAL_NOTICE_FEE, MAX_REMINDERS, REMINDER_FEE
from .models import EtapeRecouvrement, OrdonnancePenale
from .procedure import IN_RECOVERY, PAYABLE

SEQUENCE = (Etape.RAPPEL_1, Etape.RAPPEL_2, Etape.MISE_EN_DEMEURE, Etape.POURSUITE)
REMINDERS = SEQUENCE[:MAX_REMINDERS]
FEES = {
    Etape.RAPPEL_1: (TypeFrais.RAPPEL, REMINDER_FEE),
    Etape.RAPPEL_2: (TypeFrais.RAPPEL, REMINDER_FEE),
    Etape.MISE_EN_DEMEURE: (TypeFrais.MISE_EN_DEMEURE, FORMAL_NOTICE_FEE),
}
STATE_AFTER = {
    Etape.RAPPEL_1: EtatOrdonnance.EN_RAPPEL,
    Etape.RAPPEL_2: EtatOrdonnance.EN_RAPPEL,
    Etape.MISE_EN_DEMEURE: EtatOrdonnance.MISE_EN_DEMEURE,
    Etape.POURSUITE: EtatOrdonnance.EN_POURSUITE,
}
EVENT = {
    Etape.RAPPEL_1: TypeEvenement.RAPPEL,
    Etape.RAPPEL_2: TypeEvenement.RAPPEL,
    Etape.MISE_EN_DEMEURE: TypeEvenement.MISE_EN_DEMEURE,
    Etape.POURSUITE: TypeEvenement.POURSUITE,
}


def performed(order: OrdonnancePenale) -> list[EtapeRecouvrement]:
    steps = [step for step in order.recovery_steps.all() if step.performed_on]
    return sorted(steps, key=lambda step: SEQUENCE.index(step.etape))


def reminders_sent(order: OrdonnancePenale) -> int:
    return sum(1 for step in performed(order) if step.etape in REMINDERS)


def pay_by(order: OrdonnancePenale) -> date:
    """The payment deadline now running: that of the last reminder or notice, unless the order's
    own is later (a judgment after a late opposition gives 30 new days)."""
    done = [step for step in performed(order) if step.deadline]
    return max(done[-1].deadline, order.due_date) if done else order.due_date


# What each step means for the offender, in plain French (`fee` and `days` filled in).
STEP_OUTLOOK = {
    Etape.RAPPEL_1: gettext_lazy(
        "Premier rappel : un émolument de %(fee)s s'ajoute et un délai de %(days)s jours est fixé."
    ),
    Etape.RAPPEL_2: gettext_lazy(
        "Second rappel : un émolument de %(fee)s s'ajoute et un délai de %(days)s jours est fixé."
    ),
    Etape.MISE_EN_DEMEURE: gettext_lazy(
        "Mise en demeure : des frais de %(fee)s s'ajoutent et un dernier délai de %(days)s jours est fixé."
    ),
    Etape.POURSUITE: gettext_lazy(
        "Poursuite : le Service des contraventions requiert une poursuite auprès de l'Office cantonal des poursuites, "
        "dont les frais s'ajoutent au montant dû."
    ),
}


@dataclass(frozen=True)
class StepDone:
    label: str
    on: date
    fee: Decimal | None
    deadline: date | None


@dataclass(frozen=True)
class StepAhead:
    label: str
    text: str
    earliest: date | None  # only for the next step: the day after the deadline now running


@dataclass(frozen=True)
class Outlook:
    """Where the recovery of a payable order stands on a day: what was sent, what comes next."""

    pay_by: date
    overdue: bool
    suspended: bool  # a payment arrangement was granted: its schedule replaces the deadline
    done: tuple[StepDone, ...]
    ahead: tuple[StepAhead, ...]

    @property
    def next_step(self) -> StepAhead | None:
        return self.ahead[0] if self.ahead else None


def outlook(order: OrdonnancePenale, on: date) -> Outlook:
    """The recovery as the offender should see it on `on` (seed 001 art. 5 and 8)."""
    running = pay_by(order)
    suspended = any(arrangement.state == EtatArrangement.ACCEPTE for arrangement in order.arrangements.all())
    payable = order.state in PAYABLE and order_balance(order).total > 0
    done = tuple(
        StepDone(
            label=step.get_etape_display(),
            on=step.performed_on,
            fee=FEES[step.etape][1] if step.etape in FEES else None,
            deadline=step.deadline,
        )
        for step in performed(order)
    )
    ahead = ()
    if payable and not suspended and order.genre == Genre.ORDINAIRE:
        remaining = SEQUENCE[len(done) :]
        ahead = tuple(
            StepAhead(
                label=Etape(step).label,
                text=str(STEP_OUTLOOK[step])
                % {"fee": format_chf(FEES[step][1]) if step in FEES else "", "days": RECOVERY_STEP_DAYS},
                earliest=running + timedelta(days=1) if index == 0 else None,
            )
            for index, step in enumerate(remaining)
        )
    return Outlook(
        pay_by=running, overdue=payable and not suspended and on > running, suspended=suspended, done=done, ahead=ahead
    )


def blocker(order: OrdonnancePenale, step: str, on: date) -> str | None:
    """Why `step` may not be performed on `on` (a French message), or None when it may."""
    if order.genre != Genre.ORDINAIRE:
        return _("Une ordonnance pénale de conversion n'est pas recouvrée par rappels.")
    if order.state not in IN_RECOVERY:
        return _("Aucune étape de recouvrement n'est possible : l'ordonnance est « %(state)s ».") % {
            "state": order.get_state_display()
        }
    if order_balance(order).total <= 0:
        return _("Rien n'est dû sur cette ordonnance.")
    if any(arrangement.state == EtatArrangement.ACCEPTE for arrangement in order.arrangements.all()):
        return _("Un arrangement de paiement est en cours : le recouvrement est suspendu.")
    done = performed(order)
    for step_done in done:
        if step_done.etape == step:
            return _("« %(step)s » a déjà été effectué le %(date)s.") % {
                "step": step_done.get_etape_display(),
                "date": format_date(step_done.performed_on),
            }
    expected = SEQUENCE[len(done)]
    if step != expected:
        return _("« %(step)s » ne peut venir qu'après « %(previous)s ».") % {
            "step": Etape(step).label,
            "previous": Etape(SEQUENCE[SEQUENCE.index(step) - 1]).label,
        }
    running = pay_by(order)
    if on <= running:
        return _("Le délai de paiement court jusqu'au %(date)s : « %(step)s » est possible dès le lendemain.") % {
            "date": format_date(running),
            "step": Etape(step).label,
        }
    return None


def next_step(order: OrdonnancePenale, on: date) -> str | None:
    """The recovery step due on `on`, if any."""
    done = performed(order)
    if len(done) >= len(SEQUENCE):
        return None
    step = SEQUENCE[len(done)]
    return None if blocker(order, step, on) else step


@transaction.atomic
def perform_step(*, order: OrdonnancePenale, step: str, on: date, actor=None) -> EtapeRecouvrement:
    """Send a reminder or the formal notice (with its fee and a new deadline), or register the
    poursuite; the order is locked so that the same step is never done twice."""
    order = services.lock(order)
    services.check_date(order, on)
    reason = blocker(order, step, on)
    if reason:
        raise ValidationError(reason, code="recovery")
    row, _created = EtapeRecouvrement.objects.get_or_create(ordonnance=order, etape=step)
    row.performed_on, row.performed_by = on, services.user_or_none(actor)
    changed = []
    if step in FEES:
        kind, amount = FEES[step]
        services.add_fee(order=order, kind=kind, on=on, amount=amount)
        row.deadline = deadline(on, RECOVERY_STEP_DAYS)
    else:
        order.poursuite = _register_poursuite(order, on, actor)
        changed.append("poursuite")
    row.save()
    services.set_state(order, STATE_AFTER[step], *changed)
    note = str(order.poursuite) if step == Etape.POURSUITE else ""
    fee = FEES[step][1] if step in FEES else None
    services.record_event(order=order, type=EVENT[step], on=on, note=note, actor=actor, amount=fee)
    return row


def send_reminder(*, order: OrdonnancePenale, on: date, actor=None) -> EtapeRecouvrement:
    """The next reminder; never a third one (seed 001 art. 8 al. 1 let. a)."""
    count = reminders_sent(OrdonnancePenale.objects.get(pk=order.pk))
    if count >= MAX_REMINDERS:
        raise ValidationError(
            _("Deux rappels au plus (art. 8 al. 1 let. a du règlement sur le recouvrement des créances)."),
            code="max_reminders",
        )
    return perform_step(order=order, step=REMINDERS[count], on=on, actor=actor)


def _register_poursuite(order: OrdonnancePenale, on: date, actor):
    """A poursuite by way of seizure: a fine is never pursued by bankruptcy (art. 43 ch. 1 LP)."""
    due = order_balance(order).total
    return register.register_poursuite(
        creditor=services.service_creditor(),
        debtor=order.offender,
        kind=PoursuiteKind.SAISIE,
        claims=[
            {
                "amount": due,
                "title": _(
                    "Ordonnance pénale n° %(number)s notifiée le %(date)s : amende, émoluments et frais de recouvrement"
                )
                % {"number": order.case_number, "date": format_date(order.notification_date)},
                "interest_rate": None,
                "interest_from": None,
            }
        ],
        requisition_date=on,
        notes=str(order),
        actor=actor,
    )


def propose_due_steps(*, on: date) -> int:
    """Record a proposal for each order whose next step is due; never the same one twice."""
    candidates = (
        OrdonnancePenale.objects.ordinaires()
        .filter(state__in=IN_RECOVERY, due_date__lt=on)
        .prefetch_related("fees", "payments", "recovery_steps", "arrangements")
    )
    created = 0
    for order in candidates.iterator(chunk_size=500):
        step = next_step(order, on)
        if step is None:
            continue
        _row, was_created = EtapeRecouvrement.objects.get_or_create(
            ordonnance=order, etape=step, defaults={"proposed_on": on}
        )
        created += was_created
    return created


def pending_proposals():
    """Proposals a clerk has still to perform, on orders still in recovery."""
    return EtapeRecouvrement.objects.filter(performed_on__isnull=True, ordonnance__state__in=IN_RECOVERY)
