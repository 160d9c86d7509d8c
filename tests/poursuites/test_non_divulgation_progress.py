"""The requester's pages speak plainly of a non-divulgation request: a public wording for each state
(the clerks keep theirs in the admin) and what comes next, with its dates (art. 8a al. 3 let. d LP:
20 days for the creditor from the letter's receipt, moved past weekends and holidays, art. 31 LP)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from ocp_portal.dates import today
from ocp_portal.formats import format_date
from poursuites.deadlines import lp_deadline
from poursuites.non_divulgation.progress import public_status
from tests.poursuites.test_non_divulgation import E, demande_in, make_account, opposed_poursuite

pytestmark = pytest.mark.django_db
CLERKS_WORDS = ("Interpellation à notifier", "Délai en cours", "À examiner", "En attente de l'émolument")


@pytest.fixture
def requester(django_user_model):
    return make_account(django_user_model)


def test_every_state_has_a_public_wording_of_its_own(requester):
    for state, clerks_label in E.choices:
        demande = demande_in(
            opposed_poursuite(), requester, state, notified_on=today(), deadline_on=lp_deadline(today(), 20)
        )
        status = public_status(demande, on=today())
        assert status.label and status.summary and status.next
        assert status.label != clerks_label
        assert not any(word in f"{status.label} {status.summary} {status.next}" for word in CLERKS_WORDS)
        demande.delete()


def test_while_the_letter_is_sent_the_earliest_dates_are_20_days_from_today(requester):
    demande = demande_in(opposed_poursuite(), requester, E.INTERPELLATION_A_NOTIFIER)
    status = public_status(demande, on=today())
    earliest = lp_deadline(today(), 20)
    assert status.label == "Lettre au créancier en cours d'envoi"
    assert f"ne finira pas avant le {format_date(earliest)}" in status.next
    assert status.steps[-1].when == f"au plus tôt le {format_date(earliest + timedelta(days=1))}"
    assert [step.current for step in status.steps] == [False, False, True, False, False]


def test_during_the_creditors_deadline_its_end_and_the_grant_date_are_given(requester):
    notified = today() - timedelta(days=5)
    demande = demande_in(
        opposed_poursuite(), requester, E.DELAI_EN_COURS, notified_on=notified, deadline_on=lp_deadline(notified, 20)
    )
    status = public_status(demande, on=today())
    end = demande.deadline_on
    assert status.label == f"Délai du créancier jusqu'au {format_date(end)}"
    assert format_date(notified) in status.summary
    assert f"accordée dès le {format_date(end + timedelta(days=1))}" in status.next
    assert [step.done for step in status.steps] == [True, True, True, False, False]


def test_the_requesters_pages_use_the_public_wording_and_the_admin_keeps_the_clerks(client, requester, clerk):
    demande = demande_in(opposed_poursuite(), requester, E.INTERPELLATION_A_NOTIFIER)
    client.force_login(requester)
    listing = client.get(reverse("poursuites:non_divulgation_list")).content.decode()
    detail = client.get(reverse("poursuites:non_divulgation_detail", args=[demande.public_id])).content.decode()
    for page in (listing, detail):
        assert "Lettre au créancier en cours d&#x27;envoi" in page
        assert "Interpellation à notifier" not in page
    assert f"au plus tôt le {format_date(lp_deadline(today(), 20) + timedelta(days=1))}" in detail

    client.force_login(clerk)
    admin = client.get(reverse("admin:poursuites_demandenondivulgation_change", args=[demande.pk])).content.decode()
    assert "Interpellation à notifier" in admin
