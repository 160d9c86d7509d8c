"""Who in the register is the subject of an extract request.

The register may hold the same person several times (one party per poursuite), so a match
is a set of parties: every party with the very identity asked for (name, first name and
birth date, or the company's UID). Anything less than that is left to a clerk.
"""

import difflib
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from poursuites.constants import PartyKind
from poursuites.models import Party

from .constants import MatchOutcome

NEAR_RATIO = 0.8  # difflib ratio over "first name + name" above which a party is "near"
MAX_CANDIDATES = 20


def normalize(text: str) -> str:
    """`  Müller-Dupont ` → `muller dupont`: case, accents, hyphens and spaces do not count."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    for separator in "-'’.,":
        bare = bare.replace(separator, " ")
    return " ".join(bare.casefold().split())


@dataclass
class Match:
    outcome: str
    parties: list[Party] = field(default_factory=list)
    candidates: list[dict] = field(default_factory=list)  # for the clerk: party id and why


def _candidate(party: Party, reason: str) -> dict:
    return {"party": party.pk, "reason": reason}


def _same_address(party: Party, request) -> bool:
    return party.postal_code == request.postal_code and normalize(party.street) == normalize(request.street)


def match_person(request) -> Match:
    wanted = normalize(f"{request.first_name} {request.name}")
    same_birth = list(Party.objects.filter(kind=PartyKind.PHYSIQUE, birth_date=request.birth_date)[:500])
    exact = [p for p in same_birth if normalize(f"{p.first_name} {p.name}") == wanted]
    if exact:
        return Match(MatchOutcome.CERTAIN, exact)
    near = [
        _candidate(p, _("même date de naissance, nom proche"))
        for p in same_birth
        if difflib.SequenceMatcher(None, normalize(f"{p.first_name} {p.name}"), wanted).ratio() >= NEAR_RATIO
    ]
    homonyms = Party.objects.filter(kind=PartyKind.PHYSIQUE, name__iexact=request.name.strip()).exclude(
        birth_date=request.birth_date
    )[:200]
    for party in homonyms:
        if normalize(party.first_name) != normalize(request.first_name):
            continue
        if party.birth_date is None:
            reason = _("même nom et prénom, date de naissance inconnue au registre")
        elif _same_address(party, request):
            reason = _("même nom, prénom et adresse, autre date de naissance")
        else:
            reason = _("même nom et prénom, autre date de naissance")
        near.append(_candidate(party, reason))
    if near:
        return Match(MatchOutcome.AMBIGU, candidates=near[:MAX_CANDIDATES])
    return Match(MatchOutcome.AUCUNE)


def match_company(request) -> Match:
    if request.uid:
        exact = list(Party.objects.filter(kind=PartyKind.MORALE, uid=request.uid))
        if exact:
            return Match(MatchOutcome.CERTAIN, exact)
    near = []
    for party in Party.objects.filter(kind=PartyKind.MORALE).filter(
        Q(name__iexact=request.name.strip()) | Q(name__istartswith=request.name.strip()[:12])
    )[:200]:
        if difflib.SequenceMatcher(None, normalize(party.name), normalize(request.name)).ratio() < NEAR_RATIO:
            continue
        if not party.uid:
            reason = _("même raison sociale, sans IDE au registre")
        elif request.uid:
            reason = _("même raison sociale, autre IDE")
        else:
            reason = _("même raison sociale, IDE non indiqué dans la demande")
        near.append(_candidate(party, reason))
    if near:
        return Match(MatchOutcome.AMBIGU, candidates=near[:MAX_CANDIDATES])
    return Match(MatchOutcome.AUCUNE)


def match_subject(request) -> Match:
    return match_person(request) if request.kind == PartyKind.PHYSIQUE else match_company(request)
