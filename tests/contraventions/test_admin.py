from datetime import timedelta
from decimal import Decimal as D
from html import unescape

import pytest
from django.urls import reverse

from contraventions import arrangements
from contraventions.constants import Etape, EtatArrangement, EtatOrdonnance
from contraventions.models import EtapeRecouvrement, OrdonnancePenale
from contraventions.tasks import daily_recovery
from ocp_portal.dates import today
from tests.contraventions.conftest import make_order, reload
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def guichet(client, clerk):
    client.force_login(clerk)
    return client


def test_clerk_registers_an_order_with_its_emoluments(guichet):
    offender = PersonFactory()
    response = guichet.post(
        reverse("admin:contraventions_ordonnancepenale_add"),
        {
            "offender": offender.pk,
            "offence": "Stationnement interdit",
            "fine": "150.01",
            "notification_date": today().isoformat(),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    order = OrdonnancePenale.objects.get()
    assert (order.emoluments, order.state) == (D("150.00"), EtatOrdonnance.NOTIFIEE)
    page = guichet.get(reverse("admin:contraventions_ordonnancepenale_change", args=[order.pk]))
    assert page.status_code == 200 and "CHF 300.01" in page.content.decode()


def test_clerk_performs_the_proposed_steps_once(guichet, overdue):
    daily_recovery.delay()
    changelist = reverse("admin:contraventions_etaperecouvrement_changelist")
    assert guichet.get(changelist + "?a_effectuer=oui").status_code == 200
    proposal = EtapeRecouvrement.objects.get()
    for _ in range(2):
        guichet.post(changelist, {"action": "perform_selected", "_selected_action": [proposal.pk]})
    assert reload(overdue).state == EtatOrdonnance.EN_RAPPEL
    assert overdue.fees.count() == 1
    proposal.refresh_from_db()
    assert proposal.performed_on == today() and proposal.etape == Etape.RAPPEL_1


def test_clerk_records_a_payment_and_a_refused_action_says_why(guichet, order):
    url = reverse("admin:contraventions_ordonnancepenale_action", args=[order.pk, "recouvrement"])
    response = guichet.post(url, {"on": today().isoformat(), "step": Etape.RAPPEL_1})
    assert response.status_code == 200
    assert "Le délai de paiement court jusqu'au" in unescape(response.content.decode())
    url = reverse("admin:contraventions_ordonnancepenale_action", args=[order.pk, "paiement"])
    response = guichet.post(url, {"on": today().isoformat(), "amount": "220", "source": "guichet"})
    assert response.status_code == 302
    assert reload(order).state == EtatOrdonnance.PAYEE


def test_conversion_is_refused_in_french_when_the_condition_does_not_hold(guichet, overdue):
    from contraventions import recovery

    recovery.send_reminder(order=overdue, on=today() - timedelta(days=1))
    response = guichet.post(
        reverse("admin:contraventions_ordonnancepenaleconversion_add"),
        {"orders": [overdue.pk], "ground": "adb", "note": "", "on": today().isoformat()},
    )
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "la poursuite n'est pas dénuée de chance de succès" in page
    assert "Une ordonnance pénale de conversion est émise lorsqu'une" in page and 'value="Émettre"' in page
    assert reload(overdue).state == EtatOrdonnance.EN_RAPPEL


def test_clerk_accepts_an_arrangement_and_downloads_the_schedule(guichet, order):
    request = arrangements.request_arrangement(order=order, monthly_amount=D("110"), email="a@b.ch", on=today())
    url = reverse("admin:contraventions_arrangementpaiement_action", args=[request.pk, "accepter"])
    response = guichet.post(
        url, {"on": today().isoformat(), "first_due_date": (today() + timedelta(days=30)).isoformat()}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == EtatArrangement.ACCEPTE and request.instalments.count() == 2
    pdf = guichet.get(reverse("admin:contraventions_arrangementpaiement_pdf", args=[request.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert make_order()  # the changelists render with data
    for name in ("ordonnancepenale", "ordonnancepenaleconversion", "arrangementpaiement", "etaperecouvrement"):
        assert guichet.get(reverse(f"admin:contraventions_{name}_changelist")).status_code == 200
