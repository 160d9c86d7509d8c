"""Guards against bad input at the guichet: nothing half-applied, nothing out of order, no 500."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ocp_portal.bookkeeping import MoneySource
from ocp_portal.dates import today
from poursuites import services
from poursuites.constants import EventType
from poursuites.models import Poursuite
from poursuites.procedure import ProcedureError, continuation_from
from tests.factories import CompanyFactory, PersonFactory, make_poursuite

pytestmark = pytest.mark.django_db


def _seized(claim=D("1000.00")):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=100), claim=claim)
    continued = continuation_from(poursuite.notification_date)  # after the 20 days, moved past any féries
    services.record_event(poursuite=poursuite, type=EventType.CONTINUATION, on=continued)
    services.record_event(poursuite=poursuite, type=EventType.AVIS_SAISIE, on=continued + timedelta(days=10))
    return poursuite


def test_a_refused_notification_charges_no_attempt_fee(client, clerk):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=5))
    client.force_login(clerk)
    url = reverse("admin:poursuites_poursuite_action", args=[poursuite.pk, "notification"])
    response = client.post(url, {"on": today().isoformat(), "failed_attempts": "3"})
    assert response.status_code == 200 and poursuite.fees.count() == 1


def test_a_transfer_reference_already_booked_elsewhere_is_refused():
    first, second = make_poursuite(notified_on=today() - timedelta(days=5)), make_poursuite()
    services.record_payment(
        target=first, on=today(), amount=D("100"), source=MoneySource.VIREMENT, external_reference="REF-1"
    )
    with pytest.raises(ValidationError, match="déjà enregistrée"):  # the shared bookkeeping's refusal
        services.record_payment(
            target=second, on=today(), amount=D("250"), source=MoneySource.VIREMENT, external_reference="REF-1"
        )


def test_no_step_may_be_dated_before_the_last_one_recorded():
    poursuite = _seized()
    services.record_payment(target=poursuite, on=today() - timedelta(days=2), amount=D("600"))
    with pytest.raises(ProcedureError, match="dernière étape"):
        services.issue_adb(poursuite=poursuite, on=today() - timedelta(days=10))


def test_an_adb_cannot_exceed_the_balance():
    with pytest.raises(ProcedureError, match="dépasse"):
        services.issue_adb(poursuite=_seized(), on=today(), amount=D("99999"))


@pytest.mark.parametrize("days", [1, -400])
def test_an_adb_payment_is_dated_between_its_issue_and_today(days):
    adb = services.issue_adb(poursuite=_seized(), on=today() - timedelta(days=5))
    with pytest.raises(ProcedureError, match="entre la délivrance"):
        services.record_payment(target=adb, on=today() + timedelta(days=days), amount=D("10"))


def _add_data(**overrides):
    data = {
        "kind": "saisie",
        "requisition_date": today().isoformat(),
        "creditor": CompanyFactory().pk,
        "debtor": PersonFactory().pk,
        "claims-TOTAL_FORMS": "2",
        "claims-INITIAL_FORMS": "0",
        "claims-0-amount": "750.00",
        "claims-0-title": "Facture du 3 mars",
        **{
            f"{prefix}-{key}": "0"
            for prefix in ("events", "fees", "payments", "actes_defaut_biens", "history_entries")
            for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    "overrides",
    [
        {"requisition_date": date(9999, 12, 31).isoformat()},
        {"claims-0-amount": "9999999999.99", "claims-1-amount": "9999999999.99", "claims-1-title": "Encore"},
    ],
    ids=["future_requisition", "total_too_large"],
)
def test_bad_registration_in_the_admin_is_a_form_error_not_a_500(client, clerk, overrides):
    client.force_login(clerk)
    response = client.post(reverse("admin:poursuites_poursuite_add"), _add_data(**overrides))
    assert response.status_code == 200 and not Poursuite.objects.exists()


def test_an_action_on_a_malformed_id_is_404(client, clerk):
    client.force_login(clerk)
    assert client.get("/guichet/poursuites/poursuite/abc/action/paiement/").status_code == 404


def test_action_forms_prefill_today_for_date_inputs_and_take_swiss_dates(client, clerk):
    poursuite = make_poursuite()
    client.force_login(clerk)
    url = reverse("admin:poursuites_poursuite_action", args=[poursuite.pk, "notification"])
    assert f'value="{today().isoformat()}"' in client.get(url).content.decode()
    response = client.post(url, {"on": today().strftime("%d.%m.%Y"), "failed_attempts": "0"})
    assert response.status_code == 302


def test_a_balance_too_large_for_a_qr_bill_offers_no_qr_bill(client):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=5), claim=D("1500000000.00"), rate=D("0"))
    data = {
        "number": f"{poursuite.number:08d}",
        "key_letter": poursuite.key_letter,
        "payment_date": today().isoformat(),
    }
    html = client.post(reverse("poursuites:balance_lookup"), data).content.decode()
    assert "facture-qr" not in html and "dépasse ce qu" in html
