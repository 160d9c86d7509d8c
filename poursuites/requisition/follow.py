"""Where a réquisition filed online stands, in the creditor's plain words: reçue, en vérification,
enregistrée (n° and key letter), commandement de payer notifié, opposition, délai de paiement
échu with the continuation possible until …, ADB, payée, retirée.

The dates are poursuites.procedure's (`deadlines`, `Deadline.state_on`); this only words them."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from ocp_portal.formats import format_date

from ..constants import EventType, PoursuiteStatus
from ..procedure import AHEAD, OPEN, deadlines
from .models import DepotEnLigne, DepotState

S = PoursuiteStatus

# The tone of a state, for its badge: waiting for the office, moving, needs the creditor, ended.
WAITING, MOVING, ACTION, ENDED, REFUSED = "waiting", "moving", "action", "ended", "refused"


@dataclass(frozen=True)
class FollowState:
    label: str
    tone: str
    number: str = ""  # the poursuite's number with its key letter, once registered


def _continuation(poursuite):
    return next(
        (item for item in deadlines(poursuite) if item.about == EventType.CONTINUATION and item.opens),
        None,
    )


def _continuation_words(poursuite, on: date) -> tuple[str, str] | None:
    """« continuation possible jusqu'au … » when the procedure allows it on `on`."""
    item = _continuation(poursuite)
    if item is None or item.state_on(on) != OPEN:
        return None
    if item.until:
        return _("continuation possible jusqu'au %(date)s") % {"date": format_date(item.until)}, ACTION
    return _("continuation possible"), ACTION


def poursuite_state(poursuite, on: date) -> FollowState:
    number = poursuite.reference
    status = S(poursuite.status)
    if status == S.REQUISITION:
        return FollowState(_("Enregistrée — poursuite n° %(number)s") % {"number": number}, MOVING, number)
    if status == S.NOTIFIEE:
        item = _continuation(poursuite)
        notified = _("Commandement de payer notifié le %(date)s") % {"date": format_date(poursuite.notification_date)}
        if item is None or item.state_on(on) == AHEAD:
            return FollowState(notified, MOVING, number)
        if item.state_on(on) == OPEN:
            words, tone = _continuation_words(poursuite, on)
            return FollowState(_("Délai de paiement échu — %(words)s") % {"words": words}, tone, number)
        return FollowState(
            _("Droit de requérir la continuation périmé le %(date)s") % {"date": format_date(item.until)},
            ENDED,
            number,
        )
    if status in (S.OPPOSITION_PARTIELLE, S.OPPOSITION_LEVEE):
        label = _("Opposition partielle") if status == S.OPPOSITION_PARTIELLE else _("Opposition levée")
        continuation = _continuation_words(poursuite, on)
        if continuation:
            return FollowState(f"{label} — {continuation[0]}", ACTION, number)
        return FollowState(label, MOVING, number)
    if status == S.OPPOSITION_TOTALE:
        return FollowState(_("Opposition totale du débiteur"), ACTION, number)
    if status == S.ADB_DELIVRE:
        adb = poursuite.actes_defaut_biens.order_by("-number").first()
        label = _("Acte de défaut de biens (ADB n° %(number)s)") % {"number": adb.reference} if adb else status.label
        return FollowState(label, ENDED, number)
    if status == S.PAYEE:
        return FollowState(_("Payée"), ENDED, number)
    if status == S.RETIREE:
        return FollowState(_("Retirée (contrordre)"), ENDED, number)
    if status == S.ANNULEE:
        return FollowState(_("Annulée"), ENDED, number)
    return FollowState(status.label, MOVING, number)


def filing_state(filing: DepotEnLigne, on: date) -> FollowState:
    if filing.state == DepotState.ENREGISTREE and filing.poursuite is not None:
        return poursuite_state(filing.poursuite, on)
    tone = {DepotState.REFUSEE: REFUSED}.get(filing.state, WAITING)
    return FollowState(filing.get_state_display(), tone)
