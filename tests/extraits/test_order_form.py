"""The order form: whose extract, identity, address, purpose, the no-refund warning."""

import pytest
from django.urls import reverse

from extraits.models import DemandeExtrait

from .test_workflow import FORM

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"purpose": ""}, "purpose", "la loi exige un intérêt"),
        ({"birth_date": "31.12.2999"}, "birth_date", "date passée"),
        ({"birth_date": "demain"}, "birth_date", "Saisissez une date valide"),
        ({"acknowledge": ""}, "acknowledge", "correspond à votre besoin"),
        ({"postal_code": "120"}, "postal_code", "4 chiffres"),
        ({"first_name": ""}, "first_name", "Indiquez le prénom"),
        ({"country": "C1"}, "country", "code à deux lettres"),
    ],
)
def test_bad_input_gets_a_french_message_on_its_field_and_creates_nothing(client, account, change, field, message):
    client.force_login(account)
    response = client.post(reverse("extraits:order", args=["personne"]), {**FORM, **change})
    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200 and message in html and f'id="id_{field}_error"' in html
    assert not DemandeExtrait.objects.exists()


def test_the_form_warns_that_the_fee_is_not_refunded(client, account):
    client.force_login(account)
    html = client.get(reverse("extraits:order", args=["personne"])).content.decode().replace("&#x27;", "'")
    assert "n'est pas remboursé" in html and "CHF 17.00" in html


def test_a_company_is_ordered_by_name_uid_and_seat(client, account):
    client.force_login(account)
    data = {**FORM, "name": "Exemple SA", "uid": "che105936547"}
    response = client.post(reverse("extraits:order", args=["entreprise"]), data)
    assert response.status_code == 302 and response["Location"].startswith("/paiements/payer/")
    extract_request = DemandeExtrait.objects.get()
    assert (extract_request.kind, extract_request.subject, extract_request.uid, extract_request.first_name) == (
        "morale",
        "entreprise",
        "CHE-105.936.547",
        "",
    )
    assert extract_request.birth_date is None


def test_a_wrong_uid_is_refused(client, account):
    client.force_login(account)
    response = client.post(reverse("extraits:order", args=["entreprise"]), {**FORM, "uid": "CHE-116.281.711"})
    assert "IDE invalide" in response.content.decode() and not DemandeExtrait.objects.exists()


def test_the_fee_is_paid_in_one_go_without_an_instalment_box(client, account):
    client.force_login(account)
    response = client.post(reverse("extraits:order", args=["personne"]), FORM)
    page = client.get(response["Location"]).content.decode()
    assert "Montant à payer" in page and "CHF 17.00" in page
    assert 'name="instalment"' not in page and 'value="acompte"' not in page and 'type="radio"' not in page
