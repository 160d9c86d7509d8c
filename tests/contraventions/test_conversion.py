from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from contraventions import conversion, recovery, services
from contraventions.balance import order_balance
from contraventions.constants import Etape, EtatOrdonnance, Genre, MotifConversion
from contraventions.lookup import lookup
from ocp_portal.dates import today
from poursuites import services as register
from poursuites.constants import EventType
from tests.contraventions.conftest import make_order, reload
from tests.factories import PersonFactory, make_poursuite

pytestmark = pytest.mark.django_db
S = EtatOrdonnance


def days_ago(n):
    return today() - timedelta(days=n)


def reminded(offender=None, fine=D("250")):
    order = make_order(fine=fine, notified_on=days_ago(200), offender=offender)
    recovery.send_reminder(order=order, on=days_ago(150))
    return reload(order)


def pursued_to_adb(order):
    """Second reminder, notice, poursuite, then the poursuite ends with an acte de défaut de biens."""
    recovery.send_reminder(order=order, on=days_ago(130))
    recovery.perform_step(order=reload(order), step=Etape.MISE_EN_DEMEURE, on=days_ago(110))
    recovery.perform_step(order=reload(order), step=Etape.POURSUITE, on=days_ago(90))
    poursuite = reload(order).poursuite
    register.record_event(poursuite=poursuite, type=EventType.NOTIFICATION, on=days_ago(85))
    register.record_event(poursuite=poursuite, type=EventType.CONTINUATION, on=days_ago(60))
    register.record_event(poursuite=poursuite, type=EventType.AVIS_SAISIE, on=days_ago(50))
    return poursuite


def test_no_conversion_without_a_reminder():
    order = make_order(
        notified_on=days_ago(200), offender=PersonFactory(country="FR", postal_code="74100", town="Annemasse")
    )
    with pytest.raises(ValidationError, match="état « Notifiée »"):
        conversion.issue_conversion(orders=[order], ground=MotifConversion.SANS_ADRESSE, on=today())
    assert reload(order).state == S.NOTIFIEE


def test_no_conversion_while_the_poursuite_still_has_a_prospect():
    order = reminded()
    pursued_to_adb(order)
    with pytest.raises(ValidationError, match="acte de défaut de biens délivré non établi"):
        conversion.issue_conversion(orders=[reload(order)], ground=MotifConversion.ADB, on=today())
    # A Swiss address that is valid: no ground either.
    with pytest.raises(ValidationError, match="pas d'adresse valable en suisse non établi"):
        conversion.issue_conversion(orders=[reload(order)], ground=MotifConversion.SANS_ADRESSE, on=today())


def test_conversion_after_an_acte_de_defaut_de_biens_takes_the_unpaid_balance():
    order = reminded()
    poursuite = pursued_to_adb(order)
    register.issue_adb(poursuite=poursuite, on=days_ago(20))
    due = order_balance(reload(order)).total
    issued = conversion.issue_conversion(orders=[reload(order)], ground=MotifConversion.ADB, on=today())
    assert issued.genre == Genre.CONVERSION and issued.fine == due and issued.emoluments == D("0.00")
    order = reload(order)
    assert (order.state, order.conversion_id) == (S.CONVERTIE, issued.pk)
    assert issued.state == S.NOTIFIEE and issued.qr_reference != order.qr_reference
    # The converted order is no longer payable; the conversion order is, by its own reference.
    assert not lookup(order.qr_reference).is_payable
    assert str(issued.case_number) in lookup(order.qr_reference).reason
    assert lookup(issued.qr_reference).balance.total == due


def test_conversion_of_several_orders_of_an_offender_without_a_swiss_address():
    abroad = PersonFactory(country="FR", postal_code="74100", town="Annemasse")
    first, second = reminded(abroad), reminded(abroad, fine=D("80"))
    issued = conversion.issue_conversion(orders=[first, second], ground=MotifConversion.SANS_ADRESSE, on=today())
    assert issued.fine == D("250") + D("150") + D("20") + D("80") + D("100") + D("20")
    assert set(issued.converted_orders.values_list("pk", flat=True)) == {first.pk, second.pk}


def test_returned_mail_is_a_ground_and_orders_of_two_offenders_are_refused():
    order = reminded()
    services.mark_address_invalid(order=order, on=today())
    other = reminded()
    with pytest.raises(ValidationError, match="même contrevenant"):
        conversion.issue_conversion(orders=[order, other], ground=MotifConversion.SANS_ADRESSE, on=today())
    assert conversion.issue_conversion(orders=[order], ground=MotifConversion.SANS_ADRESSE, on=today())


def test_bankruptcy_needs_the_clerk_to_name_it_and_a_paid_order_is_not_converted():
    order = reminded()
    with pytest.raises(ValidationError, match="Indiquez la procédure de faillite"):
        conversion.issue_conversion(orders=[order], ground=MotifConversion.FAILLITE, on=today())
    services.record_payment(order=order, on=today(), amount=order_balance(order).total)
    with pytest.raises(ValidationError, match="état « Payée »"):
        conversion.issue_conversion(
            orders=[reload(order)], ground=MotifConversion.FAILLITE, note="TPI, faillite du 3.11", on=today()
        )


def test_an_open_adb_from_another_poursuite_of_the_offender_is_a_ground():
    order = reminded()
    other = make_poursuite(debtor=order.offender, notified_on=days_ago(120))
    register.record_event(poursuite=other, type=EventType.CONTINUATION, on=days_ago(90))
    register.record_event(poursuite=other, type=EventType.AVIS_SAISIE, on=days_ago(80))
    adb = register.issue_adb(poursuite=other, on=days_ago(60))
    assert conversion.ground_holds(order, MotifConversion.ADB, "")
    register.record_payment(target=adb, on=days_ago(10), amount=adb.amount)  # paid: the debtor can pay
    assert not conversion.ground_holds(reload(order), MotifConversion.ADB, "")
