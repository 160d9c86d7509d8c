"""What an extract shows (art. 8a LP, the office's 2018 format), as a JSON-ready snapshot.

The snapshot is stored with the issued document, so the pro-forma copy shown on verification
is the extract as issued, not the register as it is today.
"""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from ocp_portal.money import ZERO, chf
from poursuites.constants import ADBState, PartyKind, PoursuiteStatus
from poursuites.models import ActeDefautBiens, Party, PaymentLine, Poursuite


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
    poursuites = (
        Poursuite.objects.visible_to_third_parties(on)
        .filter(debtor_id__in=party_ids)
        .select_related("creditor")
        .order_by("requisition_date", "number")
    )
    return [
        {
            "number": p.reference,
            "date": p.requisition_date.isoformat(),
            "creditor": str(p.creditor),
            "amount": str(p.claim_amount),
            "status": str(PoursuiteStatus(p.status).label),
        }
        for p in poursuites
    ]


def _open_adb(party_ids: list[int]) -> tuple[int, str]:
    """Open ADB and what is still due on them: issued amounts less payments (no interest, art. 149 al. 4 LP)."""
    adbs = ActeDefautBiens.objects.filter(poursuite__debtor_id__in=party_ids, state=ADBState.OUVERT)
    issued = adbs.aggregate(count=Count("pk"), total=Sum("amount"))
    paid = PaymentLine.objects.filter(adb__in=adbs).aggregate(total=Sum("amount"))["total"] or ZERO
    return issued["count"], str(chf(max((issued["total"] or ZERO) - paid, ZERO)))


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
    adb_count, adb_total = _open_adb(party_ids) if parties else (0, str(ZERO))
    subject = parties[-1] if parties else asked  # the latest registered identity and address
    return {
        "issued_at": at.isoformat(),
        "subject": _identity(subject),
        "is_company": subject.kind == PartyKind.MORALE,
        "registered": bool(parties),
        "poursuites": rows,
        "adb_count": adb_count,
        "adb_total": adb_total,
        "has_entry": bool(rows) or adb_count > 0,
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
