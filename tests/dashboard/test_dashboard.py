"""The day's work on the admin's home page: each item counts its rows, links to a list of exactly
those rows, and is shown only to a clerk who may see them."""

from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from contraventions import arrangements, recovery
from contraventions.constants import EtatArrangement
from contraventions.models import ArrangementPaiement, EtapeRecouvrement
from extraits import services as extract_services
from extraits.constants import RequestState
from extraits.models import DemandeExtrait
from ocp_portal.dashboard import entries_for, items
from ocp_portal.dates import today
from paiements import services as payment_services
from paiements.conditions import current
from paiements.constants import IncidentKind, PaymentState
from paiements.models import Incident, Payment
from paiements.state import record_incident
from poursuites.constants import EtatNonDivulgation as E
from poursuites.dashboard import end_of_week
from poursuites.non_divulgation.models import DemandeNonDivulgation
from tests.contraventions.conftest import make_order
from tests.extraits.conftest import IDENTITY
from tests.factories import make_poursuite

KEYS = {
    "extracts": "extraits.dashboard.extracts_to_check",
    "letters": "poursuites.dashboard.letters_to_notify",
    "deadlines": "poursuites.dashboard.creditor_deadlines_this_week",
    "incidents": "paiements.dashboard.open_incidents",
    "stuck": "paiements.dashboard.stuck_authorizations",
    "recovery": "contraventions.dashboard.recovery_steps_due",
    "missed": "contraventions.dashboard.missed_instalments",
}


def entry(user, name):
    return next(e for e in entries_for(user) if e.key == KEYS[name])


def listed_ids(client, url) -> set[int]:
    """The ids of the rows a changelist shows."""
    response = client.get(url)
    assert response.status_code == 200, url
    return {row.pk for row in response.context["cl"].result_list}


def check(client, user, name, expected):
    item = entry(user, name)
    assert item.count == len(expected)
    assert listed_ids(client, item.url) == {row.pk for row in expected}


# --- the situations ------------------------------------------------------------------------------


def extract_request(account, state):
    demande = extract_services.create_request(account=account, **IDENTITY, purpose="Dossier de location")
    DemandeExtrait.objects.filter(pk=demande.pk).update(state=state)
    return demande


def non_divulgation(state, deadline_on=None):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=120))
    return DemandeNonDivulgation.objects.create(
        poursuite=poursuite,
        email="debiteur@example.ch",
        requester_kind="physique",
        requester_name="Rochat",
        declared_at=timezone.now(),
        state=state,
        deadline_on=deadline_on,
    )


def payment(state, age):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=30))
    created = payment_services.create_payment(
        purpose_code="poursuite",
        reference=poursuite.reference,
        instalment=Decimal("50"),
        email="debiteur@example.ch",
        conditions_version=current()[0],
    )
    Payment.objects.filter(pk=created.pk).update(state=state, created_at=timezone.now() - age)
    return created


def accepted_arrangement(missed: bool):
    order = make_order(fine=Decimal("400.00"))
    arrangement = arrangements.request_arrangement(
        order=order, monthly_amount=Decimal("100"), email="contrevenant@example.ch", on=today()
    )
    arrangements.accept(arrangement=arrangement, first_due_date=today() + timedelta(days=10), on=today())
    if missed:
        first = arrangement.instalments.order_by("position").first()
        first.missed_on = today()
        first.save(update_fields=["missed_on"])
    return arrangement


# --- the items -----------------------------------------------------------------------------------


def test_every_item_of_the_issue_is_registered():
    assert {item.key for item in items()} >= set(KEYS.values())


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def test_extracts_waiting_for_a_clerk(clerk_client, clerk, account):
    waiting = [extract_request(account, RequestState.EN_VERIFICATION) for _ in range(2)]
    extract_request(account, RequestState.A_PAYER)
    check(clerk_client, clerk, "extracts", waiting)


def test_letters_to_notify_and_creditor_deadlines_of_the_week(clerk_client, clerk):
    to_notify = [non_divulgation(E.INTERPELLATION_A_NOTIFIER)]
    non_divulgation(E.A_EXAMINER)
    sunday = end_of_week(today())
    assert sunday.weekday() == 6 and 0 <= (sunday - today()).days < 7
    this_week = [
        non_divulgation(E.DELAI_EN_COURS, today()),
        non_divulgation(E.DELAI_EN_COURS, sunday),
        non_divulgation(E.DELAI_EN_COURS, today() - timedelta(days=2)),  # over, still undecided
    ]
    non_divulgation(E.DELAI_EN_COURS, sunday + timedelta(days=1))
    non_divulgation(E.ACCORDEE, today())
    check(clerk_client, clerk, "letters", to_notify)
    check(clerk_client, clerk, "deadlines", this_week)


def test_open_incidents(clerk_client, clerk):
    open_ones = [record_incident(IncidentKind.GATEWAY_ERROR, "Erreur de traitement") for _ in range(2)]
    closed = record_incident(IncidentKind.OVERPAYMENT, "Trop-perçu")
    Incident.objects.filter(pk=closed.pk).update(closed_at=timezone.now(), resolution="Remboursé")
    check(clerk_client, clerk, "incidents", open_ones)


def test_authorized_payments_not_captured_for_more_than_45_minutes(clerk_client, clerk):
    stuck = [
        payment(PaymentState.AUTHORIZED, timedelta(minutes=46)),
        payment(PaymentState.AUTHORIZED, timedelta(days=2)),
    ]
    payment(PaymentState.AUTHORIZED, timedelta(minutes=44))
    payment(PaymentState.CAPTURED, timedelta(hours=3))
    check(clerk_client, clerk, "stuck", stuck)


def test_penal_orders_due_for_their_next_recovery_step(clerk_client, clerk):
    overdue = [make_order(notified_on=today() - timedelta(days=100)) for _ in range(2)]
    make_order()  # still within its 30 days
    assert recovery.propose_due_steps(on=today()) == 2
    done = EtapeRecouvrement.objects.filter(ordonnance=overdue[1]).get()
    recovery.perform_step(order=overdue[1], step=done.etape, on=today(), actor=clerk)
    check(clerk_client, clerk, "recovery", EtapeRecouvrement.objects.filter(ordonnance=overdue[0]))


def test_arrangements_with_a_missed_instalment(clerk_client, clerk):
    missed = [accepted_arrangement(missed=True)]
    accepted_arrangement(missed=False)
    broken = accepted_arrangement(missed=True)
    ArrangementPaiement.objects.filter(pk=broken.pk).update(state=EtatArrangement.ROMPU)
    check(clerk_client, clerk, "missed", missed)
    # The list's own filter, which a clerk can also pick in its sidebar, not a list of ids.
    url = entry(clerk, "missed").url
    assert url.endswith("?echeance_manquee=oui")
    assert "échéance manquée" in clerk_client.get(url).content.decode()


def test_no_missed_instalment_links_to_an_empty_list(clerk_client, clerk):
    accepted_arrangement(missed=False)
    check(clerk_client, clerk, "missed", [])


# --- the home page -------------------------------------------------------------------------------


def test_the_home_page_shows_the_counts_linked_to_the_lists(clerk_client, clerk, account):
    extract_request(account, RequestState.EN_VERIFICATION)
    record_incident(IncidentKind.GATEWAY_ERROR, "Erreur de traitement")

    page = unescape(clerk_client.get("/guichet/").content.decode())

    assert "Travail du jour" in page
    for item in entries_for(clerk):
        assert f'href="{item.url}"' in page
    assert page.index("Travail du jour") < page.index('class="app-')


def test_a_clerk_without_a_permission_does_not_see_its_item(client, django_user_model):
    user = django_user_model.objects.create_user("partiel", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_incident", content_type__app_label="paiements"))
    client.force_login(user)
    record_incident(IncidentKind.GATEWAY_ERROR, "Erreur de traitement")

    assert [item.key for item in entries_for(user)] == [KEYS["incidents"]]
    page = client.get("/guichet/").content.decode()
    assert "Incidents de paiement ouverts" in page
    assert "Demandes d&#x27;extrait à vérifier" not in page and "Demandes d'extrait à vérifier" not in page
    assert "Paiements autorisés non encaissés" not in page


def test_a_staff_member_without_any_item_sees_no_dashboard(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("rien", password="x", is_staff=True))
    assert "Travail du jour" not in client.get("/guichet/").content.decode()
