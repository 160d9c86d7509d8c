import threading
from decimal import Decimal as D

import pytest
from django.db import connection, connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ocp_portal.dates import today
from paiements import services
from paiements.constants import Actor, PaymentState
from paiements.gateways.base import GatewayStatus
from paiements.models import Payment, PaymentEvent, SandboxSession
from paiements.state import TRANSITIONS, transition
from poursuites.balance import poursuite_balance
from poursuites.models import PaymentLine

P = PaymentState


@pytest.mark.django_db
def test_illegal_moves_change_nothing_and_write_no_event(open_payment):
    move = transition(open_payment.pk, P.CREATED, actor=Actor.GATEWAY)
    assert not move.changed and move.payment.state == P.OPEN
    transition(open_payment.pk, P.REFUSED, actor=Actor.GATEWAY)
    assert not transition(open_payment.pk, P.AUTHORIZED, actor=Actor.GATEWAY).changed
    assert list(PaymentEvent.objects.values_list("to_state", flat=True)) == [P.OPEN, P.REFUSED]


@pytest.mark.django_db
def test_captured_is_final():
    assert TRANSITIONS[P.CAPTURED] == frozenset()


# Every state the PSP can report, with the card it reports.
REPORTS = st.sampled_from(
    [
        GatewayStatus(state=P.AUTHORIZED, card_brand="visa", card_funding="debit", card_last4="5556"),
        GatewayStatus(state=P.AUTHORIZED, card_brand="visa", card_funding="credit", card_last4="4242"),
        GatewayStatus(state=P.CAPTURED, card_brand="visa", card_funding="debit", card_last4="5556"),
        GatewayStatus(state=P.REFUSED, failure_reason="declined"),
        GatewayStatus(state=P.EXPIRED),
        GatewayStatus(state=P.CANCELLED),
        GatewayStatus(state=P.FAILED, failure_reason="processing_error"),
        GatewayStatus(state=P.OPEN),
    ]
)


@pytest.mark.django_db
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reports=st.lists(REPORTS, min_size=1, max_size=8))
def test_any_sequence_of_psp_reports_ends_consistent(poursuite, reports):
    payment = services.create_payment(
        purpose_code="poursuite",
        reference=poursuite.reference,
        instalment=D("10"),
        email="a@example.ch",
        conditions_version="CG-test",
    )
    services.open_checkout(payment, return_url="http://t/r", cancel_url="http://t/a")
    before = poursuite_balance(poursuite, today()).total
    for report in reports:
        session = SandboxSession.objects.get(session_id=Payment.objects.get(pk=payment.pk).gateway_session_id)
        session.status = report.state  # what the PSP itself holds, so captures succeed
        session.save()
        services.apply_status(Payment.objects.get(pk=payment.pk), report, actor=Actor.GATEWAY)
    payment.refresh_from_db()
    lines = PaymentLine.objects.filter(external_reference=str(payment.public_id))
    after = poursuite_balance(poursuite, today()).total
    if payment.state == P.CAPTURED:
        assert lines.count() == 1 and after == before - D("10.00")
    else:
        assert lines.count() == 0 and after == before
    events = list(payment.events.order_by("id"))
    assert all(a.to_state == b.from_state for a, b in zip(events, events[1:], strict=False))
    assert events[-1].to_state == payment.state
    assert payment.card_last4 in ("", "5556", "4242")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are exercised on PostgreSQL (CI)")
@pytest.mark.django_db(transaction=True)
def test_two_deliveries_at_once_credit_once(open_payment, poursuite):
    from django.test import Client

    from paiements.gateways.sandbox import SIGNATURE_HEADER, notification_body, sign

    session = SandboxSession.objects.get()
    session.status, session.card_brand, session.card_funding, session.card_last4 = P.AUTHORIZED, "visa", "debit", "5556"
    session.save()
    barrier = threading.Barrier(4)
    statuses = []

    def deliver(index):
        body = notification_body(session)  # a distinct event id for each delivery
        try:
            barrier.wait()
            response = Client().post(
                "/paiements/notifications/sandbox/",
                body,
                content_type="application/json",
                headers={SIGNATURE_HEADER: sign(body)},
            )
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 4
    assert PaymentLine.objects.filter(external_reference=str(open_payment.public_id)).count() == 1
    assert Payment.objects.get(pk=open_payment.pk).state == P.CAPTURED
