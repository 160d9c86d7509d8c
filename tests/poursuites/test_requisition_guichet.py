from decimal import Decimal as D

import pytest
from django.urls import reverse

from ocp_portal.dates import today
from poursuites.models import Party, Poursuite
from poursuites.requisition.codec import encode
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
URL = reverse("admin:poursuites_poursuite_from_requisition")


def party(**values):
    base = {
        "kind": "physique",
        "name": "Rochat",
        "first_name": "Marie",
        "birth_date": "1984-03-02",
        "uid": "",
        "street": "Rue de Carouge",
        "house_number": "12",
        "address_extra": "",
        "postal_code": "1205",
        "town": "Genève",
        "country": "CH",
    }
    return {**base, **values}


def payload(**values):
    return {
        "v": 1,
        "id": "4f1c0e6a9b8d4c2e8f7a6b5c4d3e2f10",
        "d": today().isoformat(),
        "debtor": party(),
        "creditor": {
            **party(
                kind="morale",
                name="Régie du Rhône SA",
                first_name="",
                birth_date="",
                uid="CHE-116.281.710",
                street="Rue du Rhône",
                house_number="10",
                postal_code="1204",
            ),
            "iban": "CH9300762011623852957",
        },
        "representative": None,
        "kind": "ordinaire",
        "claims": [
            {"amount": "1250.00", "rate": "5", "from": "2026-01-31", "title": "Loyers impayés de janvier à mars 2026"},
            {"amount": "40.00", "rate": "", "from": "", "title": "Frais de rappel"},
        ],
        "notes": "",
        **values,
    }


def confirm_data(code, **values):
    return {
        "code": code,
        "confirm": "1",
        "requisition_date": today().isoformat(),
        "kind": "saisie",
        "party_debtor": "new",
        "party_creditor": "new",
        **values,
    }


def test_scanned_code_shows_the_data_and_registers_the_poursuite(client, clerk):
    client.force_login(clerk)
    code = encode(payload())
    page = client.post(URL, {"code": code[:40] + "\n" + code[40:]})  # a scanner or a paste may break lines
    html = page.content.decode()
    assert page.status_code == 200 and "Rochat" in html and "Loyers impayés" in html
    response = client.post(URL, confirm_data(code))
    poursuite = Poursuite.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{poursuite.pk}/change/")
    assert poursuite.claim_amount == D("1290.00") and poursuite.claims.count() == 2
    assert poursuite.fees.get().amount == D("60.00")
    assert poursuite.events.get().type == "requisition"
    assert poursuite.creditor_iban == "CH9300762011623852957" and poursuite.kind == "saisie"
    assert poursuite.debtor.birth_date.isoformat() == "1984-03-02"


def test_a_code_already_used_is_refused_with_the_poursuite_it_created(client, clerk):
    client.force_login(clerk)
    code = encode(payload())
    client.post(URL, confirm_data(code))
    poursuite = Poursuite.objects.get()
    again = client.post(URL, {"code": code}).content.decode()
    assert "déjà été enregistré" in again and poursuite.reference in again
    client.post(URL, confirm_data(code))
    assert Poursuite.objects.count() == 1


def test_a_tampered_code_is_refused(client, clerk):
    client.force_login(clerk)
    code = encode(payload())
    digit = "1" if code[30] != "1" else "2"
    html = client.post(URL, {"code": code[:30] + digit + code[31:]}).content.decode()
    assert "errornote" in html and not Poursuite.objects.exists()


def test_clerk_picks_an_existing_party_instead_of_a_duplicate(client, clerk):
    existing = PersonFactory(
        name="Rochat", first_name="Marie", birth_date="1984-03-02", postal_code="1227", town="Carouge"
    )
    client.force_login(clerk)
    code = encode(payload())
    page = client.post(URL, {"code": code}).content.decode()
    assert f'value="{existing.pk}"' in page
    client.post(URL, confirm_data(code, party_debtor=str(existing.pk)))
    assert Poursuite.objects.get().debtor == existing
    assert Party.objects.filter(name="Rochat").count() == 1


def test_company_debtor_with_uid_is_proposed_faillite(client, clerk):
    client.force_login(clerk)
    debtor = party(kind="morale", name="Boulangerie du Lac Sàrl", first_name="", birth_date="", uid="CHE-105.936.547")
    html = client.post(URL, {"code": encode(payload(debtor=debtor))}).content.decode()
    assert 'value="faillite" selected' in html or 'value="faillite" checked' in html


def test_gage_needs_no_choice_of_way(client, clerk):
    client.force_login(clerk)
    code = encode(payload(kind="gage"))
    client.post(URL, confirm_data(code, kind="gage"))
    assert Poursuite.objects.get().kind == "gage"


@pytest.mark.parametrize("hostile", ["Rue de Carouge\x1b[2J", "Rochat\x07", "Rue\r\nde Carouge", "Rue\u202eegaruoC"])
def test_a_code_with_control_characters_in_a_party_is_refused_and_registers_nothing(client, clerk, hostile):
    """Codes printed before the form refused such characters are still refused at the guichet."""
    client.force_login(clerk)
    code = encode(payload(debtor=party(street=hostile)))
    html = client.post(URL, {"code": code}).content.decode().replace("&#x27;", "'")
    assert "retour à la ligne ou un caractère de contrôle" in html
    client.post(URL, confirm_data(code))
    assert not Poursuite.objects.exists() and not Party.objects.exists()
