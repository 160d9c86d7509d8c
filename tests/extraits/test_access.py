"""An account sees only its own requests and documents; any other gets a 404, not a 403."""

import pytest
from django.urls import reverse

from .conftest import order

pytestmark = pytest.mark.django_db


def test_the_account_downloads_its_pdf_by_reference_in_any_case(client, account, paid_request):
    document = paid_request.current_document
    client.force_login(account)
    response = client.get(reverse("extraits:download", args=[document.reference.lower()]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    typed = client.get(reverse("extraits:download_by_reference"), {"reference": f" {document.reference[4:]} "})
    assert typed["Location"] == reverse("extraits:download", args=[document.reference])


def test_another_account_gets_404_for_the_pdf_and_never_sees_the_request(client, other_account, paid_request):
    client.force_login(other_account)
    assert client.get(reverse("extraits:download", args=[paid_request.current_document.reference])).status_code == 404
    assert paid_request.current_document.reference not in client.get(reverse("extraits:requests")).content.decode()
    assert client.get(reverse("extraits:requests_status")).json() == {"requests": []}


def test_anonymous_visitors_are_sent_to_the_login_page(client, paid_request):
    for url in (
        reverse("extraits:requests"),
        reverse("extraits:order_start"),
        reverse("extraits:download", args=["AEL-X"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("comptes:login"))


def test_the_list_shows_each_state_and_the_status_endpoint_feeds_the_live_update(client, account, paid_request):
    unpaid = order(account, name="Martin")
    client.force_login(account)
    html = client.get(reverse("extraits:requests")).content.decode().replace("&#x27;", "'")
    assert "Disponible" in html and "Payer l'émolument" in html
    assert 'src="/static/js/extract-requests.js"' in html and "<script>" not in html
    states = {row["id"]: row for row in client.get(reverse("extraits:requests_status")).json()["requests"]}
    assert states[str(unpaid.public_id)]["state_label"] == "En attente du paiement"
    assert states[str(paid_request.public_id)]["download_url"].endswith(f"{paid_request.current_document.reference}/")


def test_an_unknown_kind_of_order_is_404(client, account):
    client.force_login(account)
    assert client.get(reverse("extraits:order", args=["chat"])).status_code == 404


@pytest.mark.parametrize("typed", ["a/b", "AEL-0000", "x" * 40])
def test_a_malformed_reference_gets_a_message_never_a_500(client, account, typed):
    client.force_login(account)
    response = client.get(reverse("extraits:download_by_reference"), {"reference": typed})
    assert response.status_code == 200 and "Une référence a la forme AEL-" in response.content.decode()
    assert client.get(f"/extraits/telecharger/{typed.replace('/', '%2F')}/").status_code == 404


def test_a_clerk_without_a_public_account_cannot_order(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("extraits:order", args=["personne"])).status_code == 403


def test_a_company_account_orders_about_companies_only_and_its_own_uid_is_its_own_extract(client):
    from tests.factories import AccountFactory

    company = AccountFactory(compte__kind="personne_morale", compte__company_name="Exemple SA",
                             compte__uid="CHE-105.936.547")  # fmt: skip
    client.force_login(company)
    assert client.get(reverse("extraits:order", args=["personne"])).status_code == 404
    form = client.get(reverse("extraits:order", args=["entreprise"])).content.decode()
    assert 'value="Exemple SA"' in form and 'value="CHE-105.936.547"' in form
    own = order(company, kind="morale", name="Exemple SA", first_name="", birth_date=None, uid="CHE-105.936.547")
    other = order(company, kind="morale", name="Autre SA", first_name="", birth_date=None, uid="CHE-109.322.551")
    assert (own.subject, other.subject) == ("titulaire", "entreprise")
