"""What an extract shows: the inclusion rule (art. 8a LP) and the office's 2018 format."""

from datetime import datetime, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from extraits.content import extract_content
from ocp_portal.dates import today
from poursuites import services as register
from poursuites.constants import EventType, PoursuiteStatus
from poursuites.models import Poursuite
from tests.factories import PersonFactory, make_poursuite

from .conftest import make_adb

pytestmark = pytest.mark.django_db


def numbers(content):
    return [row["number"] for row in content["poursuites"]]


def test_open_poursuite_shows_the_commandement_amount_without_interest_or_fees_and_its_status_in_words(jeanne):
    poursuite = make_poursuite(debtor=jeanne, claim=D("1234.50"), notified_on=today() - timedelta(days=60))
    content = extract_content([jeanne])
    assert content["poursuites"] == [
        {
            "number": poursuite.reference,
            "date": poursuite.requisition_date.isoformat(),
            "creditor": str(poursuite.creditor),
            "amount": "1234.50",
            "status": "Commandement de payer notifié",
        }
    ]
    assert content["has_entry"] and content["registered"]


def _closed(poursuite, on):
    Poursuite.objects.filter(pk=poursuite.pk).update(status=PoursuiteStatus.PAYEE, closed_on=on)


def test_paid_poursuite_stays_on_extract_for_5_years_marked_paid(jeanne):
    day = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.get_current_timezone())
    kept, gone = make_poursuite(debtor=jeanne), make_poursuite(debtor=jeanne)
    _closed(kept, day.date().replace(year=2021) + timedelta(days=1))  # closed 4 years 364 days before
    _closed(gone, day.date().replace(year=2021))  # closed exactly 5 years before
    content = extract_content([jeanne], at=day)
    assert numbers(content) == [kept.reference]
    assert content["poursuites"][0]["status"] == "Payée"


def test_a_payment_in_full_keeps_the_poursuite_listed_as_paid(jeanne):
    poursuite = make_poursuite(debtor=jeanne, notified_on=today() - timedelta(days=30), rate=D("0"))
    register.record_payment(target=poursuite, on=today(), amount=D("1000.00") + D("40.00"))
    poursuite.refresh_from_db()
    assert poursuite.status == PoursuiteStatus.PAYEE
    assert extract_content([jeanne])["poursuites"][0]["status"] == "Payée"


@pytest.mark.parametrize("step", [EventType.CONTRORDRE, EventType.ANNULATION])
def test_withdrawn_or_annulled_poursuites_are_never_shown(jeanne, step):
    shown = make_poursuite(debtor=jeanne, notified_on=today() - timedelta(days=30))
    hidden = make_poursuite(debtor=jeanne, notified_on=today() - timedelta(days=30))
    register.record_event(poursuite=hidden, type=step, on=today())
    assert numbers(extract_content([jeanne])) == [shown.reference]


def test_a_poursuite_under_non_divulgation_is_not_shown_to_third_parties(jeanne):
    shown = make_poursuite(debtor=jeanne)
    hidden = make_poursuite(debtor=jeanne)
    Poursuite.objects.filter(pk=hidden.pk).update(non_disclosure_since=timezone.now())
    assert numbers(extract_content([jeanne])) == [shown.reference]


def test_open_adb_are_counted_with_what_is_still_due_on_them(jeanne):
    first = make_adb(jeanne, amount=D("1500.00"))
    make_adb(jeanne, amount=D("700.00"))
    register.record_payment(target=first, on=today(), amount=D("200.00"))
    paid = make_adb(jeanne, amount=D("300.00"))
    register.record_payment(target=paid, on=today(), amount=D("300.00"))  # paid in full: no longer open
    make_adb(PersonFactory(), amount=D("999.00"))  # somebody else's
    content = extract_content([jeanne])
    assert (content["adb_count"], content["adb_total"]) == (2, "2000.00")


def test_the_extract_reads_the_register_in_the_same_three_queries_however_long_it_is(jeanne, django_assert_num_queries):
    make_poursuite(debtor=jeanne)
    register.record_payment(target=make_adb(jeanne, amount=D("500.00")), on=today(), amount=D("100.00"))
    with django_assert_num_queries(3):  # the poursuites with their creditors, the open ADB, their payments
        extract_content([jeanne])
    for _ in range(10):
        make_poursuite(debtor=jeanne)
    for amount in (D("700.00"), D("800.00")):
        register.record_payment(target=make_adb(jeanne, amount=amount), on=today(), amount=D("50.00"))
    with django_assert_num_queries(3):
        content = extract_content([jeanne])
    assert len(content["poursuites"]) == 14 and (content["adb_count"], content["adb_total"]) == (3, "1800.00")


def test_the_poursuites_of_other_parties_are_not_shown(jeanne):
    make_poursuite()
    content = extract_content([jeanne])
    assert content["poursuites"] == [] and not content["has_entry"]


def test_no_party_gives_the_statement_that_the_register_holds_no_entry(account):
    from .conftest import order

    extract_request = order(account)
    content = extract_content([], asked=extract_request)
    assert content == {
        **content,
        "registered": False,
        "has_entry": False,
        "poursuites": [],
        "adb_count": 0,
        "adb_total": "0.00",
    }
    assert content["subject"]["name"] == "Dupont" and content["subject"]["address_lines"][-1] == "1205 Genève"


def test_the_subject_is_shown_with_the_latest_registered_address(jeanne):
    moved = PersonFactory(name="Dupont", first_name="Jeanne", birth_date=jeanne.birth_date, street="Rue du Rhône")
    content = extract_content([moved, jeanne])
    assert content["subject"]["address_lines"][0].startswith("Rue du Rhône")
