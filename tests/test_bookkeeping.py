"""Money received is recorded once per external reference, for every kind of dossier, even when two
clerks enter the same bank transfer at the same moment (PostgreSQL row locks); numbers are handed out
once per series."""

import threading
import time
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from contraventions import services as penal
from contraventions.models import PaymentLine as PenalPaymentLine
from ocp_portal.bookkeeping import MoneySource, allocate
from ocp_portal.dates import today
from ocp_portal.models import NumberSeries
from poursuites import services as register
from poursuites.models import PaymentLine
from tests.contraventions.conftest import make_order
from tests.factories import make_poursuite

KINDS = {
    "poursuite": (
        lambda: make_poursuite(notified_on=today() - timedelta(days=30)),
        lambda dossier, reference: register.record_payment(
            target=dossier, on=today(), amount=D("100"), source=MoneySource.VIREMENT, external_reference=reference
        ),
        "poursuites.services.poursuite_balance",
        PaymentLine,
    ),
    "penal-order": (
        lambda: make_order(),
        lambda dossier, reference: penal.record_payment(
            order=dossier, on=today(), amount=D("100"), source=MoneySource.VIREMENT, external_reference=reference
        ),
        "contraventions.services.order_balance",
        PenalPaymentLine,
    ),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", KINDS)
def test_the_same_transfer_entered_twice_at_once_is_recorded_once(kind, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (CI runs it)")
    make, pay, balance_path, lines = KINDS[kind]
    dossier = make()
    module, name = balance_path.rsplit(".", 1)
    real_balance = getattr(__import__(module, fromlist=[name]), name)

    def slow_balance(*args, **kwargs):  # the first clerk is still inside when the second one starts
        time.sleep(0.4)
        return real_balance(*args, **kwargs)

    monkeypatch.setattr(balance_path, slow_balance)
    results, errors = [], []

    def clerk(delay):
        time.sleep(delay)
        try:
            results.append(pay(dossier, "BCGE-2026-0042").pk)
        except Exception as error:  # noqa: BLE001 - any error is the failure this test looks for
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk, args=(delay,)) for delay in (0, 0.1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 2 and len(set(results)) == 1
    assert lines.objects.filter(external_reference="BCGE-2026-0042").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_a_reference_reused_for_other_money_is_refused_with_its_code(kind):
    make, pay, _balance, lines = KINDS[kind]
    pay(make(), "BCGE-2026-0043")
    with pytest.raises(ValidationError) as refused:
        pay(make(), "BCGE-2026-0043")
    assert refused.value.code == "reference_reused" and "BCGE-2026-0043" in refused.value.messages[0]
    assert lines.objects.filter(external_reference="BCGE-2026-0043").count() == 1


@pytest.mark.django_db
def test_each_series_hands_out_its_own_numbers_from_its_start():
    assert list(allocate("essai-a", 3, start=100)) == [101, 102, 103]
    assert list(allocate("essai-b", start=5_000)) == [5_001]
    assert list(allocate("essai-a", start=100)) == [104]  # the start only opens a new series
    assert NumberSeries.objects.get(name="essai-a").last == 104


@pytest.mark.django_db
def test_poursuites_and_penal_orders_number_from_their_own_series():
    poursuite = make_poursuite()
    order = make_order()
    assert NumberSeries.objects.get(name="poursuites").last == poursuite.number
    assert NumberSeries.objects.get(name="ordonnances-penales").last == order.case_number
    assert list(register.allocate_numbers(2)) == [poursuite.number + 1, poursuite.number + 2]


@pytest.mark.django_db(transaction=True)
def test_two_allocations_at_once_never_share_a_number():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (CI runs it)")
    allocate("essai-c", start=0)  # the series exists: both threads wait on its row
    handed_out = []

    def allocate_many():
        try:
            for _ in range(20):
                handed_out.extend(allocate("essai-c", 2, start=0))
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate_many) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(handed_out) == list(range(2, 122))
