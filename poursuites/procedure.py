"""The procedure's state machine: which step may follow which, and the status it leads to.

`next_status` is the one place that says whether an event is allowed; services call it before
writing anything.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from ocp_portal.dates import today
from ocp_portal.formats import format_date

from .constants import (
    ADB_PRESCRIPTION_YEARS,
    CONTINUATION_LAPSE_YEARS,
    OPPOSITION_DAYS,
    PAYMENT_DAYS,
    ADBState,
    EventType,
    PoursuiteKind,
    PoursuiteStatus,
)
from .deadlines import lp_deadline, lp_end

S = PoursuiteStatus
E = EventType

FINAL = frozenset({S.RETIREE, S.ANNULEE})
CLOSED = frozenset({S.PAYEE, S.ADB_DELIVRE}) | FINAL
NOT_PAYABLE = frozenset({S.ADB_DELIVRE}) | FINAL


class ProcedureError(Exception):
    """An event the procedure does not allow at this point; the message is for the clerk."""


@dataclass(frozen=True)
class Step:
    allowed_from: frozenset
    leads_to: PoursuiteStatus | None  # None: the status does not change
    kinds: frozenset = frozenset(PoursuiteKind)


ANY_OPEN = frozenset(S) - CLOSED
STEPS = {
    E.NOTIFICATION: Step(frozenset({S.REQUISITION}), S.NOTIFIEE),
    E.OPPOSITION_TOTALE: Step(frozenset({S.NOTIFIEE}), S.OPPOSITION_TOTALE),
    E.OPPOSITION_PARTIELLE: Step(frozenset({S.NOTIFIEE}), S.OPPOSITION_PARTIELLE),
    E.MAINLEVEE: Step(frozenset({S.OPPOSITION_TOTALE, S.OPPOSITION_PARTIELLE}), S.OPPOSITION_LEVEE),
    E.CONTINUATION: Step(frozenset({S.NOTIFIEE, S.OPPOSITION_LEVEE, S.OPPOSITION_PARTIELLE}), S.CONTINUATION),
    E.AVIS_SAISIE: Step(frozenset({S.CONTINUATION}), S.SAISIE_ANNONCEE, frozenset({PoursuiteKind.SAISIE})),
    E.SAISIE_EXECUTEE: Step(frozenset({S.SAISIE_ANNONCEE}), S.SAISIE_EXECUTEE, frozenset({PoursuiteKind.SAISIE})),
    E.COMMINATION_FAILLITE: Step(
        frozenset({S.CONTINUATION}), S.COMMINATION_FAILLITE, frozenset({PoursuiteKind.FAILLITE})
    ),
    E.REALISATION: Step(
        frozenset({S.SAISIE_EXECUTEE, S.CONTINUATION}),
        S.REALISATION,
        frozenset({PoursuiteKind.SAISIE, PoursuiteKind.GAGE}),
    ),
    E.ADB_DELIVRE: Step(
        frozenset({S.SAISIE_ANNONCEE, S.SAISIE_EXECUTEE, S.REALISATION}),
        S.ADB_DELIVRE,
        frozenset({PoursuiteKind.SAISIE, PoursuiteKind.GAGE}),
    ),
    E.PAIEMENT: Step(ANY_OPEN, None),
    E.CONTRORDRE: Step(frozenset(S) - FINAL, S.RETIREE),
    E.ANNULATION: Step(frozenset(S) - FINAL, S.ANNULEE),
}


def opposition_deadline(notification_date: date) -> date:
    """The debtor's 10 days to oppose from notification (art. 74 al. 1 LP)."""
    return lp_deadline(notification_date, OPPOSITION_DAYS)


def payment_deadline(notification_date: date) -> date:
    """The debtor's 20 days to pay from notification (art. 69 LP)."""
    return lp_deadline(notification_date, PAYMENT_DAYS)


def continuation_from(notification_date: date) -> date:
    """The first day the creditor may require the continuation: the day after the debtor's 20 days
    to pay, moved like them past a weekend, a holiday or the féries (art. 88 al. 1, 31 and 63 LP)."""
    return payment_deadline(notification_date) + timedelta(days=1)


def continuation_lapses_on(notification_date: date) -> date:
    """The last day of the creditor's right to require the continuation (art. 88 al. 2 LP): one
    year after notification, to the same date (art. 31 LP, art. 142 al. 2 CPC), moved to the next
    working day (art. 142 al. 3 CPC), or past the féries (art. 63 LP)."""
    return lp_end(_years_after(notification_date, CONTINUATION_LAPSE_YEARS))


def adb_prescribes_on(issued_on: date) -> date:
    """An ADB prescribes 20 years after its issue (art. 149a al. 1 LP)."""
    return _years_after(issued_on, ADB_PRESCRIPTION_YEARS)


def _years_after(day: date, years: int) -> date:
    """The same date `years` later; from 29 February, the last day of February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


AHEAD, OPEN, OVER = "ahead", "open", "over"


@dataclass(frozen=True)
class Deadline:
    label: str
    on: date
    opens: bool = False  # the first day something may be done, not the last one
    until: date | None = None  # for a step that opens: the last day it may be done
    about: EventType | None = None  # the step it is the deadline of: the diagram draws it there

    def state_on(self, day: date) -> str:
        """AHEAD (still to come), OPEN (a step that may be done on `day`) or OVER (past)."""
        if self.opens:
            if self.until is not None and day > self.until:
                return OVER
            return OPEN if self.on <= day else AHEAD
        return OVER if self.on < day else AHEAD


def deadlines(poursuite) -> list[Deadline]:
    """The dates of the procedure that matter in the poursuite's present status, in date order."""
    notified = poursuite.notification_date
    if notified is None or poursuite.status in CLOSED:
        return []
    found = []
    lapses = continuation_lapses_on(notified) if poursuite.status == S.NOTIFIEE else None
    if poursuite.status == S.NOTIFIEE:
        found += [
            Deadline(
                _("Délai d'opposition du débiteur (10 jours, art. 74 LP)"),
                opposition_deadline(notified),
                about=E.OPPOSITION_TOTALE,
            ),
            Deadline(
                _("Délai de paiement du débiteur (20 jours, art. 69 LP)"), payment_deadline(notified), about=E.PAIEMENT
            ),
        ]
    if poursuite.status in STEPS[E.CONTINUATION].allowed_from:
        found.append(
            Deadline(
                _("Premier jour pour requérir la continuation (art. 88 al. 1 LP)"),
                continuation_from(notified),
                opens=True,
                until=lapses,
                about=E.CONTINUATION,
            )
        )
    if lapses is not None:
        found.append(
            Deadline(_("Dernier jour pour requérir la continuation (art. 88 al. 2 LP)"), lapses, about=E.CONTINUATION)
        )
    return sorted(found, key=lambda item: item.on)


def adb_deadlines(adb) -> list[Deadline]:
    """What lies ahead of an open ADB: its prescription."""
    if adb.state != ADBState.OUVERT:
        return []
    label = _("Prescription de l'acte de défaut de biens (20 ans, art. 149a LP)")
    return [Deadline(label, adb_prescribes_on(adb.issued_on), about=E.ADB_DELIVRE)]


def next_status(poursuite, event_type: str, on: date, *, late: bool = False) -> PoursuiteStatus:
    """The status after `event_type` on `on`; raises ProcedureError when not allowed."""
    if event_type == E.REQUISITION:
        raise ProcedureError(_("La réquisition est enregistrée à la création de la poursuite."))
    if on > today():
        raise ProcedureError(_("La date ne peut pas être dans le futur."))
    if on < poursuite.requisition_date:
        raise ProcedureError(
            _("La date précède la réquisition du %(date)s.") % {"date": format_date(poursuite.requisition_date)}
        )
    step = STEPS[event_type]
    label = E(event_type).label
    current = S(poursuite.status)
    if poursuite.kind not in step.kinds:
        raise ProcedureError(
            _("« %(event)s » n'existe pas dans une poursuite %(kind)s.")
            % {"event": label, "kind": poursuite.get_kind_display().lower()}
        )
    if current not in step.allowed_from:
        raise ProcedureError(
            _("« %(event)s » n'est pas possible : la poursuite est au stade « %(status)s ».")
            % {"event": label, "status": current.label}
        )
    if event_type in (E.OPPOSITION_TOTALE, E.OPPOSITION_PARTIELLE):
        return _check_opposition(poursuite, event_type, on, late=late)
    if late:
        raise ProcedureError(_("Seule une opposition peut être marquée tardive."))
    if event_type == E.CONTINUATION:
        _check_continuation(poursuite, on)
    return step.leads_to or current


def _check_opposition(poursuite, event_type: str, on: date, *, late: bool) -> PoursuiteStatus:
    if on < poursuite.notification_date:
        raise ProcedureError(_("L'opposition ne peut précéder la notification du commandement de payer."))
    last_day = opposition_deadline(poursuite.notification_date)
    if on > last_day and not late:
        raise ProcedureError(
            _(
                "Opposition tardive : le délai de 10 jours (art. 74 LP) a expiré le %(date)s. "
                "Cochez « tardive » pour l'enregistrer comme telle ; elle ne suspend pas la poursuite."
            )
            % {"date": format_date(last_day)}
        )
    if on <= last_day and late:
        raise ProcedureError(
            _("L'opposition est dans le délai (jusqu'au %(date)s) : ne la marquez pas tardive.")
            % {"date": format_date(last_day)}
        )
    if late:  # recorded for the file, the status does not change
        return S(poursuite.status)
    return STEPS[event_type].leads_to


def _check_continuation(poursuite, on: date) -> None:
    earliest = continuation_from(poursuite.notification_date)
    if on < earliest:
        raise ProcedureError(
            _("La continuation ne peut être requise qu'après le délai de paiement de 20 jours, dès le %(date)s.")
            % {"date": format_date(earliest)}
        )
    if poursuite.status == S.NOTIFIEE:
        lapse = continuation_lapses_on(poursuite.notification_date)
        if on > lapse:
            raise ProcedureError(
                _("Le droit de requérir la continuation s'est périmé le %(date)s (art. 88 al. 2 LP).")
                % {"date": format_date(lapse)}
            )
