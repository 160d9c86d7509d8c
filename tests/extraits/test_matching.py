"""Who in the register is the subject: certain matches are issued, the rest goes to a clerk."""

from datetime import date

import pytest

from extraits.constants import MatchOutcome
from extraits.matching import match_subject
from ocp_portal.names import normalize_name as normalize
from tests.factories import CompanyFactory, PersonFactory

from .conftest import order

pytestmark = pytest.mark.django_db


def test_normalize_ignores_case_accents_hyphens_and_spaces():
    assert normalize("  Müller-DUPONT ") == normalize("muller dupont") == "muller dupont"


def test_every_party_with_the_very_identity_is_the_subject(account, jeanne):
    twin_row = PersonFactory(name="DUPONT", first_name="Jeanne", birth_date=jeanne.birth_date, street="Autre rue")
    PersonFactory(name="Dupont", first_name="Jeanne", birth_date=date(1991, 1, 1))  # a homonym, another person
    match = match_subject(order(account, name="dupont", first_name="Jeanne"))
    assert match.outcome == MatchOutcome.CERTAIN
    assert {party.pk for party in match.parties} == {jeanne.pk, twin_row.pk}


def test_a_near_name_with_the_same_birth_date_goes_to_a_clerk(account):
    near = PersonFactory(name="Dupond", first_name="Jeanne", birth_date=date(1980, 5, 17))
    match = match_subject(order(account))
    assert match.outcome == MatchOutcome.AMBIGU and match.parties == []
    assert [candidate["party"] for candidate in match.candidates] == [near.pk]


def test_the_same_name_with_another_birth_date_goes_to_a_clerk(account):
    homonym = PersonFactory(name="Dupont", first_name="Jeanne", birth_date=date(1980, 5, 18))
    match = match_subject(order(account))
    assert match.outcome == MatchOutcome.AMBIGU
    assert match.candidates[0]["party"] == homonym.pk
    assert "autre date de naissance" in match.candidates[0]["reason"]


def test_nobody_alike_in_the_register_means_no_entry(account):
    PersonFactory(name="Martin", first_name="Paul", birth_date=date(1980, 5, 17))
    assert match_subject(order(account)).outcome == MatchOutcome.AUCUNE


def test_a_company_is_identified_by_its_uid(account):
    company = CompanyFactory(name="Exemple SA", uid="CHE-105.936.547")
    extract_request = order(account, kind="morale", name="Exemple SA", first_name="", birth_date=None,
                            uid="CHE-105.936.547")  # fmt: skip
    match = match_subject(extract_request)
    assert match.outcome == MatchOutcome.CERTAIN and match.parties == [company]


def test_a_company_of_the_same_name_without_uid_goes_to_a_clerk(account):
    CompanyFactory(name="Exemple SA", uid="")
    extract_request = order(account, kind="morale", name="Exemple SA", first_name="", birth_date=None,
                            uid="CHE-105.936.547")  # fmt: skip
    assert match_subject(extract_request).outcome == MatchOutcome.AMBIGU


def test_a_namesake_whose_birth_date_the_register_lacks_makes_the_match_ambiguous(account, jeanne):
    unknown = PersonFactory(name="Dupont", first_name="Jeanne", birth_date=None)
    match = match_subject(order(account))
    assert match.outcome == MatchOutcome.AMBIGU
    assert {candidate["party"] for candidate in match.candidates} == {jeanne.pk, unknown.pk}


def test_exact_matches_at_two_other_addresses_go_to_a_clerk(account):
    born = date(1980, 5, 17)
    PersonFactory(name="Dupont", first_name="Jeanne", birth_date=born, street="Rue A", postal_code="1205")
    PersonFactory(name="Dupont", first_name="Jeanne", birth_date=born, street="Chemin Z", postal_code="1290")
    assert match_subject(order(account)).outcome == MatchOutcome.AMBIGU


def test_one_registered_address_other_than_the_one_asked_is_a_person_who_moved(account):
    moved = PersonFactory(name="Dupont", first_name="Jeanne", birth_date=date(1980, 5, 17), street="Rue A")
    match = match_subject(order(account))
    assert match.outcome == MatchOutcome.CERTAIN and match.parties == [moved]


def test_a_company_of_the_same_name_without_uid_beside_the_uid_match_goes_to_a_clerk(account):
    CompanyFactory(name="Exemple SA", uid="CHE-105.936.547")
    CompanyFactory(name="Exemple SA", uid="")
    extract_request = order(account, kind="morale", name="Exemple SA", first_name="", birth_date=None,
                            uid="CHE-105.936.547")  # fmt: skip
    assert match_subject(extract_request).outcome == MatchOutcome.AMBIGU


def test_namesakes_are_found_whatever_their_accents_case_or_hyphens(account, jeanne):
    unknown = PersonFactory(name="DÜPONT", first_name="Jeanne", birth_date=None)
    match = match_subject(order(account, name="dupont"))
    assert match.outcome == MatchOutcome.AMBIGU
    assert unknown.pk in {candidate["party"] for candidate in match.candidates}


def test_the_name_key_follows_the_name():
    party = PersonFactory(name="Müller-Rochat")
    assert party.name_key == "muller rochat"
    party.name = "Favre"
    party.save(update_fields=["name"])
    party.refresh_from_db()
    assert party.name_key == "favre"
