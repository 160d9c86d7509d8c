"""A large demo register (hundreds of thousands to millions of poursuites) written in bulk.

Why it bypasses `poursuites.services`: the services write one poursuite at a time, each step
in its own transaction with a row lock, a `full_clean` and a history row, i.e. some fifteen
SQL statements per poursuite. That is right at the guichet and fine for the few hundred
poursuites of `poursuites.demo`, but it would take hours for the million poursuites of the
benchmark. Here each poursuite's whole procedure is planned in memory and the rows are written
per batch with `COPY` (PostgreSQL) or `bulk_create` (elsewhere).

What it writes is exactly what the services would have written for the same scenario:

- numbers come from `services.allocate_numbers`, so the number series (`ocp_portal.NumberSeries`) stays right and the
  poursuite/ADB series has no holes or duplicates;
- every status follows from `procedure.next_status`, the same function the services call
  before writing (an impossible step raises `ProcedureError` here as it would there), with the
  same `notification_date` and `closed_on` bookkeeping;
- every poursuite has its `Claim` rows (one, plus the reminder costs one time in five, as in
  `demo`; `claim_amount` is their total), its réquisition event and its art. 16 OELP `FeeLine`
  on that total (`fees.commandement_fee`), each step its `PoursuiteEvent`, each payment its `PaymentLine`
  (and a `paiement` event for a poursuite), each `adb_delivre` poursuite its
  `ActeDefautBiens` for the balance due that day (`balance.compute_balance`), and every
  write the `HistoryEntry` the service records (same action text, same `changes`).

The scenarios, their weights and the names, streets and titles are those of
`poursuites.demo`. Memory stays bounded: one batch is planned, written and committed, then
dropped; numbers are reserved per batch.
"""

import json
import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ocp_portal.bookkeeping import MoneySource
from ocp_portal.dates import today
from ocp_portal.models import ADDRESS_FIELDS
from ocp_portal.names import normalize_name

from . import demo, services
from .balance import ClaimTerms, compute_balance
from .constants import ADBState, EventType, FeeKind, PartyKind, PoursuiteKind, PoursuiteStatus
from .fees import commandement_fee
from .models import (
    ActeDefautBiens,
    Claim,
    FeeLine,
    HistoryEntry,
    Party,
    PaymentLine,
    Poursuite,
    PoursuiteEvent,
    search_key,
)
from .procedure import CLOSED, continuation_from, next_status

BATCH_SIZE = 10_000
# Same amounts, rates and reminder costs as demo._poursuite (inline there).
CLAIMS = [85, 240, 780, 1250, 3400, 8800, 15600, 48000]
RATES = [Decimal("5"), Decimal("5"), Decimal("3.5"), Decimal("0")]
REMINDER_COSTS = Decimal("40.00")
CENT = Decimal("0.01")
E = EventType
ADB_NOTE = object()  # the ADB_DELIVRE event's note is str(adb): known once numbers are reserved

# Column order of the rows handed to COPY / bulk_create, by model (attribute names).
FIELDS = {
    Party: (
        "id",
        "kind",
        "name",
        "first_name",
        "birth_date",
        "uid",
        *ADDRESS_FIELDS,
        "email",
        "name_key",
        "search_key",
    ),
    Poursuite: (
        "id",
        "number",
        "kind",
        "status",
        "creditor_id",
        "debtor_id",
        "claim_amount",
        "creditor_iban",
        "notes",
        "requisition_code",
        "requisition_date",
        "notification_date",
        "closed_on",
        "created_at",
        "updated_at",
    ),
    Claim: ("poursuite_id", "position", "amount", "interest_rate", "interest_from", "title"),
    ActeDefautBiens: ("id", "number", "poursuite_id", "amount", "issued_on", "state", "closed_on", "created_at"),
    PoursuiteEvent: ("poursuite_id", "type", "date", "amount", "late", "note", "recorded_at"),
    FeeLine: ("poursuite_id", "kind", "date", "amount", "label", "created_at"),
    PaymentLine: ("poursuite_id", "adb_id", "date", "amount", "source", "external_reference", "created_at"),
    HistoryEntry: ("poursuite_id", "adb_id", "at", "actor_label", "action", "changes"),
}


class _Plan:
    """One poursuite's procedure, planned in memory; also what `next_status` reads."""

    __slots__ = (
        "kind",
        "status",
        "requisition_date",
        "notification_date",
        "closed_on",
        "claim_amount",
        "claims",
        "creditor_id",
        "debtor",
        "events",
        "fee",
        "payment",
        "adb",
        "history",
    )

    def __init__(self, **values):
        self.notification_date = self.closed_on = self.payment = self.adb = None
        self.events, self.history = [], []
        for name, value in values.items():
            setattr(self, name, value)

    def get_kind_display(self):
        return PoursuiteKind(self.kind).label


class _Texts:
    """The translated labels the services put in notes and history, looked up once."""

    def __init__(self):
        self.events = {type: str(type.label) for type in EventType}
        self.sources = {source: str(source.label) for source in MoneySource}
        self.requisition = _("Réquisition enregistrée")
        self.payment = _("Paiement reçu : %(line)s")
        self.adb_issued = _("Acte de défaut de biens délivré")


def build_register(
    count: int, seed: int = 2026, batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None
) -> int:
    """Add `count` poursuites to the register, one committed transaction per batch."""
    rng = random.Random(seed)
    texts = _Texts()
    creditors = [party.pk for party in demo._companies()]
    scenarios = [name for weight, name in demo.SCENARIOS for _ in range(weight)]
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        with transaction.atomic():
            _write_batch(rng, texts, creditors, [scenarios[(done + i) % len(scenarios)] for i in range(size)])
        done += size
        if progress:
            progress(done)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in FIELDS:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return done


def _write_batch(rng, texts, creditors, scenarios):
    debtors = [_person(rng) for _ in range(max(1, len(scenarios) // 3))]
    plans = [_plan(rng, texts, scenario, rng.choice(creditors), rng.randrange(len(debtors))) for scenario in scenarios]
    adb_count = sum(1 for plan in plans if plan.adb)
    # Numbers first: on SQLite this write also takes the database lock before ids are read.
    numbers = iter(services.allocate_numbers(len(plans) + adb_count))
    party_ids = _reserve_ids(Party, len(debtors))
    poursuite_ids = iter(_reserve_ids(Poursuite, len(plans)))
    adb_ids = iter(_reserve_ids(ActeDefautBiens, adb_count))
    now = timezone.now()
    rows = {model: [] for model in FIELDS}
    rows[Party] = [(pk, *debtor) for pk, debtor in zip(party_ids, debtors, strict=True)]
    for plan in plans:
        pk, number = next(poursuite_ids), next(numbers)  # the services number an ADB after its poursuite
        rows[Poursuite].append(
            (
                pk,
                number,
                plan.kind,
                plan.status,
                plan.creditor_id,
                party_ids[plan.debtor],
                plan.claim_amount,
                "",
                "",
                "",
                plan.requisition_date,
                plan.notification_date,
                plan.closed_on,
                now,
                now,
            )
        )
        for position, (amount, rate, since, title) in enumerate(plan.claims, start=1):
            rows[Claim].append((pk, position, amount, rate, since, title))
        rows[FeeLine].append((pk, FeeKind.COMMANDEMENT.value, plan.requisition_date, plan.fee, "", now))
        adb_pk = adb_note = None
        if plan.adb:
            adb_pk, adb_number, (issued_on, amount, _payment) = next(adb_ids), next(numbers), plan.adb
            adb_note = str(ActeDefautBiens(number=adb_number))
            rows[ActeDefautBiens].append((adb_pk, adb_number, pk, amount, issued_on, ADBState.OUVERT.value, None, now))
        for type, on, amount, note in plan.events:
            rows[PoursuiteEvent].append((pk, type, on, amount, False, adb_note if note is ADB_NOTE else note, now))
        if plan.payment:
            on, amount, source = plan.payment
            rows[PaymentLine].append((pk, None, on, amount, source, "", now))
        if plan.adb and plan.adb[2]:
            on, amount, source = plan.adb[2]
            rows[PaymentLine].append((None, adb_pk, on, amount, source, "", now))
        for on_adb, action, changes in plan.history:
            target = (None, adb_pk) if on_adb else (pk, None)
            rows[HistoryEntry].append((*target, now, "", action, changes))
    for model, model_rows in rows.items():
        _write(model, model_rows)


def _person(rng) -> tuple:
    """A debtor row as demo._person makes it (without its id)."""
    postal_code, town = rng.choice(demo.TOWNS)
    name, first_name = rng.choice(demo.LAST_NAMES), rng.choice(demo.FIRST_NAMES)
    return (
        PartyKind.PHYSIQUE.value,
        name,
        first_name,
        date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        "",
        rng.choice(demo.STREETS),
        str(rng.randint(1, 120)),
        "",
        postal_code,
        town,
        "CH",
        "",
        normalize_name(name),
        search_key(first_name, name),
    )


def _plan(rng, texts, scenario, creditor_id, debtor) -> _Plan:
    """Mirror of demo._poursuite: the same scenario played through the procedure's rules."""
    day = today()
    kind = {"faillite": PoursuiteKind.FAILLITE, "gage": PoursuiteKind.GAGE}.get(scenario, PoursuiteKind.SAISIE)
    early = scenario in ("requisition", "notifiee")
    start = day - timedelta(days=rng.randint(5, 60) if early else rng.randint(400, 700))
    claim = Decimal(rng.choice(CLAIMS)) + Decimal(rng.randint(0, 99)) / 100
    # (amount, interest_rate, interest_from, title), as demo._poursuite passes them to the service.
    claims = [
        (claim.quantize(CENT), rng.choice(RATES), start - timedelta(days=rng.randint(30, 200)), rng.choice(demo.TITLES))
    ]
    if rng.random() < 0.2:  # a second claim: the costs of the reminders
        claims.append((REMINDER_COSTS, None, None, "Frais de rappel"))
    total = sum(amount for amount, *_terms in claims)
    plan = _Plan(
        kind=kind.value,
        status=PoursuiteStatus.REQUISITION.value,
        requisition_date=start,
        claim_amount=total,
        claims=claims,
        creditor_id=creditor_id,
        debtor=debtor,
        fee=commandement_fee(total),
    )
    # services.register_poursuite
    plan.events.append((E.REQUISITION.value, start, None, ""))
    plan.history.append((False, texts.requisition, {}))
    if scenario == "requisition":
        return plan
    notified = start + timedelta(days=rng.randint(3, 12))
    if notified > day:
        return plan
    _event(plan, texts, E.NOTIFICATION, notified)
    step = continuation_from(notified) + timedelta(days=4)  # once the 20 days are over
    if scenario == "opposition_totale":
        _event(plan, texts, E.OPPOSITION_TOTALE, notified + timedelta(days=rng.randint(0, 9)))
    elif scenario == "opposition_partielle":
        _event(plan, texts, E.OPPOSITION_PARTIELLE, notified + timedelta(days=4), amount=(claim / 3).quantize(CENT))
    elif scenario == "mainlevee":
        _event(plan, texts, E.OPPOSITION_TOTALE, notified + timedelta(days=2))
        _event(plan, texts, E.MAINLEVEE, step + timedelta(days=60))
    elif scenario in ("continuation", "saisie", "adb", "faillite", "gage"):
        _event(plan, texts, E.CONTINUATION, step)
        if scenario in ("saisie", "adb"):
            _event(plan, texts, E.AVIS_SAISIE, step + timedelta(days=15))
            _event(plan, texts, E.SAISIE_EXECUTEE, step + timedelta(days=40))
        if scenario == "faillite":
            _event(plan, texts, E.COMMINATION_FAILLITE, step + timedelta(days=10))
        if scenario == "gage":
            _event(plan, texts, E.REALISATION, step + timedelta(days=90))
        if scenario == "adb":
            _issue_adb(rng, plan, texts, step + timedelta(days=120))
    elif scenario in ("payee", "acompte"):
        on = notified + timedelta(days=rng.randint(5, 19))
        due = _balance(plan, on).total
        amount = due if scenario == "payee" else (due / 3).quantize(CENT)
        _pay(plan, texts, on, amount, rng.choice(list(MoneySource)))
    elif scenario == "contrordre":
        _event(plan, texts, E.CONTRORDRE, step)
    elif scenario == "annulation":
        _event(plan, texts, E.ANNULATION, step + timedelta(days=100), note="Jugement du Tribunal de première instance")
    return plan


def _balance(plan, on):
    """poursuites.balance.poursuite_balance for a poursuite with its one fee and no payment."""
    return compute_balance(
        on=on,
        claims=[ClaimTerms(amount, rate, since) for amount, rate, since, _title in plan.claims],
        fees=[(plan.requisition_date, plan.fee)],
    )


def _apply_status(plan, status, on):
    plan.status = status
    if status in CLOSED and plan.closed_on is None:
        plan.closed_on = on


def _event(plan, texts, type, on, amount=None, note=""):
    """services._record_event."""
    previous = plan.status
    status = next_status(plan, type, on).value
    if type == E.NOTIFICATION:
        plan.notification_date = on
    plan.events.append((type.value, on, amount, note))
    _apply_status(plan, status, on)
    changes = {"statut": [previous, status]} if status != previous else {}
    plan.history.append((False, f"{on:%d.%m.%Y} {texts.events[type]}", changes))


def _pay(plan, texts, on, amount, source):
    """services.record_payment on a poursuite (no other payment yet)."""
    next_status(plan, E.PAIEMENT, on)
    amount = amount.quantize(CENT)
    plan.payment = (on, amount, source.value)
    plan.events.append((E.PAIEMENT.value, on, amount, texts.sources[source]))
    if amount >= _balance(plan, on).total:
        _apply_status(plan, PoursuiteStatus.PAYEE.value, on)
    line = f"{on:%d.%m.%Y} {amount} ({texts.sources[source]})"
    plan.history.append((False, texts.payment % {"line": line}, {"montant": str(amount), "source": source.value}))


def _issue_adb(rng, plan, texts, on):
    """services.issue_adb, then in 30% of cases services.record_payment of a quarter on the ADB."""
    next_status(plan, E.ADB_DELIVRE, on)
    amount = _balance(plan, on).total.quantize(CENT)
    _event(plan, texts, E.ADB_DELIVRE, on, amount=amount, note=ADB_NOTE)
    plan.history.append((True, texts.adb_issued, {"montant": str(amount)}))
    payment = None
    if rng.random() < 0.3:
        paid_on, paid = on + timedelta(days=30), (amount / 4).quantize(CENT)
        payment = (paid_on, paid, MoneySource.GUICHET.value)
        line = f"{paid_on:%d.%m.%Y} {paid} ({texts.sources[MoneySource.GUICHET]})"
        plan.history.append(
            (True, texts.payment % {"line": line}, {"montant": str(paid), "source": MoneySource.GUICHET.value})
        )
    plan.adb = (on, amount, payment)


def _reserve_ids(model, count: int) -> list[int]:
    """Primary keys for rows that other rows of the batch point to."""
    if not count:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]
    # SQLite: the batch's transaction already holds the write lock (allocate_numbers wrote).
    first = (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    return list(range(first, first + count))


def _write(model, rows):
    if not rows:
        return
    fields = FIELDS[model]
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=500)
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    json_at = fields.index("changes") if model is HistoryEntry else None
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            if json_at is not None:
                row = (*row[:json_at], json.dumps(row[json_at]), *row[json_at + 1 :])
            copy.write_row(row)
