"""Where a non-divulgation request stands, in the requester's words, with what comes next and when.

The clerks keep the states' own labels (EtatNonDivulgation) in the admin; the requester's pages
show this instead. Expected dates come from the same deadline rule as the procedure (art. 31 and 63 LP).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from ocp_portal.formats import format_chf, format_date

from ..constants import NON_DISCLOSURE_CREDITOR_DAYS, NON_DISCLOSURE_FEE, EtatNonDivulgation
from ..deadlines import lp_deadline
from .models import DemandeNonDivulgation

E = EtatNonDivulgation


@dataclass(frozen=True)
class Step:
    label: str
    when: str = ""  # a date, done or expected, in words ("le 10.03.2027", "au plus tôt le …")
    done: bool = False
    current: bool = False


@dataclass(frozen=True)
class PublicStatus:
    label: str  # short: the list's column
    summary: str  # where the request stands
    next: str  # what comes next, with dates when they are known
    tone: str  # info, success or error (the box around it)
    steps: list[Step] = field(default_factory=list)


def _local(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


def _d(day: date | None) -> str:
    """The date, or a dash if the register lacks it (e.g. a request set by hand): never a 500."""
    return format_date(day) if day else "–"


def _on(day: date | None) -> str:
    return _("le %(date)s") % {"date": format_date(day)} if day else ""


def _earliest_decision(demande: DemandeNonDivulgation, *, on: date) -> date:
    """The day after the creditor's deadline: its last day, or, before the letter has reached the creditor,
    the earliest it can be (20 days from today)."""
    return (demande.deadline_on or lp_deadline(on, NON_DISCLOSURE_CREDITOR_DAYS)) + timedelta(days=1)


def _steps(demande: DemandeNonDivulgation, *, on: date) -> list[Step]:
    """The steps of the procedure, each with its date (done) or the earliest it can come (ahead)."""
    state = demande.state
    paid, notified = demande.paid_at is not None, demande.notified_on is not None
    decided = state in (E.ACCORDEE, E.REJETEE, E.REDIVULGUEE)
    if notified:
        creditor_when = _("jusqu'au %(date)s") % {"date": _d(demande.deadline_on)}
    elif decided:
        creditor_when = ""
    else:
        creditor_when = _("au plus tôt jusqu'au %(date)s") % {"date": _d(lp_deadline(on, NON_DISCLOSURE_CREDITOR_DAYS))}
    if decided:
        decision_when = _on(_local(demande.decided_at))
    else:
        decision_when = _("au plus tôt le %(date)s") % {"date": _d(_earliest_decision(demande, on=on))}
    return [
        Step(_("Demande déposée"), _on(_local(demande.declared_at)), done=True),
        Step(
            _("Émolument de %(fee)s payé") % {"fee": format_chf(NON_DISCLOSURE_FEE)},
            _on(_local(demande.paid_at)),
            done=paid,
            current=not paid,
        ),
        Step(
            _("Lettre de l'office reçue par le créancier"),
            _on(demande.notified_on),
            done=notified,
            current=state in (E.A_EXAMINER, E.INTERPELLATION_A_NOTIFIER),
        ),
        Step(
            _("Délai de %(days)s jours du créancier pour apporter ses preuves")
            % {"days": NON_DISCLOSURE_CREDITOR_DAYS},
            creditor_when,
            done=notified and decided,
            current=state == E.DELAI_EN_COURS,
        ),
        Step(_("Décision, communiquée par e-mail"), decision_when, done=decided),
    ]


def public_status(demande: DemandeNonDivulgation, *, on: date) -> PublicStatus:
    state = demande.state
    fee = format_chf(NON_DISCLOSURE_FEE)
    steps = _steps(demande, on=on)
    earliest = _d(lp_deadline(on, NON_DISCLOSURE_CREDITOR_DAYS))
    if state == E.ATTENTE_PAIEMENT:
        return PublicStatus(
            _("Émolument à payer"),
            _("Votre demande n'est pas encore transmise à l'office : l'émolument de %(fee)s n'est pas payé.")
            % {"fee": fee},
            _("Dès le paiement, l'office examine votre demande puis écrit au créancier."),
            "info",
            steps,
        )
    if state == E.A_EXAMINER:
        return PublicStatus(
            _("En examen à l'office"),
            _(
                "L'émolument est payé. Avant d'écrire au créancier, un collaborateur de l'office vérifie votre demande "
                "(par exemple votre identité)."
            ),
            _(
                "Si la demande est recevable, l'office écrit au créancier, qui aura 20 jours dès réception de la "
                "lettre pour apporter ses preuves : la décision ne viendra donc pas avant le %(date)s. Sinon, vous "
                "recevez un e-mail qui vous en donne le motif."
            )
            % {"date": _d(_earliest_decision(demande, on=on))},
            "info",
            steps,
        )
    if state == E.INTERPELLATION_A_NOTIFIER:
        return PublicStatus(
            _("Lettre au créancier en cours d'envoi"),
            _(
                "Votre demande est recevable. L'office envoie au créancier une lettre lui demandant de prouver qu'il a "
                "demandé la mainlevée de l'opposition, intenté une action en justice ou été entièrement payé."
            ),
            _(
                "Le créancier aura 20 jours dès réception de la lettre pour le faire : son délai ne finira pas avant "
                "le %(deadline)s. Sans preuve de sa part, la non-divulgation vous sera accordée. Vous recevrez un "
                "e-mail dans tous les cas."
            )
            % {"deadline": earliest},
            "info",
            steps,
        )
    if state == E.DELAI_EN_COURS:
        return PublicStatus(
            _("Délai du créancier jusqu'au %(date)s") % {"date": _d(demande.deadline_on)},
            _(
                "Le créancier a reçu la lettre de l'office le %(notified)s. Il a jusqu'au %(deadline)s pour prouver "
                "qu'il a demandé la mainlevée de l'opposition, intenté une action en justice ou été entièrement payé."
            )
            % {"notified": _d(demande.notified_on), "deadline": _d(demande.deadline_on)},
            _(
                "Sans preuve à cette date, la non-divulgation vous est accordée dès le %(date)s : la poursuite ne sera "
                "plus portée à la connaissance de tiers. Vous recevrez un e-mail dans tous les cas."
            )
            % {"date": _d(demande.deadline_on and demande.deadline_on + timedelta(days=1))},
            "info",
            steps,
        )
    if state == E.ACCORDEE:
        return PublicStatus(
            _("Non-divulgation accordée"),
            _("Depuis le %(date)s, la poursuite n'est plus portée à la connaissance de tiers (extraits du registre).")
            % {"date": _d(_local(demande.decided_at))},
            _(
                "Si le créancier prouve plus tard à l'office une demande de mainlevée ou une action en justice, la "
                "poursuite sera à nouveau portée à la connaissance de tiers, sans autre avis."
            ),
            "success",
            steps,
        )
    if state == E.REJETEE:
        summary = _("Votre demande a été rejetée le %(date)s.") % {"date": _d(_local(demande.decided_at))}
        if demande.reason:
            summary = f"{summary} {_('Motif :')} {demande.reason}"
        return PublicStatus(
            _("Demande rejetée"),
            summary,
            _(
                "La poursuite reste portée à la connaissance de tiers. L'émolument de %(fee)s reste dû, quelle que "
                "soit l'issue (art. 12b OELP)."
            )
            % {"fee": fee},
            "error",
            steps,
        )
    return PublicStatus(  # REDIVULGUEE
        _("Poursuite à nouveau visible"),
        _(
            "La non-divulgation avait été accordée. Le créancier a ensuite prouvé une demande de mainlevée ou une "
            "action en justice : depuis le %(date)s, la poursuite est à nouveau portée à la connaissance de tiers."
        )
        % {"date": _d(demande.redisclosed_on)},
        _("Aucune autre démarche n'est prévue dans cette demande."),
        "info",
        steps,
    )
