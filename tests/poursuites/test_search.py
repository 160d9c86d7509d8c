"""The clerks' search (poursuites.search): a dossier by number, key letter or not, by its 27-digit QR
reference, by UID, or by names in any order, case and accents; the admin lists answer with it."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.urls import reverse

from ocp_portal.dates import today
from poursuites import search, services
from poursuites.constants import EventType
from poursuites.models import ActeDefautBiens, Party, Poursuite
from tests.factories import CompanyFactory, PersonFactory, make_poursuite

pytestmark = pytest.mark.django_db


@pytest.fixture
def register():
    ahmed = PersonFactory(name="Rochat", first_name="Ahmed")
    lea = PersonFactory(name="Rochat-Müller", first_name="Léa")
    other = PersonFactory(name="Dupont", first_name="Ahmed")
    creditor = CompanyFactory(name="Régie du Rhône SA", uid="CHE-109.322.551")
    return {
        "ahmed": make_poursuite(debtor=ahmed),
        "lea": make_poursuite(debtor=lea),
        "other": make_poursuite(debtor=other),
        "creditor": creditor,
    }


def found(term, queryset=None):
    return set(search.dossiers(Poursuite.objects.all() if queryset is None else queryset, term))


def test_a_number_with_or_without_its_key_letter_and_in_any_spelling(register):
    poursuite = register["ahmed"]
    for term in (poursuite.reference, f"{poursuite.number:08d}", f"{poursuite.number:08d}{poursuite.key_letter}"):
        assert found(term) == {poursuite}
    assert found("99999999") == set()


def test_the_27_digit_qr_reference_names_its_poursuite_or_its_adb_only(register):
    poursuite = register["lea"]
    spaced = " ".join(poursuite.qr_reference[i : i + 5] for i in range(0, 27, 5))
    assert found(poursuite.qr_reference) == found(spaced) == {poursuite}
    assert found(poursuite.qr_reference, ActeDefautBiens.objects.all()) == set()  # a poursuite's, not an ADB's


def test_names_in_any_order_case_and_accents(register):
    assert found("rochat") == {register["ahmed"], register["lea"]}
    assert found("Ahmed Rochat") == found("ROCHAT ahmed") == {register["ahmed"]}
    assert found("lea muller") == found("Léa Rochat-Müller") == {register["lea"]}
    assert found("ahmed") == {register["ahmed"], register["other"]}
    assert found("Zz Rochat") == set()


def test_the_creditors_name_and_uid_find_their_poursuites(register):
    poursuite = make_poursuite()
    Poursuite.objects.filter(pk=poursuite.pk).update(creditor=register["creditor"])
    assert found("régie rhone") == {poursuite}
    assert found("CHE109322551") == found("CHE-109.322.551") == {poursuite}


def test_an_adb_is_found_by_number_qr_reference_and_debtor(register):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=200), debtor=PersonFactory(name="Berset"))
    start = poursuite.notification_date
    for step, days in ((EventType.CONTINUATION, 30), (EventType.AVIS_SAISIE, 40), (EventType.SAISIE_EXECUTEE, 50)):
        services.record_event(poursuite=poursuite, type=step, on=start + timedelta(days=days))
    adb = services.issue_adb(poursuite=poursuite, on=start + timedelta(days=100), amount=D("500"))
    adbs = ActeDefautBiens.objects.all()
    assert found(adb.reference, adbs) == found(adb.qr_reference, adbs) == found("berset", adbs) == {adb}
    assert found(adb.qr_reference) == set()  # an ADB's reference names no poursuite


def test_a_party_keeps_its_search_key_when_renamed():
    party = PersonFactory(name="Rochat", first_name="Ahmed")
    party.first_name = "Élodie"
    party.save(update_fields=["first_name"])
    assert Party.objects.get(pk=party.pk).search_key == "elodie rochat"


def test_the_clerks_lists_answer_with_the_same_search(client, clerk, register):
    client.force_login(clerk)
    listing = client.get(reverse("admin:poursuites_poursuite_changelist"), {"q": "Ahmed Rochat"})
    assert listing.status_code == 200 and list(listing.context["cl"].result_list) == [register["ahmed"]]
    parties = client.get(reverse("admin:poursuites_party_changelist"), {"q": "lea rochat"})
    assert [party.name for party in parties.context["cl"].result_list] == ["Rochat-Müller"]
    by_number = client.get(reverse("admin:poursuites_poursuite_changelist"), {"q": register["lea"].reference})
    assert list(by_number.context["cl"].result_list) == [register["lea"]]


def test_postgresql_serves_the_name_search_from_a_trigram_index(register):
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's (CI runs it)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'party_search_key_trgm'")
        (definition,) = cursor.fetchone()
        assert "gin" in definition and "gin_trgm_ops" in definition
        cursor.execute("SET enable_seqscan = off")
        try:
            sql, params = search.parties(search.read("rochat")).order_by().query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "party_search_key_trgm" in plan


def test_the_lists_count_no_further_than_the_cap(client, clerk, register, monkeypatch):
    from ocp_portal import admin_paging

    monkeypatch.setattr(admin_paging, "COUNT_CAP", 2)
    client.force_login(clerk)
    listing = client.get(reverse("admin:poursuites_poursuite_changelist"), {"q": "ahmed"})
    assert listing.context["cl"].result_count == 2  # two match: counted
    unfiltered = client.get(reverse("admin:poursuites_poursuite_changelist"))
    assert unfiltered.context["cl"].result_count == 2  # three poursuites, counted (or estimated) up to the cap
    assert unfiltered.context["cl"].show_full_result_count is False
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE poursuites_poursuite")
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
            client.get(reverse("admin:poursuites_poursuite_changelist"))
        assert not any("COUNT(*)" in sql and "poursuites_poursuite" in sql and "LIMIT" not in sql for sql in queries)
