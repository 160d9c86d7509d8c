"""Every write to the register goes through these functions: views, admin, tasks and other
apps call them, so the procedure's rules and the history hold whoever acts."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ocp_portal.bookkeeping import MoneySource, allocate, record_money_once
from ocp_portal.dates import today
from ocp_portal.formats import format_chf, format_date
from ocp_portal.money import ZERO, chf

from .balance import adb_balance, poursuite_balance
from .constants import ADBState, EventType, FeeKind, PoursuiteStatus
from .fees import NOTIFICATION_ATTEMPT_FEE, commandement_fee
from .models import (
    ActeDefautBiens,
    Claim,
    FeeLine,
    HistoryEntry,
    Party,
    PaymentLine,
    Poursuite,
    PoursuiteEvent,
)
from .numbers import NUMBER_MIN, NUMBER_SERIES
from .procedure import CLOSED, NOT_PAYABLE, ProcedureError, next_status
from .requisition import notices


def record_history(*, poursuite=None, adb=None, actor=None, actor_label="", action: str, changes=None):
    return HistoryEntry.objects.create(
        poursuite=poursuite,
        adb=adb,
        actor=actor if actor and actor.is_authenticated else None,
        actor_label=actor_label,
        action=Truncator(action).chars(HistoryEntry._meta.get_field("action").max_length),
        changes=changes or {},
    )


def allocate_numbers(count: int = 1) -> range:
    """Reserve `count` consecutive numbers of the series shared by poursuites and ADB."""
    return allocate(NUMBER_SERIES, count, start=NUMBER_MIN)


@transaction.atomic
def register_poursuite(
    *,
    creditor: Party,
    debtor: Party,
    kind: str,
    claims: list[dict],
    requisition_date: date,
    representative: Party | None = None,
    creditor_iban: str = "",
    notes: str = "",
    requisition_code: str = "",
    actor=None,
) -> Poursuite:
    """Register a réquisition: number, claims (amount, interest_rate, interest_from, title),
    the art. 16 OELP fee on their total, and the first event."""
    if not 1 <= len(claims) <= Claim.MAX_PER_POURSUITE:
        raise ValidationError(_("Une réquisition compte de 1 à 10 créances."))
    if requisition_code and Poursuite.objects.filter(requisition_code=requisition_code).exists():
        raise ValidationError(_("Cette réquisition est déjà enregistrée."), code="already_registered")
    poursuite = Poursuite(
        number=allocate_numbers()[0],
        creditor=creditor,
        debtor=debtor,
        representative=representative,
        kind=kind,
        claim_amount=sum((chf(claim["amount"]) for claim in claims), ZERO),
        creditor_iban=creditor_iban,
        notes=notes,
        requisition_code=requisition_code,
        requisition_date=requisition_date,
    )
    poursuite.full_clean()
    poursuite.save()
    for position, terms in enumerate(claims, start=1):
        claim = Claim(poursuite=poursuite, position=position, **{**terms, "amount": chf(terms["amount"])})
        claim.full_clean()
        claim.save()
    PoursuiteEvent.objects.create(
        poursuite=poursuite, type=EventType.REQUISITION, date=requisition_date, recorded_by=_user(actor)
    )
    FeeLine.objects.create(
        poursuite=poursuite,
        kind=FeeKind.COMMANDEMENT,
        date=requisition_date,
        amount=commandement_fee(poursuite.claim_amount),
        created_by=_user(actor),
    )
    record_history(poursuite=poursuite, actor=actor, action=_("Réquisition enregistrée"))
    return poursuite


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _lock(poursuite: Poursuite) -> Poursuite:
    return Poursuite.objects.select_for_update().get(pk=poursuite.pk)


def _apply_status(poursuite: Poursuite, status: str, on: date) -> None:
    poursuite.status = status
    if status in CLOSED and poursuite.closed_on is None:
        poursuite.closed_on = on
    poursuite.save(update_fields=["status", "closed_on", "notification_date", "updated_at"])


@transaction.atomic
def record_event(
    *,
    poursuite: Poursuite,
    type: str,
    on: date,
    actor=None,
    note: str = "",
    amount: Decimal | None = None,
    late: bool = False,
) -> PoursuiteEvent:
    """Record a step of the procedure if it is allowed now; the status follows from it."""
    if type == EventType.PAIEMENT:
        raise ProcedureError(_("Un paiement s'enregistre avec son montant (record_payment)."))
    if type == EventType.ADB_DELIVRE:
        raise ProcedureError(_("Un acte de défaut de biens se délivre avec son montant (issue_adb)."))
    return _record_event(poursuite=_lock(poursuite), type=type, on=on, actor=actor, note=note, amount=amount, late=late)


def _check_chronology(poursuite: Poursuite, on: date) -> None:
    """Steps are recorded in the order they happened: none before the last one recorded."""
    last = poursuite.events.aggregate(last=Max("date"))["last"]
    if last and on < last:
        raise ProcedureError(
            _("La date précède la dernière étape enregistrée (%(date)s).") % {"date": format_date(last)}
        )


def _record_event(*, poursuite, type, on, actor, note="", amount=None, late=False) -> PoursuiteEvent:
    previous = poursuite.status
    status = next_status(poursuite, type, on, late=late)
    _check_chronology(poursuite, on)
    contested_ok = amount is not None and ZERO < amount < poursuite.claim_amount
    if type == EventType.OPPOSITION_PARTIELLE and not late and not contested_ok:
        raise ProcedureError(
            _("Indiquez le montant contesté, inférieur au montant de la poursuite (%(amount)s).")
            % {"amount": format_chf(poursuite.claim_amount)}
        )
    if type == EventType.NOTIFICATION:
        poursuite.notification_date = on
    event = PoursuiteEvent.objects.create(
        poursuite=poursuite, type=type, date=on, amount=amount, late=late, note=note, recorded_by=_user(actor)
    )
    _apply_status(poursuite, status, on)
    changes = {"statut": [previous, status]} if status != previous else {}
    record_history(poursuite=poursuite, actor=actor, action=str(event), changes=changes)
    notices.status_changed(poursuite, previous)  # the creditor of a filing online is told by e-mail
    return event


@transaction.atomic
def record_notification(*, poursuite: Poursuite, on: date, failed_attempts: int = 0, actor=None) -> PoursuiteEvent:
    """The commandement de payer notified on `on`, after `failed_attempts` charged attempts."""
    poursuite = _lock(poursuite)
    next_status(poursuite, EventType.NOTIFICATION, on)  # refuse before charging anything
    for _attempt in range(failed_attempts):
        add_fee(poursuite=poursuite, kind=FeeKind.NOTIFICATION, on=on, amount=NOTIFICATION_ATTEMPT_FEE, actor=actor)
    return _record_event(poursuite=poursuite, type=EventType.NOTIFICATION, on=on, actor=actor)


@transaction.atomic
def add_fee(*, poursuite: Poursuite, kind: str, on: date, amount: Decimal, label: str = "", actor=None) -> FeeLine:
    poursuite = _lock(poursuite)
    if poursuite.status in CLOSED:
        raise ProcedureError(_("La poursuite est close : aucun frais ne peut y être ajouté."))
    fee = FeeLine(poursuite=poursuite, kind=kind, date=on, amount=chf(amount), label=label, created_by=_user(actor))
    fee.full_clean()
    fee.save()
    record_history(
        poursuite=poursuite,
        actor=actor,
        action=_("Frais ajoutés : %(fee)s") % {"fee": fee},
        changes={"montant": str(fee.amount)},
    )
    return fee


def record_payment(
    *,
    target: Poursuite | ActeDefautBiens,
    on: date,
    amount: Decimal,
    source: str = MoneySource.GUICHET,
    external_reference: str = "",
    actor=None,
    actor_label: str = "",
    allow_surplus: bool = False,
) -> PaymentLine:
    """Record money received, once per external reference. A payment that settles the balance
    closes the poursuite or ADB.

    More than the balance is refused unless `allow_surplus` (money already taken online must
    be recorded; the caller flags the surplus for a refund decision).
    """
    amount = chf(amount)
    if amount <= ZERO:
        raise ProcedureError(_("Le montant doit être positif."))
    is_poursuite = isinstance(target, Poursuite)
    return record_money_once(
        lock=lambda: _lock(target) if is_poursuite else ActeDefautBiens.objects.select_for_update().get(pk=target.pk),
        lines=PaymentLine.objects,
        belongs_to=lambda line, locked: (
            (line.poursuite_id, line.adb_id) == ((locked.pk, None) if is_poursuite else (None, locked.pk))
        ),
        amount=amount,
        source=source,
        external_reference=external_reference,
        record=lambda locked: _record_payment(
            locked, on, amount, source, external_reference, actor, actor_label, allow_surplus
        ),
    )


def _payable_balance(target: Poursuite | ActeDefautBiens, on: date) -> Decimal:
    """What the locked poursuite or ADB owes on `on`; refuses one that cannot be paid then."""
    if isinstance(target, Poursuite):
        if target.status in NOT_PAYABLE:
            raise ProcedureError(
                _("Aucun paiement possible : la poursuite est au stade « %(status)s ».")
                % {"status": target.get_status_display()}
            )
        next_status(target, EventType.PAIEMENT, on)  # date and status checks
        _check_chronology(target, on)
        return poursuite_balance(target, on).total
    if target.state == ADBState.RADIE:
        raise ProcedureError(_("Aucun paiement possible : l'acte de défaut de biens est radié."))
    if not target.issued_on <= on <= today():
        raise ProcedureError(
            _("La date du paiement doit être entre la délivrance de l'acte (%(issued)s) et aujourd'hui.")
            % {"issued": format_date(target.issued_on)}
        )
    return adb_balance(target, on).total


def _record_payment(target, on, amount, source, external_reference, actor, actor_label, allow_surplus) -> PaymentLine:
    """The register's law, once the poursuite or ADB is locked and the reference is new."""
    due = _payable_balance(target, on)
    if amount > due and not allow_surplus:
        raise ProcedureError(
            _("Le montant dépasse le solde dû au %(date)s (%(due)s).")
            % {"date": format_date(on), "due": format_chf(due)}
        )
    is_poursuite = isinstance(target, Poursuite)
    line = PaymentLine.objects.create(
        poursuite=target if is_poursuite else None,
        adb=None if is_poursuite else target,
        date=on,
        amount=amount,
        source=source,
        external_reference=external_reference,
        created_by=_user(actor),
    )
    settled = amount >= due
    if is_poursuite:
        PoursuiteEvent.objects.create(
            poursuite=target,
            type=EventType.PAIEMENT,
            date=on,
            amount=amount,
            recorded_by=_user(actor),
            note=MoneySource(source).label,
        )
        if settled:
            previous = target.status
            _apply_status(target, PoursuiteStatus.PAYEE, on)
            notices.status_changed(target, previous)
    elif settled and target.state == ADBState.OUVERT:
        target.state, target.closed_on = ADBState.PAYE, on
        target.save(update_fields=["state", "closed_on"])
    record_history(
        poursuite=target if is_poursuite else None,
        adb=None if is_poursuite else target,
        actor=actor,
        actor_label=actor_label,
        action=_("Paiement reçu : %(line)s") % {"line": line},
        changes={"montant": str(amount), "source": source},
    )
    return line


@transaction.atomic
def issue_adb(*, poursuite: Poursuite, on: date, amount: Decimal | None = None, actor=None) -> ActeDefautBiens:
    """Close the poursuite with an acte de défaut de biens for what is left unpaid on `on`."""
    poursuite = _lock(poursuite)
    next_status(poursuite, EventType.ADB_DELIVRE, on)
    _check_chronology(poursuite, on)
    due = poursuite_balance(poursuite, on).total
    amount = chf(amount if amount is not None else due)
    if amount <= ZERO:
        raise ProcedureError(_("Rien n'est dû : aucun acte de défaut de biens ne peut être délivré."))
    if amount > due:
        raise ProcedureError(
            _("Le montant dépasse le solde dû au %(date)s (%(due)s).")
            % {"date": format_date(on), "due": format_chf(due)}
        )
    adb = ActeDefautBiens.objects.create(number=allocate_numbers()[0], poursuite=poursuite, amount=amount, issued_on=on)
    _record_event(
        poursuite=poursuite,
        type=EventType.ADB_DELIVRE,
        on=on,
        actor=actor,
        amount=amount,
        note=str(adb),
    )
    record_history(adb=adb, actor=actor, action=_("Acte de défaut de biens délivré"), changes={"montant": str(amount)})
    return adb


@transaction.atomic
def strike_adb(*, adb: ActeDefautBiens, on: date, actor=None) -> ActeDefautBiens:
    """Radiation of an ADB, e.g. after the creditor hands it back once bought back."""
    adb = ActeDefautBiens.objects.select_for_update().get(pk=adb.pk)
    if adb.state == ADBState.RADIE:
        raise ProcedureError(_("L'acte de défaut de biens est déjà radié."))
    previous = adb.state
    adb.state, adb.closed_on = ADBState.RADIE, adb.closed_on or on
    adb.save(update_fields=["state", "closed_on"])
    record_history(
        adb=adb, actor=actor, action=_("Acte de défaut de biens radié"), changes={"état": [previous, adb.state]}
    )
    return adb
