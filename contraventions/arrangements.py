"""Payment arrangements (seeds 002, 003): monthly instalments of at least CHF 50, asked for on
the portal and decided by a clerk; refused after a broken arrangement. Once accepted, each
instalment has its own QR reference, and instalments left unpaid are flagged."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from ocp_portal.formats import format_chf, format_date
from ocp_portal.money import ZERO, chf
from ocp_portal.queue import enqueue_on_commit

from . import services, tasks
from .balance import order_balance
from .constants import INSTALMENT_GRACE_DAYS, MAX_FIRST_DUE_DAYS, MAX_INSTALMENTS, EtatArrangement
from .emoluments import MIN_MONTHLY_INSTALMENT
from .models import ArrangementPaiement, Echeance, OrdonnancePenale
from .procedure import PAYABLE
from .recovery import outlook
from .references import instalment_reference

A = EtatArrangement


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def check_monthly_amount(monthly_amount: Decimal) -> None:
    """The smallest monthly instalment granted is CHF 50 (seed 003)."""
    if chf(monthly_amount) < MIN_MONTHLY_INSTALMENT:
        raise ValidationError(
            _("Les mensualités minimum accordées sont de %(min)s.") % {"min": format_chf(MIN_MONTHLY_INSTALMENT)},
            code="too_small",
        )


# The codes of the refusals that concern the monthly amount itself (shown on its field).
AMOUNT_REFUSALS = ("too_small", "schedule")


def check_schedule(total: Decimal, monthly_amount: Decimal) -> None:
    """`monthly_amount` must leave more than one instalment, and not too many, for `total`."""
    monthly_amount = chf(monthly_amount)
    if monthly_amount >= total:
        raise ValidationError(
            _("Cette mensualité couvre le solde de %(due)s : il se paie en une fois.") % {"due": format_chf(total)},
            code="schedule",
        )
    full, rest = divmod(chf(total), monthly_amount)
    if full + (1 if rest else 0) > MAX_INSTALMENTS:
        raise ValidationError(
            _(
                "L'échéancier compterait plus de %(max)s mensualités : proposez une mensualité plus élevée ou "
                "adressez-vous au Service des contraventions."
            )
            % {"max": MAX_INSTALMENTS},
            code="schedule",
        )


def check_request(order: OrdonnancePenale, monthly_amount: Decimal) -> None:
    """What the portal checks before recording a request; a French ValidationError otherwise."""
    check_monthly_amount(monthly_amount)
    total = order_balance(order).total
    if order.state not in PAYABLE or total <= ZERO:
        raise ValidationError(
            _("Aucun arrangement n'est possible : l'ordonnance est « %(state)s ».")
            % {"state": order.get_state_display()},
            code="not_payable",
        )
    if order.arrangements.filter(state=A.ACCEPTE).exists():
        raise ValidationError(
            _("Un arrangement de paiement a déjà été accordé pour cette ordonnance : payez selon son échéancier."),
            code="granted",
        )
    check_schedule(total, monthly_amount)
    if ArrangementPaiement.objects.filter(ordonnance__offender=order.offender_id, state=A.ROMPU).exists():
        raise ValidationError(
            _(
                "Un précédent arrangement de paiement n'a pas été respecté : une nouvelle demande ne peut pas être "
                "faite en ligne. Adressez-vous au Service des contraventions."
            ),
            code="broken_before",
        )
    if order.arrangements.filter(state=A.DEMANDE).exists():
        raise ValidationError(_("Une demande d'arrangement est déjà en cours pour cette ordonnance."), code="pending")


@transaction.atomic
def request_arrangement(
    *, order: OrdonnancePenale, monthly_amount: Decimal, email: str, on: date, phone: str = "", message: str = ""
) -> ArrangementPaiement:
    order = services.lock(order)
    check_request(order, monthly_amount)
    arrangement = ArrangementPaiement(
        ordonnance=order,
        monthly_amount=chf(monthly_amount),
        email=email,
        phone=phone,
        message=message,
        requested_on=on,
    )
    arrangement.full_clean()
    arrangement.save()
    enqueue_on_commit(tasks.send_arrangement_acknowledgement, arrangement.pk)
    return arrangement


def plan(total: Decimal, monthly: Decimal) -> list[Decimal]:
    """Equal monthly instalments, the last one smaller."""
    monthly, left = chf(monthly), chf(total)
    full, rest = divmod(left, monthly)
    return [monthly] * int(full) + ([chf(rest)] if rest else [])


def _lock(arrangement: ArrangementPaiement) -> ArrangementPaiement:
    return ArrangementPaiement.objects.select_for_update().select_related("ordonnance").get(pk=arrangement.pk)


def _refuse_unless(arrangement: ArrangementPaiement, state: str) -> None:
    if arrangement.state != state:
        raise ValidationError(
            _("L'arrangement est « %(state)s » : rien à faire.") % {"state": arrangement.get_state_display()}
        )


@transaction.atomic
def accept(*, arrangement: ArrangementPaiement, first_due_date: date, on: date, actor=None) -> ArrangementPaiement:
    """Accept the request: one instalment a month from `first_due_date` for the balance due."""
    # The order first, then the arrangement: the order in which record_payment locks them.
    order = services.lock(arrangement.ordonnance)
    arrangement = _lock(arrangement)
    _refuse_unless(arrangement, A.DEMANDE)
    total = order_balance(order).total
    if order.state not in PAYABLE or total <= ZERO:
        raise ValidationError(_("L'ordonnance n'est plus payable : l'arrangement ne peut être accepté."))
    if first_due_date < on:
        raise ValidationError(_("La première échéance ne peut pas précéder la décision."))
    if first_due_date > on + timedelta(days=MAX_FIRST_DUE_DAYS):
        raise ValidationError(
            _("La première échéance doit tomber dans l'année qui suit la décision (au plus tard le %(date)s).")
            % {"date": format_date(on + timedelta(days=MAX_FIRST_DUE_DAYS))}
        )
    check_schedule(total, arrangement.monthly_amount)
    for month, amount in enumerate(plan(total, arrangement.monthly_amount)):
        position = month + 1
        Echeance.objects.create(
            arrangement=arrangement,
            position=position,
            due_date=add_months(first_due_date, month),
            amount=amount,
            qr_reference=instalment_reference(order.case_number, position),
        )
    arrangement.state, arrangement.decided_on, arrangement.decided_by = A.ACCEPTE, on, services.user_or_none(actor)
    arrangement.save(update_fields=["state", "decided_on", "decided_by"])
    return arrangement


@transaction.atomic
def refuse(*, arrangement: ArrangementPaiement, reason: str, on: date, actor=None) -> ArrangementPaiement:
    arrangement = _lock(arrangement)
    _refuse_unless(arrangement, A.DEMANDE)
    arrangement.state, arrangement.decided_on, arrangement.decided_by = A.REFUSE, on, services.user_or_none(actor)
    arrangement.refusal_reason = reason
    arrangement.save(update_fields=["state", "decided_on", "decided_by", "refusal_reason"])
    return arrangement


@transaction.atomic
def declare_broken(*, arrangement: ArrangementPaiement, on: date, actor=None) -> ArrangementPaiement:
    """The offender did not keep to it: recovery resumes, and no new one is granted online."""
    arrangement = _lock(arrangement)
    _refuse_unless(arrangement, A.ACCEPTE)
    arrangement.state, arrangement.broken_on = A.ROMPU, on
    arrangement.save(update_fields=["state", "broken_on"])
    return arrangement


def covered_instalments(arrangement: ArrangementPaiement) -> dict[int, bool]:
    """{position: paid?}: payments received since the acceptance settle instalments in order."""
    paid = sum((p.amount for p in arrangement.ordonnance.payments.all() if p.date >= arrangement.decided_on), ZERO)
    covered, cumulative = {}, ZERO
    for instalment in arrangement.instalments.all():
        cumulative += instalment.amount
        covered[instalment.position] = paid >= cumulative
    return covered


@dataclass(frozen=True)
class InstalmentRow:
    instalment: Echeance
    left: Decimal  # what is still to pay on it
    late: bool  # not paid and its due date is past

    @property
    def paid(self) -> bool:
        return self.left <= ZERO

    @property
    def part_paid(self) -> bool:
        return ZERO < self.left < self.instalment.amount


def schedule(arrangement: ArrangementPaiement, on: date) -> list[InstalmentRow]:
    """The instalments with what is left on each: payments since the acceptance settle them in
    order (as covered_instalments), a part payment lowering the first one still open."""
    paid = sum((p.amount for p in arrangement.ordonnance.payments.all() if p.date >= arrangement.decided_on), ZERO)
    rows, before = [], ZERO
    for instalment in arrangement.instalments.all():
        left = chf(min(max(before + instalment.amount - paid, ZERO), instalment.amount))
        rows.append(InstalmentRow(instalment=instalment, left=left, late=left > ZERO and instalment.due_date < on))
        before += instalment.amount
    return rows


def with_missed_instalment(arrangements=None):
    """Accepted arrangements with at least one instalment flagged as missed: the clerks' follow-up."""
    arrangements = ArrangementPaiement.objects.all() if arrangements is None else arrangements
    missed = Echeance.objects.filter(arrangement=OuterRef("pk"), missed_on__isnull=False)
    return arrangements.filter(Exists(missed), state=A.ACCEPTE)


def flag_missed_instalments(*, on: date) -> int:
    """Flag instalments still unpaid INSTALMENT_GRACE_DAYS after their due date; once each."""
    flagged = 0
    limit = on - timedelta(days=INSTALMENT_GRACE_DAYS)
    arrangements = (
        ArrangementPaiement.objects.filter(
            state=A.ACCEPTE, instalments__due_date__lt=limit, instalments__missed_on=None
        )
        .distinct()
        .prefetch_related("instalments", "ordonnance__payments")
    )
    for arrangement in arrangements:
        covered = covered_instalments(arrangement)
        late = [
            i.pk
            for i in arrangement.instalments.all()
            if i.due_date < limit and i.missed_on is None and not covered[i.position]
        ]
        flagged += Echeance.objects.filter(pk__in=late, missed_on=None).update(missed_on=on)
    return flagged


@dataclass(frozen=True)
class RequestStatus:
    """An arrangement request's state for its requester: in plain French, and what comes next."""

    state: str
    title: str
    text: str
    next: str


def request_status(arrangement: ArrangementPaiement, on: date) -> RequestStatus:
    order = arrangement.ordonnance
    total = format_chf(order_balance(order).total)
    running = outlook(order, on)
    if running.overdue:
        deadline_text = _(
            "Le délai de paiement est échu depuis le %(date)s : payez le solde de %(total)s sans attendre."
        )
    else:
        deadline_text = _("Le solde de %(total)s est à payer au plus tard le %(date)s.")
    deadline_text %= {"total": total, "date": format_date(running.pay_by)}
    values = {
        "amount": format_chf(arrangement.monthly_amount),
        "requested": format_date(arrangement.requested_on),
        "decided": format_date(arrangement.decided_on) if arrangement.decided_on else "",
        "broken": format_date(arrangement.broken_on) if arrangement.broken_on else "",
        "total": total,
    }
    if arrangement.state == A.DEMANDE:
        title = _("En cours d'examen")
        text = _(
            "Votre demande du %(requested)s, de mensualités de %(amount)s, est examinée par le Service des "
            "contraventions."
        )
        after = _(
            "Le service vous répondra par e-mail. Tant que la demande n'est pas acceptée, les délais de paiement "
            "courent."
        )
        after += " " + deadline_text
    elif arrangement.state == A.ACCEPTE:
        rows = schedule(arrangement, on)
        title = _("Accordé")
        text = _("L'arrangement a été accordé le %(decided)s : %(count)s mensualités selon l'échéancier ci-dessous.")
        values["count"] = len(rows)
        upcoming = next((row for row in rows if not row.paid), None)
        after = _("Le recouvrement est suspendu tant que les mensualités sont payées à leur échéance.")
        if upcoming:
            after = (
                _("Prochaine mensualité : %(left)s, à payer au plus tard le %(due)s. ")
                % {"left": format_chf(upcoming.left), "due": format_date(upcoming.instalment.due_date)}
                + after
            )
    elif arrangement.state == A.REFUSE:
        title = _("Refusé")
        text = _("Votre demande a été refusée le %(decided)s.")
        if arrangement.refusal_reason:
            text += " " + _("Motif : %(reason)s") % {"reason": arrangement.refusal_reason.replace("%", "%%")}
        after = deadline_text + " "
        after += _("Sans paiement, le recouvrement suit son cours : rappels, mise en demeure, poursuite.")
    elif arrangement.state == A.ROMPU:
        title = _("Non respecté")
        text = _("Des mensualités n'ont pas été payées : l'arrangement a pris fin le %(broken)s.")
        after = _(
            "Le recouvrement a repris : le solde de %(total)s est à payer. Une nouvelle demande d'arrangement ne "
            "peut pas être faite en ligne ; adressez-vous au Service des contraventions."
        )
    else:
        title = _("Honoré")
        text = _("L'ordonnance pénale est entièrement payée.")
        after = _("Rien n'est plus dû. Merci.")
    return RequestStatus(state=arrangement.state, title=title, text=text % values, next=after % values)
