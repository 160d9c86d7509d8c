"""The non-divulgation procedure: every change of a request goes through these functions,
whoever acts (the requester's form, the payment's capture, a clerk, the daily job).

Each step locks the request, refuses what its state does not allow, writes the request and
an entry in the poursuite's history, and leaves e-mails and documents to tasks enqueued on
commit (their sweep finds what a lost message left undone).
"""

import logging
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocp_portal.dates import today
from ocp_portal.formats import format_date
from ocp_portal.money import ZERO
from ocp_portal.queue import enqueue_on_commit

from ..constants import NON_DISCLOSURE_CREDITOR_DAYS, NON_DISCLOSURE_FEE, EtatNonDivulgation, PreuveCreancier
from ..deadlines import lp_deadline
from ..models import Poursuite
from ..procedure import ProcedureError
from ..services import record_history
from .admissibility import Admissibility, Identity, check, identity_unconfirmed, poursuite_obstacles, recheck
from .models import DemandeNonDivulgation

log = logging.getLogger(__name__)
E = EtatNonDivulgation
DAILY_JOB = "Tâche quotidienne"
ONLINE = "Portail (paiement en ligne)"


class Inadmissible(Exception):
    def __init__(self, admissibility: Admissibility):
        super().__init__("; ".join(admissibility.reasons))
        self.admissibility = admissibility


class AlreadyPaid(Exception):
    """The fee of this request was already paid: a second payment is not applied."""


def _lock(demande: DemandeNonDivulgation | int) -> DemandeNonDivulgation:
    pk = demande.pk if isinstance(demande, DemandeNonDivulgation) else demande
    return DemandeNonDivulgation.objects.select_for_update(of=("self",)).select_related("poursuite").get(pk=pk)


def _require(demande: DemandeNonDivulgation, *states) -> None:
    if demande.state not in states:
        raise ProcedureError(
            _("Impossible : la demande est au stade « %(state)s ».") % {"state": demande.get_state_display()}
        )


def _not_in_future(on: date) -> None:
    if on > today():
        raise ProcedureError(_("La date ne peut pas être dans le futur."))


def _move(demande, to, *, actor=None, actor_label="", action: str, fields=()) -> None:
    previous = demande.state
    demande.state = to
    demande.save(update_fields=["state", "updated_at", *fields])
    record_history(
        poursuite=demande.poursuite,
        actor=actor,
        actor_label=actor_label,
        action=action,
        changes={"non_divulgation": [previous, to], "demande": demande.reference},
    )
    log.info("non-disclosure request %s %s -> %s", demande.public_id, previous, to)


def _after_commit(task_name: str, demande: DemandeNonDivulgation) -> None:
    from .. import tasks

    task = getattr(tasks, task_name)
    enqueue_on_commit(task, demande.pk)


# --- The requester -------------------------------------------------------------------------


@transaction.atomic
def submit_request(*, poursuite: Poursuite, user, identity: Identity, on: date) -> DemandeNonDivulgation:
    """The requester's declarations, made on an admissible request; the fee is paid next.
    An unpaid request of the same account for the same poursuite is taken up again."""
    poursuite = Poursuite.objects.select_for_update(of=("self",)).select_related("debtor").get(pk=poursuite.pk)
    admissibility = check(poursuite, on=on, identity=identity, user=user)
    if not admissibility.ok:
        raise Inadmissible(admissibility)
    demande = DemandeNonDivulgation.objects.filter(
        poursuite=poursuite, user=user, state=E.ATTENTE_PAIEMENT
    ).first() or DemandeNonDivulgation(poursuite=poursuite, user=user)
    demande.email = user.email
    demande.requester_kind = identity.kind
    demande.requester_name = identity.name.strip()
    demande.requester_first_name = identity.first_name.strip()
    demande.requester_birth_date = identity.birth_date
    demande.requester_uid = identity.uid.strip()
    demande.declared_at = timezone.now()
    demande.full_clean()
    demande.save()
    return demande


def fee_due(demande: DemandeNonDivulgation, *, on: date) -> Decimal:
    """CHF 40 while the fee is unpaid and the request still admissible on `on`: the portal
    takes no money for a request it would have to refuse (e.g. a pay link used once the
    poursuite was withdrawn)."""
    if demande.state != E.ATTENTE_PAIEMENT or not recheck(demande, on=on).ok:
        return ZERO
    return NON_DISCLOSURE_FEE


@transaction.atomic
def record_fee_paid(*, demande: DemandeNonDivulgation, payment) -> Admissibility:
    """The fee is captured (called by the payment purpose, in the capture's transaction).

    The fee is owed whatever the outcome (art. 12b OELP): it is kept even when the request is
    no longer admissible now; the request then waits for a clerk (« à examiner »)."""
    demande = _lock(demande)
    if demande.state != E.ATTENTE_PAIEMENT:
        raise AlreadyPaid(_("L'émolument de cette demande est déjà payé."))
    poursuite = Poursuite.objects.select_for_update(of=("self",)).select_related("debtor").get(pk=demande.poursuite_id)
    demande.poursuite = poursuite
    demande.payment, demande.paid_at = payment, timezone.now()
    admissibility = recheck(demande, on=today())
    fields = ["payment", "paid_at"]
    unconfirmed = identity_unconfirmed(poursuite.debtor) if admissibility.ok else ""
    if admissibility.ok and not unconfirmed:
        _move(
            demande,
            E.INTERPELLATION_A_NOTIFIER,
            actor_label=ONLINE,
            action=_("Non-divulgation demandée par le débiteur, émolument de CHF 40 payé"),
            fields=fields,
        )
        _after_commit("prepare_interpellation", demande)
    elif unconfirmed:
        demande.reason = unconfirmed
        _move(
            demande,
            E.A_EXAMINER,
            actor_label=ONLINE,
            action=_("Non-divulgation demandée, émolument payé : identité à vérifier, à examiner"),
            fields=[*fields, "reason"],
        )
    else:
        demande.reason = _("Irrecevable au paiement : %(reasons)s") % {"reasons": " ".join(admissibility.reasons)}
        _move(
            demande,
            E.A_EXAMINER,
            actor_label=ONLINE,
            action=_("Non-divulgation demandée, émolument payé, mais demande irrecevable au paiement : à examiner"),
            fields=[*fields, "reason"],
        )
    return admissibility


# --- Clerks --------------------------------------------------------------------------------


@transaction.atomic
def admit(*, demande: DemandeNonDivulgation, actor) -> DemandeNonDivulgation:
    """A request put aside at payment goes on, if it is admissible now."""
    demande = _lock(demande)
    _require(demande, E.A_EXAMINER)
    demande.poursuite = (
        Poursuite.objects.select_for_update(of=("self",)).select_related("debtor").get(pk=demande.poursuite_id)
    )
    admissibility = recheck(demande, on=today())
    if not admissibility.ok:
        raise ProcedureError(" ".join(admissibility.reasons))
    demande.reason = ""
    _move(
        demande,
        E.INTERPELLATION_A_NOTIFIER,
        actor=actor,
        action=_("Demande de non-divulgation déclarée recevable"),
        fields=["reason"],
    )
    _after_commit("prepare_interpellation", demande)
    return demande


@transaction.atomic
def reject_inadmissible(*, demande: DemandeNonDivulgation, reason: str, actor) -> DemandeNonDivulgation:
    """A request that does not meet the law's conditions is rejected; its fee stays owed."""
    demande = _lock(demande)
    _require(demande, E.A_EXAMINER)
    demande.reason, demande.decided_at = reason, timezone.now()
    _move(
        demande,
        E.REJETEE,
        actor=actor,
        action=_("Demande de non-divulgation rejetée (irrecevable) : %(reason)s") % {"reason": reason},
        fields=["reason", "decided_at"],
    )
    _after_commit("send_outcome", demande)
    return demande


@transaction.atomic
def record_interpellation_notified(*, demande: DemandeNonDivulgation, on: date, actor) -> DemandeNonDivulgation:
    """The letter reached the creditor on `on`: the 20 days run from then (art. 31 LP)."""
    demande = _lock(demande)
    _require(demande, E.INTERPELLATION_A_NOTIFIER)
    if not demande.letter:
        raise ProcedureError(_("La lettre au créancier n'est pas encore établie."))
    _not_in_future(on)
    if on < timezone.localdate(demande.letter_rendered_at):
        raise ProcedureError(
            _("La date précède l'établissement de la lettre (%(date)s).")
            % {"date": format_date(timezone.localdate(demande.letter_rendered_at))}
        )
    demande.notified_on, demande.deadline_on = on, lp_deadline(on, NON_DISCLOSURE_CREDITOR_DAYS)
    _move(
        demande,
        E.DELAI_EN_COURS,
        actor=actor,
        action=_("Interpellation notifiée au créancier le %(on)s : délai de 20 jours au %(deadline)s")
        % {"on": format_date(on), "deadline": format_date(demande.deadline_on)},
        fields=["notified_on", "deadline_on"],
    )
    return demande


@transaction.atomic
def record_creditor_proof(
    *, demande: DemandeNonDivulgation, proof: str, on: date, actor, note: str = ""
) -> DemandeNonDivulgation:
    """Within the deadline the creditor proves a mainlevée request, a lawsuit or full payment:
    the request is rejected."""
    demande = _lock(demande)
    _require(demande, E.INTERPELLATION_A_NOTIFIER, E.DELAI_EN_COURS)
    _not_in_future(on)
    if demande.deadline_on and on > demande.deadline_on:
        raise ProcedureError(
            _(
                "Le délai du créancier a expiré le %(date)s : la non-divulgation sera accordée. "
                "Une preuve ultérieure d'une demande de mainlevée ou d'une action se saisit ensuite "
                "(« nouvelle divulgation »)."
            )
            % {"date": format_date(demande.deadline_on)}
        )
    label = PreuveCreancier(proof).label
    demande.proof, demande.proof_on, demande.decided_at = proof, on, timezone.now()
    demande.reason = f"{label}. {note}".strip() if note else str(label)
    _move(
        demande,
        E.REJETEE,
        actor=actor,
        action=_("Non-divulgation rejetée : le créancier a prouvé « %(proof)s » le %(on)s")
        % {"proof": label, "on": format_date(on)},
        fields=["proof", "proof_on", "decided_at", "reason"],
    )
    _after_commit("send_outcome", demande)
    return demande


@transaction.atomic
def record_later_proof(
    *, demande: DemandeNonDivulgation, proof: str, on: date, actor, note: str = ""
) -> DemandeNonDivulgation:
    """After the grant the creditor proves a mainlevée request or a lawsuit: the poursuite is
    shown to third parties again, without further notice to the requester."""
    if proof not in (PreuveCreancier.MAINLEVEE, PreuveCreancier.ACTION):
        raise ProcedureError(_("Seule une demande de mainlevée ou une action en justice lève la non-divulgation."))
    demande = _lock(demande)
    _require(demande, E.ACCORDEE)
    _not_in_future(on)
    granted_on = timezone.localdate(demande.decided_at)
    if on < granted_on:
        raise ProcedureError(
            _(
                "La non-divulgation a été accordée le %(date)s : une preuve reçue avant cette date relève "
                "du délai du créancier, non d'une nouvelle divulgation."
            )
            % {"date": format_date(granted_on)}
        )
    poursuite = Poursuite.objects.select_for_update().get(pk=demande.poursuite_id)
    poursuite.non_disclosure_since = None
    poursuite.save(update_fields=["non_disclosure_since", "updated_at"])
    demande.poursuite = poursuite
    demande.redisclosure_proof, demande.redisclosed_on = proof, on
    label = PreuveCreancier(proof).label
    _move(
        demande,
        E.REDIVULGUEE,
        actor=actor,
        action=_(
            "Poursuite à nouveau portée à la connaissance de tiers : le créancier a prouvé « %(proof)s » le %(on)s"
        )
        % {"proof": label, "on": format_date(on)}
        + (f" ({note})" if note else ""),
        fields=["redisclosure_proof", "redisclosed_on"],
    )
    return demande


@transaction.atomic
def record_mainlevee_rejection(
    *, demande: DemandeNonDivulgation, on: date, actor, note: str = ""
) -> DemandeNonDivulgation:
    """The debtor proves that the mainlevée request which lifted the non-divulgation was
    definitively rejected: the poursuite is hidden from third parties again."""
    demande = _lock(demande)
    _require(demande, E.REDIVULGUEE)
    if demande.redisclosure_proof != PreuveCreancier.MAINLEVEE:
        raise ProcedureError(
            _("La non-divulgation a été levée par une action en justice, non par une demande de mainlevée.")
        )
    _not_in_future(on)
    poursuite = Poursuite.objects.select_for_update().get(pk=demande.poursuite_id)
    poursuite.non_disclosure_since = timezone.now()
    poursuite.save(update_fields=["non_disclosure_since", "updated_at"])
    demande.poursuite = poursuite
    _move(
        demande,
        E.ACCORDEE,
        actor=actor,
        action=_(
            "Rejet définitif de la demande de mainlevée prouvé par le débiteur le %(on)s : "
            "poursuite à nouveau non divulguée"
        )
        % {"on": format_date(on)}
        + (f" ({note})" if note else ""),
    )
    return demande


# --- The daily job -------------------------------------------------------------------------


def grant_if_expired(demande_id: int, *, on: date) -> bool:
    """Grant the request if the creditor's deadline ended before `on` without proof; True when
    granted now. Run twice, it does nothing the second time."""
    with transaction.atomic():
        demande = _lock(demande_id)
        if demande.state != E.DELAI_EN_COURS or demande.deadline_on is None or demande.deadline_on >= on:
            return False
        poursuite = Poursuite.objects.select_for_update().get(pk=demande.poursuite_id)
        demande.poursuite = poursuite
        demande.decided_at = timezone.now()
        obstacles = poursuite_obstacles(poursuite, on=on)
        if obstacles:  # e.g. paid in full or withdrawn during the deadline
            demande.reason = " ".join(obstacles)
            _move(
                demande,
                E.REJETEE,
                actor_label=DAILY_JOB,
                action=_("Non-divulgation rejetée à l'échéance du délai : %(reason)s") % {"reason": demande.reason},
                fields=["decided_at", "reason"],
            )
            _after_commit("send_outcome", demande)
            return False
        poursuite.non_disclosure_since = demande.decided_at
        poursuite.save(update_fields=["non_disclosure_since", "updated_at"])
        _move(
            demande,
            E.ACCORDEE,
            actor_label=DAILY_JOB,
            action=_(
                "Non-divulgation accordée : aucune preuve du créancier dans le délai échu le %(deadline)s ; "
                "la poursuite n'est plus portée à la connaissance de tiers"
            )
            % {"deadline": format_date(demande.deadline_on)},
            fields=["decided_at"],
        )
        _after_commit("send_outcome", demande)
    return True


def expired_request_ids(*, on: date) -> list[int]:
    return list(
        DemandeNonDivulgation.objects.filter(state=E.DELAI_EN_COURS, deadline_on__lt=on)
        .order_by("deadline_on", "pk")
        .values_list("pk", flat=True)
    )


def grant_expired(*, on: date) -> int:
    """Every request whose deadline ended before `on` without proof is granted, each under
    its own lock; the number granted now."""
    return sum(grant_if_expired(pk, on=on) for pk in expired_request_ids(on=on))
