"""How a clerk finds a dossier or a party in the register: by number (with or without its key letter),
by the 27-digit QR reference, by UID, or by names typed in any order, case and accents.

Names are searched in `Party.search_key` (first name and name, normalised as ocp_portal.names does),
which PostgreSQL serves from a trigram index (migration 0012): a contains search on a million rows.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from stdnum.ch import uid as stdnum_uid

from ocp_portal.names import normalize_name
from paiements.references import parse_qr_reference

from .models import QR_PREFIX_ADB, QR_PREFIX_POURSUITE, ActeDefautBiens, Party
from .numbers import parse_number


@dataclass(frozen=True)
class Query:
    """What a search term is: a number, a QR reference (its prefix and number), a UID, or name words."""

    number: int | None = None
    qr_prefix: str = ""
    uid: str = ""
    words: tuple[str, ...] = ()


def read(term: str) -> Query:
    term = (term or "").strip()
    if (parsed := parse_number(term)) is not None:
        return Query(number=parsed[0])
    if (digits := parse_qr_reference(term)) is not None:
        body = str(int(digits[:26]))  # the prefix digit, then the 8-digit number
        if len(body) == 9 and body[0] in (QR_PREFIX_POURSUITE, QR_PREFIX_ADB):
            return Query(number=int(body[1:]), qr_prefix=body[0])
        return Query(number=-1)  # a QR reference of no dossier of the register: nothing matches
    if stdnum_uid.is_valid(term):
        return Query(uid=stdnum_uid.format(term))
    return Query(words=tuple(normalize_name(term).split()))


def parties(query: Query, queryset: QuerySet[Party] | None = None) -> QuerySet[Party]:
    """The parties a query names (by UID or by every one of its words); none for a number."""
    queryset = Party.objects.all() if queryset is None else queryset
    if query.uid:
        return queryset.filter(uid=query.uid)
    if not query.words:
        return queryset.none()
    for word in query.words:
        queryset = queryset.filter(search_key__contains=word)
    return queryset


# Up to this many parties, their ids are handed to PostgreSQL as a list, which it serves from the
# indexes on debtor_id and creditor_id; a broader name stays a subquery (correct, slower).
PARTY_IDS_INLINE = 5000


def _party_ids(named: QuerySet[Party]):
    ids = list(named.order_by().values_list("pk", flat=True)[: PARTY_IDS_INLINE + 1])
    return ids if len(ids) <= PARTY_IDS_INLINE else named.order_by().values("pk")


def dossiers(queryset: QuerySet, term: str) -> QuerySet:
    """The poursuites or ADB of `queryset` that `term` names: by number or QR reference, else by their
    parties (a poursuite's debtor and creditor, an ADB's debtor)."""
    query = read(term)
    is_adb = queryset.model is ActeDefautBiens
    if query.number is not None:
        prefix = QR_PREFIX_ADB if is_adb else QR_PREFIX_POURSUITE
        if query.qr_prefix and query.qr_prefix != prefix:
            return queryset.none()
        return queryset.filter(number=query.number)
    named = _party_ids(parties(query))
    condition = Q()
    for path in ("poursuite__debtor",) if is_adb else ("debtor", "creditor"):
        condition |= Q(**{f"{path}__in": named})
    return queryset.filter(condition)
