"""At the guichet: register a poursuite from the code printed on a réquisition filled online.

The clerk scans the code, checks the data shown, picks for each party an existing one of the
register or a new one, and confirms. A code is registered once.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .. import services
from ..constants import PartyKind, PoursuiteKind
from ..models import Party, Poursuite
from .codec import PARTY_KEYS

ROLES = ("debtor", "creditor", "representative")


class AlreadyRegistered(Exception):
    def __init__(self, poursuite: Poursuite):
        super().__init__(_("Ce code a déjà été enregistré : %(poursuite)s.") % {"poursuite": poursuite})
        self.poursuite = poursuite


@dataclass(frozen=True)
class PartyProposal:
    role: str
    data: dict
    candidates: list[Party]


def registered_by(payload: dict) -> Poursuite | None:
    return Poursuite.objects.filter(requisition_code=payload["id"]).first()


def party_candidates(data: dict) -> list[Party]:
    """Parties of the register that may be this one: same UID, or same person (name, first name,
    birth date), or same name at the same postal code."""
    same = Q(name__iexact=data["name"], postal_code=data["postal_code"])
    if data.get("uid"):
        same |= Q(uid=data["uid"])
    if data["kind"] == PartyKind.PHYSIQUE and data.get("birth_date"):
        same |= Q(name__iexact=data["name"], first_name__iexact=data["first_name"], birth_date=data["birth_date"])
    return list(Party.objects.filter(same, kind=data["kind"]).order_by("name", "first_name")[:10])


def proposals(payload: dict) -> list[PartyProposal]:
    return [PartyProposal(role, payload[role], party_candidates(payload[role])) for role in ROLES if payload.get(role)]


def _new_party(data: dict) -> Party:
    values = {field: data.get(field) or "" for field in PARTY_KEYS}
    values["birth_date"] = date.fromisoformat(data["birth_date"]) if data.get("birth_date") else None
    party = Party(**values)
    party.full_clean()
    party.save()
    return party


def poursuite_kind(payload: dict, chosen: str) -> str:
    """An online réquisition asks for an ordinary poursuite or one in réalisation de gage; for
    an ordinary one the office decides saisie or faillite (art. 39 LP)."""
    if payload["kind"] == "gage":
        return PoursuiteKind.GAGE
    if chosen not in (PoursuiteKind.SAISIE, PoursuiteKind.FAILLITE):
        raise ValidationError(_("Choisissez la voie : saisie ou faillite (art. 39 LP)."))
    return chosen


def suggested_kind(payload: dict) -> str:
    """Faillite for a debtor registered in the commercial register (has a UID), else saisie."""
    debtor = payload["debtor"]
    return PoursuiteKind.FAILLITE if debtor["kind"] == PartyKind.MORALE and debtor.get("uid") else PoursuiteKind.SAISIE


@transaction.atomic
def register_from_code(
    *, payload: dict, party_choices: dict[str, int | None], kind: str, requisition_date: date, actor
) -> Poursuite:
    """Register the réquisition; `party_choices[role]` is an existing party's id or None (new)."""
    existing = registered_by(payload)
    if existing:
        raise AlreadyRegistered(existing)
    parties = {}
    for proposal in proposals(payload):
        chosen = party_choices.get(proposal.role)
        if chosen:
            matches = [party for party in proposal.candidates if party.pk == chosen]
            if not matches:
                raise ValidationError(_("La partie choisie ne correspond pas à la réquisition."))
            parties[proposal.role] = matches[0]
        else:
            parties[proposal.role] = _new_party(proposal.data)
    claims = [
        {
            "amount": Decimal(claim["amount"]),
            "interest_rate": Decimal(claim["rate"]) if claim.get("rate") else None,
            "interest_from": date.fromisoformat(claim["from"]) if claim.get("from") else None,
            "title": claim["title"],
        }
        for claim in payload["claims"]
    ]
    try:
        with transaction.atomic():
            return _register(payload, parties, claims, kind, requisition_date, actor)
    except IntegrityError:  # the same code confirmed twice at once
        raise AlreadyRegistered(registered_by(payload)) from None


def _register(payload, parties, claims, kind, requisition_date, actor) -> Poursuite:
    return services.register_poursuite(
        creditor=parties["creditor"],
        debtor=parties["debtor"],
        representative=parties.get("representative"),
        kind=poursuite_kind(payload, kind),
        claims=claims,
        requisition_date=requisition_date,
        creditor_iban=payload["creditor"].get("iban", ""),
        notes=payload.get("notes", ""),
        requisition_code=payload["id"],
        actor=actor,
    )
