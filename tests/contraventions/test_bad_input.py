"""Bad input gets a French message or a 4xx, never a 500, and changes nothing."""

from datetime import timedelta
from decimal import Decimal as D
from html import unescape

import pytest
from django.urls import reverse

from contraventions import arrangements
from contraventions.constants import EtatArrangement, EtatOrdonnance
from contraventions.models import ArrangementPaiement, Echeance, OrdonnancePenale
from ocp_portal import signed_links
from ocp_portal.dates import today
from tests.contraventions.conftest import reload
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:contraventions_ordonnancepenale_add")


@pytest.fixture
def guichet(client, clerk):
    client.force_login(clerk)
    return client


@pytest.mark.parametrize(
    "fine, days, field, message",
    [
        ("120", 3, "notification_date", "ne peut pas être dans le futur"),
        ("0", 0, "fine", ""),
        ("-5", 0, "fine", ""),
        ("99999999999.99", 0, "fine", "chiffres"),
    ],
)
def test_a_new_order_with_a_future_date_or_a_bad_fine_is_refused_on_the_form(guichet, fine, days, field, message):
    data = {
        "offender": PersonFactory().pk,
        "offence": "Stationnement interdit",
        "fine": fine,
        "notification_date": (today() + timedelta(days=days)).isoformat(),
    }
    response = guichet.post(ADD_URL, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors and message in " ".join(errors[field])
    assert not OrdonnancePenale.objects.exists()


def test_one_centime_is_a_fine_and_a_payment_not_refused_by_a_float_minimum(guichet):
    data = {
        "offender": PersonFactory().pk,
        "offence": "Stationnement interdit",
        "fine": "0.01",
        "notification_date": today().isoformat(),
    }
    assert guichet.post(ADD_URL, data).status_code == 302
    order = OrdonnancePenale.objects.get()
    assert (order.fine, order.emoluments) == (D("0.01"), D("50.00"))
    url = reverse("admin:contraventions_ordonnancepenale_action", args=[order.pk, "paiement"])
    assert guichet.post(url, {"on": today().isoformat(), "amount": "0.01", "source": "guichet"}).status_code == 302
    assert order.payments.get().amount == D("0.01")


def test_a_first_instalment_beyond_a_year_is_refused_and_nothing_is_scheduled(guichet, order):
    request = arrangements.request_arrangement(order=order, monthly_amount=D("50"), email="a@b.ch", on=today())
    url = reverse("admin:contraventions_arrangementpaiement_action", args=[request.pk, "accepter"])
    for first_due in ("9999-12-01", (today() + timedelta(days=366)).isoformat()):
        response = guichet.post(url, {"on": today().isoformat(), "first_due_date": first_due})
        assert response.status_code == 200
        assert "dans l'année qui suit la décision" in unescape(response.content.decode())
    request.refresh_from_db()
    assert request.state == EtatArrangement.DEMANDE and not Echeance.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "contraventions_ordonnancepenale_change:abc",
        "contraventions_ordonnancepenale_change:999999",
        "contraventions_arrangementpaiement_pdf:999999",
        "contraventions_ordonnancepenaleconversion_change:abc",
    ],
)
def test_unknown_ids_in_the_admin_are_not_a_500(guichet, path):
    name, object_id = path.split(":")
    response = guichet.get(reverse(f"admin:{name}", args=[object_id]))
    assert response.status_code in (302, 404)  # the admin redirects an unknown object to its list


def test_an_unknown_admin_action_is_a_404(guichet, order):
    url = reverse("admin:contraventions_ordonnancepenale_action", args=[order.pk, "inconnue"])
    assert guichet.post(url, {"on": today().isoformat()}).status_code == 404
    assert reload(order).state == EtatOrdonnance.NOTIFIEE


@pytest.mark.parametrize(
    "monthly, email, field, message",
    [
        ("1e400", "a@b.ch", "monthly_amount", "chiffres"),
        ("NaN", "a@b.ch", "monthly_amount", "Saisissez un montant"),
        ("Infinity", "a@b.ch", "monthly_amount", "Saisissez un montant"),
        ("-100", "a@b.ch", "monthly_amount", "minimum accordées sont de CHF 50.00"),
        ("80", "a" * 300 + "@example.ch", "email", "254 caractères"),
        ("80", "pas-une-adresse", "email", "adresse e-mail valide"),
    ],
)
def test_bad_arrangement_requests_get_a_french_message_on_their_field(client, order, monthly, email, field, message):
    data = {"reference": order.qr_reference, "monthly_amount": monthly, "email": email}
    response = client.post(reverse("contraventions:arrangement"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ArrangementPaiement.objects.exists()


@pytest.mark.parametrize(
    "query, message",
    [
        ("pages=-3", "au moins une page"),
        ("pages=99999999999999999999999", "au plus 999 pages"),
        ("pages=douze", "Saisissez un nombre de pages"),
        ("pages=", "Indiquez le nombre de pages"),
        ("pages=%00", "Saisissez un nombre de pages"),
    ],
)
def test_the_copy_calculator_refuses_bad_page_counts_in_french(client, query, message):
    response = client.get(f"{reverse('contraventions:information')}?{query}")
    assert response.status_code == 200 and response.context["copy_fee"] is None
    assert message in unescape(response.content.decode())


@pytest.mark.parametrize("reference", ["\x00\x00", "1" * 5000, "", "\u0661" * 27])
def test_bad_references_are_form_errors(client, reference):
    response = client.post(reverse("contraventions:pay"), {"reference": reference})
    assert response.status_code == 200 and response.context["form"].errors["reference"]


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(lambda: "%00", id="nul"),
        pytest.param(lambda: "a" * 3000, id="too-long"),
        # Signed when the test runs (a signature carries its time): collection stays the same at every moment.
        pytest.param(lambda: signed_links.sign("arrangement-schedule", ["not", "a", "dict"]), id="signed-list"),
        pytest.param(lambda: signed_links.sign("arrangement-schedule", {"a": "x"}), id="signed-unknown-arrangement"),
        pytest.param(lambda: signed_links.sign("arrangement-schedule", {"a": 10**30}), id="signed-huge-arrangement"),
    ],
)
def test_bad_document_tokens_are_a_404(client, token):
    token = token()
    assert client.get(f"/contraventions/echeancier/{token}.pdf").status_code == 404  # by hand: some never reverse
