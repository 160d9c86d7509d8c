"""Who in the register is the subject of an extract request.

The register may hold the same person several times (one party per poursuite), so a match
is a set of parties: every party with the very identity asked for (name, first name and
birth date, or the company's UID). Anything less than that is left to a clerk.
"""

import difflib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ocp_portal.names import normalize_name as normalize
from poursuites.constants import PartyKind
from poursuites.models import Party

from .constants import MatchOutcome

NEAR_RATIO = 0.8  # difflib ratio over "first name + name" above which a party is "near"
MAX_CANDIDATES = 20


@dataclass
class Match:
    outcome: str
    parties: list[Party] = field(default_factory=list)
    candidates: list[dict] = field(default_factory=list)  # for the clerk: party id and why


def _candidate(party: Party, reason: str) -> dict:
    return {"party": party.pk, "reason": reason}


def _address(party) -> tuple[str, str]:
    return party.postal_code.strip(), normalize(party.street)


def _certain_or_ambiguous(extract_request, exact: list[Party], unknown: list[Party], reason_unknown: str) -> Match:
    """Exact matches are certain unless the register leaves room for doubt: parties of the same
    name whose birth date or UID it does not know, or exact matches at different addresses none
    of which is the one asked for (two people, or one who moved twice: a clerk decides)."""
    addresses = {_address(party) for party in exact}
    if not unknown and (len(addresses) == 1 or _address(extract_request) in addresses):
        return Match(MatchOutcome.CERTAIN, exact)
    candidates = [_candidate(party, _("identité exacte")) for party in exact]
    candidates += [_candidate(party, reason_unknown) for party in unknown]
    return Match(MatchOutcome.AMBIGU, candidates=candidates[:MAX_CANDIDATES])


def match_person(extract_request) -> Match:
    wanted = normalize(f"{extract_request.first_name} {extract_request.name}")
    same_birth = list(Party.objects.filter(kind=PartyKind.PHYSIQUE, birth_date=extract_request.birth_date)[:500])
    exact = [p for p in same_birth if normalize(f"{p.first_name} {p.name}") == wanted]
    homonyms = [
        party
        for party in Party.objects.filter(kind=PartyKind.PHYSIQUE, name_key=normalize(extract_request.name)).exclude(
            birth_date=extract_request.birth_date
        )[:200]
        if normalize(party.first_name) == normalize(extract_request.first_name)
    ]
    unknown_birth = [party for party in homonyms if party.birth_date is None]
    if exact:
        return _certain_or_ambiguous(
            extract_request, exact, unknown_birth, _("même nom et prénom, date de naissance inconnue au registre")
        )
    near = [
        _candidate(p, _("même date de naissance, nom proche"))
        for p in same_birth
        if difflib.SequenceMatcher(None, normalize(f"{p.first_name} {p.name}"), wanted).ratio() >= NEAR_RATIO
    ]
    for party in homonyms:
        if party.birth_date is None:
            reason = _("même nom et prénom, date de naissance inconnue au registre")
        elif _address(party) == _address(extract_request):
            reason = _("même nom, prénom et adresse, autre date de naissance")
        else:
            reason = _("même nom et prénom, autre date de naissance")
        near.append(_candidate(party, reason))
    if near:
        return Match(MatchOutcome.AMBIGU, candidates=near[:MAX_CANDIDATES])
    return Match(MatchOutcome.AUCUNE)


def match_company(extract_request) -> Match:
    key = normalize(extract_request.name)
    same_name = [
        party
        for party in Party.objects.filter(kind=PartyKind.MORALE, name_key__startswith=key[:12])[:200]
        if difflib.SequenceMatcher(None, party.name_key, key).ratio() >= NEAR_RATIO
    ]
    exact = list(Party.objects.filter(kind=PartyKind.MORALE, uid=extract_request.uid)) if extract_request.uid else []
    if exact:
        unknown_uid = [party for party in same_name if not party.uid]
        return _certain_or_ambiguous(
            extract_request, exact, unknown_uid, _("même raison sociale, sans IDE au registre")
        )
    near = []
    for party in same_name:
        if not party.uid:
            reason = _("même raison sociale, sans IDE au registre")
        elif extract_request.uid:
            reason = _("même raison sociale, autre IDE")
        else:
            reason = _("même raison sociale, IDE non indiqué dans la demande")
        near.append(_candidate(party, reason))
    if near:
        return Match(MatchOutcome.AMBIGU, candidates=near[:MAX_CANDIDATES])
    return Match(MatchOutcome.AUCUNE)


def match_subject(extract_request) -> Match:
    if extract_request.kind == PartyKind.PHYSIQUE:
        return match_person(extract_request)
    return match_company(extract_request)
