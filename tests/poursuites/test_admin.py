from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from ocp_portal.dates import today
from poursuites.constants import PoursuiteStatus
from poursuites.models import HistoryEntry, Poursuite
from tests.factories import CompanyFactory, PersonFactory, make_poursuite

pytestmark = pytest.mark.django_db


def action_url(poursuite, action):
    return reverse("admin:poursuites_poursuite_action", args=[poursuite.pk, action])


def test_clerk_groups_exist_with_fitting_permissions():
    guichet = set(Group.objects.get(name="Guichet").permissions.values_list("codename", flat=True))
    supervision = set(Group.objects.get(name="Supervision").permissions.values_list("codename", flat=True))
    assert {"change_poursuite", "add_poursuite", "view_historyentry"} <= guichet
    assert "annul_poursuite" not in guichet
    assert guichet < supervision and "annul_poursuite" in supervision


def test_clerk_records_an_opposition_and_it_is_in_the_history(client, clerk):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=3))
    client.force_login(clerk)
    page = client.get(reverse("admin:poursuites_poursuite_change", args=[poursuite.pk]))
    assert page.status_code == 200 and action_url(poursuite, "opposition") in page.content.decode()
    response = client.post(action_url(poursuite, "opposition"), {"on": today().isoformat()})
    assert response.status_code == 302
    poursuite.refresh_from_db()
    assert poursuite.status == PoursuiteStatus.OPPOSITION_TOTALE
    entry = HistoryEntry.objects.filter(poursuite=poursuite).first()
    assert entry.actor == clerk and entry.changes["statut"] == ["notifiee", "opposition_totale"]


def test_late_opposition_shows_the_procedure_message_and_changes_nothing(client, clerk):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=40))
    client.force_login(clerk)
    response = client.post(action_url(poursuite, "opposition"), {"on": today().isoformat()})
    assert response.status_code == 200 and "Opposition tardive" in response.content.decode()
    poursuite.refresh_from_db()
    assert poursuite.status == PoursuiteStatus.NOTIFIEE and poursuite.events.count() == 2


def test_clerk_records_a_payment_at_the_guichet(client, clerk):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=10))
    client.force_login(clerk)
    response = client.post(
        action_url(poursuite, "paiement"), {"on": today().isoformat(), "amount": "100.00", "source": "guichet"}
    )
    assert response.status_code == 302
    line = poursuite.payments.get()
    assert (line.amount, line.source, line.created_by) == (D("100.00"), "guichet", clerk)


def test_bad_amount_is_a_form_error_not_a_500(client, clerk):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=10))
    client.force_login(clerk)
    response = client.post(
        action_url(poursuite, "paiement"), {"on": today().isoformat(), "amount": "-5", "source": "guichet"}
    )
    assert response.status_code == 200 and not poursuite.payments.exists()


def test_only_supervision_may_record_an_annulation(client, clerk, supervisor):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=10))
    client.force_login(clerk)
    assert client.get(action_url(poursuite, "annulation")).status_code == 403
    client.force_login(supervisor)
    response = client.post(action_url(poursuite, "annulation"), {"on": today().isoformat(), "note": "Jugement TPI"})
    assert response.status_code == 302
    poursuite.refresh_from_db()
    assert poursuite.status == PoursuiteStatus.ANNULEE


def test_unknown_action_is_404(client, clerk):
    client.force_login(clerk)
    assert client.get(action_url(make_poursuite(), "nope")).status_code == 404


def test_clerk_registers_a_poursuite_and_gets_number_fee_and_event(client, clerk):
    client.force_login(clerk)
    data = {
        "kind": "saisie",
        "requisition_date": today().isoformat(),
        "creditor": CompanyFactory().pk,
        "debtor": PersonFactory().pk,
        "claims-TOTAL_FORMS": "2",
        "claims-INITIAL_FORMS": "0",
        "claims-0-amount": "750.00",
        "claims-0-interest_rate": "5",
        "claims-0-interest_from": (today() - timedelta(days=30)).isoformat(),
        "claims-0-title": "Facture du 3 mars",
        "claims-1-amount": "300.00",
        "claims-1-title": "Facture du 4 avril",
        **{
            f"{prefix}-{key}": "0"
            for prefix in ("events", "fees", "payments", "actes_defaut_biens", "history_entries")
            for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    response = client.post(reverse("admin:poursuites_poursuite_add"), data)
    if response.status_code != 302:
        errors = [response.context["adminform"].form.errors] + [
            (f.formset.prefix, f.formset.errors, f.formset.non_form_errors())
            for f in response.context["inline_admin_formsets"]
        ]
        raise AssertionError(errors)
    poursuite = Poursuite.objects.get()
    assert poursuite.claim_amount == D("1050.00") and poursuite.claims.count() == 2
    assert poursuite.fees.get().amount == D("60.00")  # fee on the total
    assert poursuite.events.get().type == "requisition"


def test_admin_finds_a_poursuite_by_its_number_with_key_letter(client, clerk):
    poursuite, other = make_poursuite(), make_poursuite()
    client.force_login(clerk)
    response = client.get(reverse("admin:poursuites_poursuite_changelist"), {"q": poursuite.reference})
    html = response.content.decode()
    assert poursuite.reference in html and other.reference not in html


def test_adb_admin_records_a_payment(client, clerk):
    from poursuites import services
    from poursuites.constants import EventType
    from poursuites.procedure import continuation_from

    poursuite = make_poursuite(notified_on=today() - timedelta(days=100))
    continued = continuation_from(poursuite.notification_date)  # after the 20 days, moved past any féries
    services.record_event(poursuite=poursuite, type=EventType.CONTINUATION, on=continued)
    services.record_event(poursuite=poursuite, type=EventType.AVIS_SAISIE, on=continued + timedelta(days=10))
    adb = services.issue_adb(poursuite=poursuite, on=today())
    client.force_login(clerk)
    url = reverse("admin:poursuites_actedefautbiens_action", args=[adb.pk, "paiement"])
    response = client.post(url, {"on": today().isoformat(), "amount": "10.00", "source": "guichet"})
    assert response.status_code == 302 and adb.payments.count() == 1


def test_only_the_poursuites_list_offers_registering_from_a_requisition(client, clerk):
    client.force_login(clerk)
    button = "Nouvelle poursuite depuis une réquisition"
    assert button in client.get("/guichet/poursuites/poursuite/").content.decode()
    assert button not in client.get("/guichet/poursuites/party/").content.decode()
