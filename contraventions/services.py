"""Every write to the register of penal orders goes through these functions: views, admin,
tasks and the payment purpose call them, so the rules and the history hold whoever acts."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ocp_portal.bookkeeping import MoneySource, allocate, record_money_once
from ocp_portal.dates import today
from ocp_portal.formats import format_chf, format_date
from ocp_portal.money import ZERO, chf
from poursuites.constants import PartyKind
from poursuites.models import Party

from .balance import order_balance
from .constants import (
    CASE_NUMBER_MIN,
    CASE_NUMBER_SERIES,
    EtatArrangement,
    EtatOrdonnance,
    Genre,
    TypeEvenement,
    TypeFrais,
)
from .emoluments import emoluments_for
from .models import FeeLine, OrderEvent, OrdonnancePenale, PaymentLine
from .procedure import IN_RECOVERY, PAYABLE, opposition_deadline, payment_deadline, revision_deadline
from .references import order_reference

S = EtatOrdonnance


def user_or_none(actor):
    """The clerk to record as author; None for the public, tasks and anonymous callers."""
    return actor if actor is not None and actor.is_authenticated else None


def lock(order: OrdonnancePenale) -> OrdonnancePenale:
    return OrdonnancePenale.objects.select_for_update().get(pk=order.pk)


def allocate_case_number() -> int:
    """The next number of the series shared by penal orders and conversion orders."""
    return allocate(CASE_NUMBER_SERIES, start=CASE_NUMBER_MIN)[0]


def check_date(order: OrdonnancePenale, on: date) -> None:
    """A step is dated between the notification and today."""
    if on > today():
        raise ValidationError(_("La date ne peut pas être dans le futur."), code="future")
    if on < order.notification_date:
        raise ValidationError(
            _("La date précède la notification de l'ordonnance (%(date)s).")
            % {"date": format_date(order.notification_date)},
            code="before_notification",
        )


def record_event(*, order, type, on, actor=None, amount=None, late=False, note="") -> OrderEvent:
    return OrderEvent.objects.create(
        ordonnance=order, type=type, date=on, amount=amount, late=late, note=note[:255], recorded_by=user_or_none(actor)
    )


def set_state(order: OrdonnancePenale, state: str, *changed: str) -> None:
    """Save the new state, and the `changed` fields that go with it."""
    order.state = state
    order.save(update_fields=["state", *changed, "updated_at"])


def _refuse_unless(order: OrdonnancePenale, states, message: str) -> None:
    if order.state not in states:
        raise ValidationError(message % {"state": order.get_state_display()}, code="state")


def _decide(
    *, order, on, allowed, refusal, state, event, note="", late=False, actor=None, changes=None
) -> OrdonnancePenale:
    """One step of the penal procedure: lock, check the date and the state, move, record."""
    changes = changes or {}
    order = lock(order)
    check_date(order, on)
    _refuse_unless(order, allowed, refusal)
    for field, value in changes.items():
        setattr(order, field, value)
    set_state(order, state, *changes)
    record_event(order=order, type=event, on=on, note=note, late=late, actor=actor)
    return order


def check_new_order(*, fine: Decimal, notification_date: date) -> None:
    """What a new order must respect, checked before anything is written (admin form, service)."""
    errors = {}
    if chf(fine) <= ZERO:
        errors["fine"] = _("L'amende doit être positive.")
    if notification_date > today():
        errors["notification_date"] = _("La date de notification ne peut pas être dans le futur.")
    if errors:
        raise ValidationError(errors)


def add_fee(*, order: OrdonnancePenale, kind: str, on: date, amount: Decimal) -> FeeLine:
    return FeeLine.objects.create(ordonnance=order, kind=kind, date=on, amount=chf(amount))


@transaction.atomic
def register_order(
    *,
    offender: Party,
    offence: str,
    fine: Decimal,
    notification_date: date,
    actor=None,
) -> OrdonnancePenale:
    """A notified penal order: case number, QR reference, émoluments by the table, deadlines."""
    check_new_order(fine=fine, notification_date=notification_date)
    fine = chf(fine)
    number = allocate_case_number()
    order = OrdonnancePenale(
        genre=Genre.ORDINAIRE,
        case_number=number,
        qr_reference=order_reference(number),
        offender=offender,
        offence=offence,
        fine=fine,
        emoluments=emoluments_for(fine),
        notification_date=notification_date,
        due_date=payment_deadline(notification_date),
    )
    order.full_clean()
    order.save()
    record_event(order=order, type=TypeEvenement.NOTIFICATION, on=notification_date, actor=actor)
    return order


@transaction.atomic
def record_opposition(*, order: OrdonnancePenale, on: date, actor=None) -> OrdonnancePenale:
    """An opposition within 10 days suspends the order for the office to examine; a late one is
    maintained and sent to the Tribunal de police (seed 003, art. 354 and 356 CPP)."""
    late = on > opposition_deadline(order.notification_date)
    return _decide(
        order=order,
        on=on,
        allowed=IN_RECOVERY if late else {S.NOTIFIEE},
        refusal=_("Aucune opposition ne peut être enregistrée : l'ordonnance est « %(state)s »."),
        state=S.MAINTENUE if late else S.OPPOSITION,
        event=TypeEvenement.OPPOSITION,
        late=late,
        actor=actor,
    )


@transaction.atomic
def maintain(*, order: OrdonnancePenale, on: date, note: str = "", actor=None) -> OrdonnancePenale:
    """After an opposition the office maintains the order: it goes to the Tribunal de police."""
    return _decide(
        order=order,
        on=on,
        allowed={S.OPPOSITION},
        refusal=_("Seule une ordonnance frappée d'opposition peut être maintenue (état « %(state)s »)."),
        state=S.MAINTENUE,
        event=TypeEvenement.MAINTIEN,
        note=note,
        actor=actor,
    )


@transaction.atomic
def classify(*, order: OrdonnancePenale, on: date, note: str = "", actor=None) -> OrdonnancePenale:
    """The office (after an opposition) or the tribunal drops the order: nothing is owed."""
    return _decide(
        order=order,
        on=on,
        allowed={S.OPPOSITION, S.MAINTENUE},
        refusal=_("Seule une ordonnance contestée peut être classée (état « %(state)s »)."),
        state=S.CLASSEE,
        event=TypeEvenement.CLASSEMENT,
        note=note,
        actor=actor,
    )


@transaction.atomic
def record_judgment(*, order: OrdonnancePenale, on: date, note: str = "", actor=None) -> OrdonnancePenale:
    """The tribunal confirms the order: it is a judgment in force (art. 354 al. 3, 357 al. 2 CPP)
    and payable within 30 days of the judgment."""
    return _decide(
        order=order,
        on=on,
        allowed={S.MAINTENUE},
        refusal=_("Seule une ordonnance maintenue peut être confirmée (état « %(state)s »)."),
        state=S.NOTIFIEE,
        event=TypeEvenement.JUGEMENT,
        note=note,
        actor=actor,
        changes={"due_date": payment_deadline(on)},
    )


@transaction.atomic
def revise_fine(*, order: OrdonnancePenale, fine: Decimal, on: date, note: str = "", actor=None) -> OrdonnancePenale:
    """A lower fine for the offender's finances, asked within 10 days and before any reminder;
    the émoluments, fixed by law, stay as they are (seed 003)."""
    order = lock(order)
    check_date(order, on)
    fine = chf(fine)
    if order.is_conversion or order.state != S.NOTIFIEE or order.fees.filter(kind=TypeFrais.RAPPEL).exists():
        raise ValidationError(_("La révision n'est plus possible après un rappel ou hors de l'état « Notifiée »."))
    if on > revision_deadline(order.notification_date):
        raise ValidationError(
            _("Le délai de révision de 10 jours a expiré le %(date)s.")
            % {"date": format_date(revision_deadline(order.notification_date))}
        )
    if not ZERO < fine < order.fine:
        raise ValidationError({"fine": _("La nouvelle amende doit être positive et inférieure à l'actuelle.")})
    previous = order.fine
    order.fine = fine
    order.save(update_fields=["fine", "updated_at"])
    record_event(
        order=order, type=TypeEvenement.REVISION, on=on, amount=fine, note=note or f"{previous} → {fine}", actor=actor
    )
    return order


@transaction.atomic
def mark_address_invalid(*, order: OrdonnancePenale, on: date, note: str = "", actor=None) -> OrdonnancePenale:
    """Mail came back: the offender has no valid address (a ground for conversion, seed 002)."""
    order = lock(order)
    check_date(order, on)
    if order.address_invalid_since is None:
        OrdonnancePenale.objects.filter(pk=order.pk).update(address_invalid_since=on)
        order.address_invalid_since = on
        record_event(order=order, type=TypeEvenement.ADRESSE_INVALIDE, on=on, note=note, actor=actor)
    return order


@transaction.atomic
def record_payment(
    *,
    order: OrdonnancePenale,
    on: date,
    amount: Decimal,
    source: str = MoneySource.GUICHET,
    external_reference: str = "",
    actor=None,
    allow_surplus: bool = False,
) -> PaymentLine:
    """Record money received once (by its external reference); the order is paid when settled.

    More than the balance is refused unless `allow_surplus` (money already taken online must be
    recorded; paiements flags the surplus for a refund decision).
    """
    amount = chf(amount)
    if amount <= ZERO:
        raise ValidationError(_("Le montant doit être positif."))
    return record_money_once(
        lock=lambda: lock(order),
        lines=PaymentLine.objects,
        belongs_to=lambda line, locked: line.ordonnance_id == locked.pk,
        amount=amount,
        source=source,
        external_reference=external_reference,
        record=lambda locked: _record_payment(locked, on, amount, source, external_reference, actor, allow_surplus),
    )


def _record_payment(order, on, amount, source, external_reference, actor, allow_surplus) -> PaymentLine:
    """The penal order's law, once the order is locked and the reference is new."""
    if on > today() or on < order.notification_date:
        raise ValidationError(_("La date du paiement doit être entre la notification et aujourd'hui."))
    _refuse_unless(order, PAYABLE, _("Aucun paiement possible : l'ordonnance est « %(state)s »."))
    due = order_balance(order).total
    if amount > due and not allow_surplus:
        raise ValidationError(_("Le montant dépasse le solde dû (%(due)s).") % {"due": format_chf(due)})
    line = PaymentLine.objects.create(
        ordonnance=order,
        date=on,
        amount=amount,
        source=source,
        external_reference=external_reference,
        created_by=user_or_none(actor),
    )
    record_event(
        order=order, type=TypeEvenement.PAIEMENT, on=on, amount=amount, note=line.get_source_display(), actor=actor
    )
    if amount >= due:
        set_state(order, S.PAYEE)
        order.arrangements.filter(state=EtatArrangement.ACCEPTE).update(state=EtatArrangement.HONORE)
    return line


def service_creditor() -> Party:
    """The Service des contraventions as a party of the poursuites register (the creditor)."""
    service = settings.CONTRAVENTIONS
    party, _created = Party.objects.get_or_create(
        kind=PartyKind.MORALE,
        name=service["creditor_name"],
        defaults={
            "street": service["street"],
            "house_number": service["house_number"],
            "postal_code": service["postal_code"],
            "town": service["town"],
            "country": service["country"],
        },
    )
    return party
