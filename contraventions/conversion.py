"""The ordonnance pénale de conversion (seed 002): issued only when one or more orders are still
unpaid despite a reminder and recovery by poursuite has no prospect: an acte de défaut de biens
was issued, a bankruptcy is under way, or the offender has no valid address in Switzerland."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ocp_portal.money import ZERO
from poursuites.constants import ADBState
from poursuites.models import ActeDefautBiens

from . import services
from .balance import order_balance
from .constants import EtatOrdonnance, Genre, MotifConversion, TypeEvenement
from .models import OrdonnancePenale
from .procedure import payment_deadline
from .recovery import reminders_sent
from .references import order_reference

S = EtatOrdonnance
CONVERTIBLE = frozenset({S.EN_RAPPEL, S.MISE_EN_DEMEURE, S.EN_POURSUITE})


def ground_holds(order: OrdonnancePenale, ground: str, note: str) -> bool:
    """Whether recovery by poursuite is without prospect for this order, on this ground."""
    if ground == MotifConversion.ADB:
        # An open ADB against the offender, from this order's poursuite or any other: a new
        # poursuite would end the same way.
        return ActeDefautBiens.objects.filter(poursuite__debtor=order.offender_id, state=ADBState.OUVERT).exists()
    if ground == MotifConversion.FAILLITE:
        return bool(note.strip())  # the clerk names the bankruptcy (court, date)
    if ground == MotifConversion.SANS_ADRESSE:
        return order.offender.country != "CH" or order.address_invalid_since is not None
    return False


def refusals(orders: list[OrdonnancePenale], ground: str, note: str = "") -> list[str]:
    """Every reason (in French) why these orders may not be converted; empty when they may."""
    if not orders:
        return [_("Choisissez au moins une ordonnance pénale à convertir.")]
    problems = []
    if len({order.offender_id for order in orders}) > 1:
        problems.append(_("Les ordonnances converties ensemble doivent concerner le même contrevenant."))
    if ground == MotifConversion.FAILLITE and not note.strip():
        problems.append(_("Indiquez la procédure de faillite (tribunal, date) dans la pièce justificative."))
    for order in orders:
        label = {"order": order}
        if order.genre != Genre.ORDINAIRE:
            problems.append(_("%(order)s : une ordonnance de conversion ne se convertit pas.") % label)
        elif order.state not in CONVERTIBLE:
            problems.append(
                _("%(order)s : état « %(state)s », elle ne peut pas être convertie.")
                % {**label, "state": order.get_state_display()}
            )
        elif reminders_sent(order) == 0:
            problems.append(_("%(order)s : aucun rappel n'a été envoyé.") % label)
        elif order_balance(order).total <= ZERO:
            problems.append(_("%(order)s : elle est soldée.") % label)
        elif ground != MotifConversion.FAILLITE and not ground_holds(order, ground, note):
            problems.append(
                _("%(order)s : la poursuite n'est pas dénuée de chance de succès (%(ground)s non établi).")
                % {**label, "ground": MotifConversion(ground).label.lower()}
            )
    return problems


@transaction.atomic
def issue_conversion(
    *, orders: list[OrdonnancePenale], ground: str, on: date, note: str = "", actor=None
) -> OrdonnancePenale:
    """Issue the conversion order for what is left unpaid on `orders`; they become « Convertie »."""
    orders = list(
        OrdonnancePenale.objects.select_for_update()
        .filter(pk__in=[order.pk for order in orders])
        .select_related("offender")
        .order_by("case_number")
    )
    for order in orders:
        services.check_date(order, on)
    problems = refusals(orders, ground, note)
    if problems:
        raise ValidationError(problems, code="conversion")
    total = sum((order_balance(order).total for order in orders), ZERO)
    number = services.allocate_case_number()
    numbers = ", ".join(str(order.case_number) for order in orders)
    conversion = OrdonnancePenale(
        genre=Genre.CONVERSION,
        case_number=number,
        qr_reference=order_reference(number),
        offender=orders[0].offender,
        offence=_("Conversion des ordonnances pénales n° %(numbers)s restées impayées") % {"numbers": numbers},
        fine=total,
        emoluments=ZERO,
        notification_date=on,
        due_date=payment_deadline(on),
        conversion_ground=ground,
        conversion_note=note,
    )
    conversion.full_clean()
    conversion.save()
    services.record_event(order=conversion, type=TypeEvenement.NOTIFICATION, on=on, note=note, actor=actor)
    for order in orders:
        order.conversion, order.conversion_ground = conversion, ground
        services.set_state(order, S.CONVERTIE, "conversion", "conversion_ground")
        services.record_event(
            order=order,
            type=TypeEvenement.CONVERSION,
            on=on,
            amount=order_balance(order).total,
            note=str(conversion),
            actor=actor,
        )
    return conversion
