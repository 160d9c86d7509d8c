"""Whether a debtor may ask that a poursuite be no longer shown to third parties (art. 8a
al. 3 let. d LP), and if not, exactly why. The request form asks it before any money is
taken; the payment's capture asks it again."""

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from stdnum.ch import uid as stdnum_uid

from ocp_portal.formats import format_date
from ocp_portal.names import normalize_name

from ..constants import NON_DISCLOSURE_WAIT_MONTHS, EtatNonDivulgation, PartyKind, PoursuiteStatus
from ..models import Party, Poursuite
from ..procedure import CLOSED
from .models import DemandeNonDivulgation


@dataclass(frozen=True)
class Identity:
    """Who the requester says they are, as the poursuite's debtor."""

    kind: str
    name: str
    first_name: str = ""
    birth_date: date | None = None
    uid: str = ""

    @classmethod
    def of(cls, demande: DemandeNonDivulgation) -> "Identity":
        return cls(
            kind=demande.requester_kind,
            name=demande.requester_name,
            first_name=demande.requester_first_name,
            birth_date=demande.requester_birth_date,
            uid=demande.requester_uid,
        )


@dataclass(frozen=True)
class Admissibility:
    reasons: list[str] = field(default_factory=list)
    earliest: date | None = None  # when the only obstacle is time: the first possible day

    @property
    def ok(self) -> bool:
        return not self.reasons


def is_the_debtor(identity: Identity, debtor: Party) -> bool:
    """The declared identity is the debtor's. What the register does not hold (a birth date,
    an IDE) cannot be compared and is not; what it holds must match."""
    if identity.kind != debtor.kind or normalize_name(identity.name) != normalize_name(debtor.name):
        return False
    if debtor.kind == PartyKind.PHYSIQUE:
        if normalize_name(identity.first_name) != normalize_name(debtor.first_name):
            return False
        return debtor.birth_date is None or identity.birth_date == debtor.birth_date
    return not debtor.uid or stdnum_uid.compact(identity.uid or "") == stdnum_uid.compact(debtor.uid)


def identity_unconfirmed(debtor: Party) -> str:
    """Why the register cannot confirm a requester's identity ('' when it can): the request then
    waits for a clerk rather than going on on a name alone."""
    if debtor.kind == PartyKind.PHYSIQUE and debtor.birth_date is None:
        return _("Le registre n'a pas la date de naissance du débiteur : son identité est vérifiée au guichet.")
    if debtor.kind == PartyKind.MORALE and not debtor.uid:
        return _("Le registre n'a pas l'IDE du débiteur : son identité est vérifiée au guichet.")
    return ""


def account_is_verified(user) -> bool:
    """Only a public account (ocp_portal.accounts' `Compte`) whose address is confirmed may ask."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    compte = getattr(user, "compte", None)
    return compte is not None and compte.is_verified


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def earliest_request_date(poursuite: Poursuite) -> date | None:
    """At the earliest 3 months after notification of the commandement de payer."""
    if poursuite.notification_date is None:
        return None
    return add_months(poursuite.notification_date, NON_DISCLOSURE_WAIT_MONTHS)


def poursuite_obstacles(poursuite: Poursuite, *, on: date) -> list[str]:
    """What in the poursuite itself stands in the way: no total opposition, withdrawn,
    annulled, paid, or no longer shown to third parties."""
    status = poursuite.status
    if status == PoursuiteStatus.RETIREE:
        return [
            _("La poursuite a été retirée par le créancier : elle n'est déjà plus portée à la connaissance de tiers.")
        ]
    if status == PoursuiteStatus.ANNULEE:
        return [_("La poursuite a été annulée : elle n'est déjà plus portée à la connaissance de tiers.")]
    if status == PoursuiteStatus.PAYEE:
        return [
            _(
                "La poursuite a été payée : la non-divulgation n'est possible que pour une poursuite "
                "frappée d'opposition totale."
            )
        ]
    reasons = []
    if not Poursuite.objects.visible_to_third_parties(on).filter(pk=poursuite.pk).exists():
        reasons.append(_("La poursuite n'est plus portée à la connaissance de tiers."))
    if status != PoursuiteStatus.OPPOSITION_TOTALE and status not in CLOSED:
        reasons.append(
            _(
                "Aucune opposition totale n'est enregistrée pour cette poursuite (stade actuel : « %(status)s ») : "
                "la non-divulgation n'est possible que pour une poursuite frappée d'opposition totale."
            )
            % {"status": poursuite.get_status_display()}
        )
    elif status in CLOSED:
        reasons.append(
            _("La poursuite est close (« %(status)s ») : la non-divulgation n'est plus possible.")
            % {"status": poursuite.get_status_display()}
        )
    return reasons


def _request_obstacle(poursuite: Poursuite, exclude_pk) -> str | None:
    states = set(
        DemandeNonDivulgation.objects.filter(poursuite=poursuite, state__in=DemandeNonDivulgation.ACTIVE_STATES)
        .exclude(pk=exclude_pk)
        .values_list("state", flat=True)
    )
    if EtatNonDivulgation.ACCORDEE in states:
        return _("La non-divulgation de cette poursuite a déjà été accordée.")
    if EtatNonDivulgation.REDIVULGUEE in states:
        return _(
            "La non-divulgation de cette poursuite a été accordée puis levée, le créancier ayant prouvé "
            "une demande de mainlevée ou une action en justice."
        )
    if states:
        return _("Une demande de non-divulgation est déjà en cours pour cette poursuite.")
    return None


def check(poursuite: Poursuite, *, on: date, identity: Identity, user, exclude_pk=None) -> Admissibility:
    """May `user`, declaring `identity`, ask for the non-divulgation of `poursuite` on `on`?

    An unverified account or an identity that is not the debtor's gets that one neutral reason
    and nothing about the poursuite. Otherwise every obstacle is listed, with the first
    possible date when the 3 months are not over. `exclude_pk`: the request being re-checked.
    """
    if not account_is_verified(user):
        return Admissibility([_("Votre compte doit être vérifié pour demander la non-divulgation d'une poursuite.")])
    if not is_the_debtor(identity, poursuite.debtor):
        return Admissibility(
            [
                _(
                    "Les données d'identité saisies ne correspondent pas au débiteur de cette poursuite : "
                    "seul le débiteur peut en demander la non-divulgation."
                )
            ]
        )
    reasons = poursuite_obstacles(poursuite, on=on)
    earliest = earliest_request_date(poursuite)
    too_early = earliest is not None and on < earliest and poursuite.status not in CLOSED
    if too_early:
        reasons.append(
            _(
                "La demande peut être déposée au plus tôt trois mois après la notification du commandement "
                "de payer (art. 8a al. 3 let. d LP), notifié le %(notified)s : dès le %(earliest)s."
            )
            % {"notified": format_date(poursuite.notification_date), "earliest": format_date(earliest)}
        )
    pending = _request_obstacle(poursuite, exclude_pk)
    if pending:
        reasons.append(pending)
    return Admissibility(reasons, earliest if too_early else None)


def recheck(demande: DemandeNonDivulgation, *, on: date) -> Admissibility:
    """`check` again for a request already made: its declared identity, its account, the
    request itself set aside. Used before the fee is taken, when it is captured and when a
    clerk takes up a request put aside."""
    return check(demande.poursuite, on=on, identity=Identity.of(demande), user=demande.user, exclude_pk=demande.pk)
