"""What a clerk reads at the top of a poursuite's or an ADB's page: the claims, the balance today
with its breakdown (the same function as the public lookup), the timeline and the deadlines ahead.
The rules stay in balance.py and procedure.py; this only gathers their answers for the page."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch

from .balance import Balance, adb_balance, poursuite_balance
from .lookup import NOT_PAYABLE_REASONS
from .models import ActeDefautBiens, Claim, Poursuite, PoursuiteEvent
from .procedure import adb_deadlines, adb_prescribes_on, deadlines
from .procedure_stage import DatedLine


@dataclass(frozen=True)
class ClaimRow:
    position: int
    title: str
    amount: Decimal
    rate: str  # « 4.5 % », or "" without interest
    since: date | None

    @classmethod
    def of(cls, claim: Claim) -> "ClaimRow":
        rate = f"{claim.interest_rate:f}".rstrip("0").rstrip(".") + " %" if claim.interest_rate is not None else ""
        return cls(claim.position, claim.title, claim.amount, rate, claim.interest_from)


@dataclass(frozen=True)
class PoursuiteSummary:
    on: date
    claims: list[ClaimRow]
    balance: Balance
    not_payable: str  # what the public lookup tells the debtor instead of a balance ("" when payable)
    timeline: list[DatedLine]


@dataclass(frozen=True)
class ADBSummary:
    on: date
    balance: Balance
    prescribes_on: date
    timeline: list[DatedLine]


def _events(events) -> list[DatedLine]:
    return [DatedLine(event.date, event.get_type_display(), event.note) for event in events]


def poursuite_summary(poursuite: Poursuite, on: date) -> PoursuiteSummary:
    poursuite = Poursuite.objects.prefetch_related(
        "claims",
        "fees",
        "payments",
        "actes_defaut_biens",
        Prefetch("events", PoursuiteEvent.objects.order_by("date", "id")),
    ).get(pk=poursuite.pk)
    reason = NOT_PAYABLE_REASONS.get(poursuite.status, "")
    if reason:
        adbs = sorted(poursuite.actes_defaut_biens.all(), key=lambda adb: adb.number)
        reason = str(reason) % {"adb": adbs[-1].reference if adbs else "—"}
    ahead = [DatedLine.of(deadline, on) for deadline in deadlines(poursuite)]
    return PoursuiteSummary(
        on=on,
        claims=[ClaimRow.of(claim) for claim in poursuite.claims.all()],
        balance=poursuite_balance(poursuite, on),
        not_payable=reason,
        timeline=_events(poursuite.events.all()) + ahead,
    )


def adb_summary(adb: ActeDefautBiens, on: date) -> ADBSummary:
    adb = ActeDefautBiens.objects.prefetch_related("payments").select_related("poursuite").get(pk=adb.pk)
    events = PoursuiteEvent.objects.filter(poursuite=adb.poursuite_id).order_by("date", "id")
    ahead = [DatedLine.of(deadline, on) for deadline in adb_deadlines(adb)]
    return ADBSummary(
        on=on,
        balance=adb_balance(adb, on),
        prescribes_on=adb_prescribes_on(adb.issued_on),
        timeline=_events(events) + ahead,
    )
