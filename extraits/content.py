"""What an extract shows (art. 8a LP, the office's 2018 format), as a JSON-ready snapshot.

The snapshot is stored with the issued document, so the pro-forma copy shown on verification
is the extract as issued, not the register as it is today.
"""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from ocp_portal.money import ZERO, chf
from poursuites import selectors as register
from poursuites.constants import PartyKind, PoursuiteStatus
from poursuites.models import Party


def _identity(source) -> dict:
    return {
        "kind": source.kind,
        "name": source.name,
        "first_name": source.first_name,
        "birth_date": source.birth_date.isoformat() if source.birth_date else "",
        "uid": source.uid,
        "address_lines": source.address_lines,
    }


def _poursuite_rows(party_ids: list[int], on) -> list[dict]:
    return [
        {
            "number": p.reference,
            "date": p.requisition_date.isoformat(),
            "creditor": str(p.creditor),
            "amount": str(p.claim_amount),
            "status": str(PoursuiteStatus(p.status).label),
        }
        for p in register.poursuites_shown_to_third_parties(party_ids, on)
    ]


def extract_content(parties: Iterable[Party] | Party, *, at: datetime | None = None, asked=None) -> dict:
    """The extract about `parties` (the subject as registered) issued at `at`.

    With no party, the extract states that the register holds no entry for `asked`
    (the identity given in the request).
    """
    at = at or timezone.now()
    parties = [parties] if isinstance(parties, Party) else sorted(parties, key=lambda party: party.pk)
    on = timezone.localdate(at)
    party_ids = [party.pk for party in parties]
    rows = _poursuite_rows(party_ids, on) if parties else []
    adb = register.open_adb(party_ids, on) if parties else register.OpenADB(count=0, due=ZERO)
    subject = parties[-1] if parties else asked  # the latest registered identity and address
    return {
        "issued_at": at.isoformat(),
        "subject": _identity(subject),
        "is_company": subject.kind == PartyKind.MORALE,
        "registered": bool(parties),
        "poursuites": rows,
        "adb_count": adb.count,
        "adb_total": str(chf(adb.due)),
        "has_entry": bool(rows) or adb.count > 0,
    }


def for_display(content: dict) -> dict:
    """The stored snapshot with dates and amounts as objects again, for templates."""
    subject = dict(content["subject"])
    subject["birth_date"] = date.fromisoformat(subject["birth_date"]) if subject["birth_date"] else None
    rows = [
        {**row, "date": date.fromisoformat(row["date"]), "amount": Decimal(row["amount"])}
        for row in content["poursuites"]
    ]
    return {
        **content,
        "issued_at": datetime.fromisoformat(content["issued_at"]),
        "subject": subject,
        "poursuites": rows,
        "adb_total": Decimal(content["adb_total"]),
    }
