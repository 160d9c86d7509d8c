from datetime import timedelta
from decimal import Decimal as D

import pytest

from ocp_portal.bookkeeping import MoneySource
from ocp_portal.dates import today
from poursuites import services
from poursuites.balance import poursuite_balance
from poursuites.constants import EventType, FeeKind, PoursuiteKind, PoursuiteStatus
from poursuites.deadlines import feries_around
from poursuites.models import HistoryEntry, PaymentLine
from poursuites.numbers import key_letter
from poursuites.procedure import ProcedureError, opposition_deadline
from tests.factories import make_poursuite

pytestmark = pytest.mark.django_db
S = PoursuiteStatus


def notified(days_ago=40, **kwargs):
    return make_poursuite(notified_on=today() - timedelta(days=days_ago), **kwargs)


def test_registering_gives_number_key_letter_fee_event_and_history():
    poursuite = make_poursuite(claim=D("1000.01"))
    assert poursuite.status == S.REQUISITION
    assert poursuite.reference == f"{poursuite.number:08d} {key_letter(poursuite.number)}"
    fee = poursuite.fees.get()
    assert (fee.kind, fee.amount) == (FeeKind.COMMANDEMENT, D("60.00"))
    assert list(poursuite.events.values_list("type", flat=True)) == [EventType.REQUISITION]
    assert HistoryEntry.objects.filter(poursuite=poursuite).exists()


def test_numbers_are_unique_across_poursuites_and_adb():
    first, second = make_poursuite(), make_poursuite()
    assert second.number == first.number + 1


def test_opposition_within_ten_days_suspends_the_poursuite():
    poursuite = notified(days_ago=9)
    services.record_event(poursuite=poursuite, type=EventType.OPPOSITION_TOTALE, on=today())
    poursuite.refresh_from_db()
    assert poursuite.status == S.OPPOSITION_TOTALE


def test_late_opposition_is_refused_unless_marked_tardive_and_then_changes_nothing():
    poursuite = notified(days_ago=30)
    with pytest.raises(ProcedureError, match="tardive"):
        services.record_event(poursuite=poursuite, type=EventType.OPPOSITION_TOTALE, on=today())
    event = services.record_event(poursuite=poursuite, type=EventType.OPPOSITION_TOTALE, on=today(), late=True)
    poursuite.refresh_from_db()
    assert event.late and poursuite.status == S.NOTIFIEE


def test_opposition_in_time_cannot_be_marked_late():
    poursuite = notified(days_ago=2)
    with pytest.raises(ProcedureError, match="dans le délai"):
        services.record_event(poursuite=poursuite, type=EventType.OPPOSITION_TOTALE, on=today(), late=True)


def test_opposition_deadline_ending_on_a_saturday_runs_to_monday():
    notified_on = today() - timedelta(days=14)
    # The 10th day a Saturday, outside the féries (art. 63 LP moves those further), and past.
    while (
        (notified_on + timedelta(days=10)).weekday() != 5
        or any(feries_around(notified_on + timedelta(days=days)) for days in (10, 11, 12, 13))
        or opposition_deadline(notified_on) > today()
    ):
        notified_on -= timedelta(days=1)
    last_day = opposition_deadline(notified_on)
    assert last_day >= notified_on + timedelta(days=12)  # Monday, or later after a holiday
    poursuite = make_poursuite(notified_on=notified_on)
    services.record_event(poursuite=poursuite, type=EventType.OPPOSITION_TOTALE, on=last_day)
    poursuite.refresh_from_db()
    assert poursuite.status == S.OPPOSITION_TOTALE


def test_partial_opposition_needs_the_contested_amount():
    poursuite = notified(days_ago=3)
    with pytest.raises(ProcedureError, match="montant contesté"):
        services.record_event(poursuite=poursuite, type=EventType.OPPOSITION_PARTIELLE, on=today())
    services.record_event(poursuite=poursuite, type=EventType.OPPOSITION_PARTIELLE, on=today(), amount=D("200"))
    poursuite.refresh_from_db()
    assert poursuite.status == S.OPPOSITION_PARTIELLE


def test_continuation_only_after_the_20_day_payment_period():
    poursuite = notified(days_ago=15)
    with pytest.raises(ProcedureError, match="20 jours"):
        services.record_event(poursuite=poursuite, type=EventType.CONTINUATION, on=today())


def test_continuation_right_lapses_one_year_after_notification():
    poursuite = notified(days_ago=400)
    with pytest.raises(ProcedureError, match="88"):
        services.record_event(poursuite=poursuite, type=EventType.CONTINUATION, on=today())


def test_opposition_blocks_continuation_until_mainlevee():
    poursuite = notified(days_ago=60)
    services.record_event(
        poursuite=poursuite, type=EventType.OPPOSITION_TOTALE, on=poursuite.notification_date + timedelta(days=1)
    )
    with pytest.raises(ProcedureError, match="Opposition totale"):
        services.record_event(poursuite=poursuite, type=EventType.CONTINUATION, on=today())
    services.record_event(poursuite=poursuite, type=EventType.MAINLEVEE, on=today() - timedelta(days=1))
    services.record_event(poursuite=poursuite, type=EventType.CONTINUATION, on=today())
    poursuite.refresh_from_db()
    assert poursuite.status == S.CONTINUATION


def test_steps_follow_the_kind_of_poursuite():
    poursuite = notified(days_ago=60, kind=PoursuiteKind.FAILLITE)
    services.record_event(poursuite=poursuite, type=EventType.CONTINUATION, on=today())
    with pytest.raises(ProcedureError, match="faillite"):
        services.record_event(poursuite=poursuite, type=EventType.AVIS_SAISIE, on=today())
    services.record_event(poursuite=poursuite, type=EventType.COMMINATION_FAILLITE, on=today())


def test_events_cannot_be_in_the_future_or_before_the_requisition():
    poursuite = make_poursuite()
    with pytest.raises(ProcedureError, match="futur"):
        services.record_event(poursuite=poursuite, type=EventType.NOTIFICATION, on=today() + timedelta(days=1))
    with pytest.raises(ProcedureError, match="précède"):
        services.record_event(
            poursuite=poursuite, type=EventType.NOTIFICATION, on=poursuite.requisition_date - timedelta(days=1)
        )


def test_nothing_follows_a_contrordre():
    poursuite = notified()
    services.record_event(poursuite=poursuite, type=EventType.CONTRORDRE, on=today())
    poursuite.refresh_from_db()
    assert poursuite.status == S.RETIREE and poursuite.closed_on == today()
    for event in (EventType.ANNULATION, EventType.OPPOSITION_TOTALE, EventType.CONTRORDRE):
        with pytest.raises(ProcedureError):
            services.record_event(poursuite=poursuite, type=event, on=today())
    with pytest.raises(ProcedureError):
        services.record_payment(target=poursuite, on=today(), amount=D("10"))


def test_full_payment_closes_the_poursuite_and_a_contrordre_may_follow():
    poursuite = notified()
    due = poursuite_balance(poursuite, today()).total
    services.record_payment(target=poursuite, on=today(), amount=due)
    poursuite.refresh_from_db()
    assert poursuite.status == S.PAYEE and poursuite.closed_on == today()
    services.record_event(poursuite=poursuite, type=EventType.CONTRORDRE, on=today())


def test_partial_payment_keeps_the_status_and_lowers_the_balance():
    poursuite = notified()
    before = poursuite_balance(poursuite, today()).total
    services.record_payment(target=poursuite, on=today(), amount=D("100"))
    poursuite.refresh_from_db()
    assert poursuite.status == S.NOTIFIEE
    assert poursuite_balance(poursuite, today()).total == before - D("100")


def test_guichet_cannot_take_more_than_the_balance():
    poursuite = notified()
    due = poursuite_balance(poursuite, today()).total
    with pytest.raises(ProcedureError, match="dépasse"):
        services.record_payment(target=poursuite, on=today(), amount=due + D("0.01"))
    assert not PaymentLine.objects.exists()


def test_a_payment_with_the_same_external_reference_lands_once():
    poursuite = notified()
    first = services.record_payment(
        target=poursuite, on=today(), amount=D("50"), source=MoneySource.VIREMENT, external_reference="BCGE-1"
    )
    again = services.record_payment(
        target=poursuite, on=today(), amount=D("50"), source=MoneySource.VIREMENT, external_reference="BCGE-1"
    )
    assert first.pk == again.pk and PaymentLine.objects.count() == 1


def _seized(days_ago=200):
    poursuite = notified(days_ago=days_ago)
    start = poursuite.notification_date
    services.record_event(poursuite=poursuite, type=EventType.CONTINUATION, on=start + timedelta(days=30))
    services.record_event(poursuite=poursuite, type=EventType.AVIS_SAISIE, on=start + timedelta(days=40))
    services.record_event(poursuite=poursuite, type=EventType.SAISIE_EXECUTEE, on=start + timedelta(days=50))
    return poursuite


def test_adb_is_issued_for_the_balance_and_interest_stops():
    poursuite = _seized()
    issued = today() - timedelta(days=30)
    due = poursuite_balance(poursuite, issued).total
    adb = services.issue_adb(poursuite=poursuite, on=issued)
    poursuite.refresh_from_db()
    assert adb.amount == due and poursuite.status == S.ADB_DELIVRE
    assert adb.number != poursuite.number
    assert poursuite_balance(poursuite, today()).total == due  # no interest after issue
    with pytest.raises(ProcedureError):
        services.record_payment(target=poursuite, on=today(), amount=D("10"))


def test_adb_payment_in_full_closes_it():
    adb = services.issue_adb(poursuite=_seized(), on=today())
    services.record_payment(target=adb, on=today(), amount=adb.amount)
    adb.refresh_from_db()
    assert adb.state == "paye" and adb.closed_on == today()


def test_adding_a_fee_is_refused_on_a_closed_poursuite():
    poursuite = notified()
    services.add_fee(poursuite=poursuite, kind=FeeKind.DEBOURS, on=today(), amount=D("5.30"), label="Port")
    services.record_event(poursuite=poursuite, type=EventType.CONTRORDRE, on=today())
    with pytest.raises(ProcedureError, match="close"):
        services.add_fee(poursuite=poursuite, kind=FeeKind.DEBOURS, on=today(), amount=D("5.30"))
