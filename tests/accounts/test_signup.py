import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ocp_portal.accounts.models import AccountKind

from .conftest import link_in

User = get_user_model()
pytestmark = pytest.mark.django_db


def test_signup_creates_an_inactive_account_with_the_lower_cased_address_and_mails_a_link(
    client, mailoutbox, signup_data
):
    response = client.post(reverse("comptes:signup"), signup_data)

    assert response.status_code == 302
    assert response["Location"] == reverse("comptes:signup_done")
    user = User.objects.get()
    assert user.username == user.email == "nouvelle.personne@exemple.ch"
    assert not user.is_active
    assert user.check_password("Lac-Leman-1815!")
    assert user.compte.kind == AccountKind.PARTICULIER
    assert user.compte.verified_at is None
    assert [m.to for m in mailoutbox] == [["nouvelle.personne@exemple.ch"]]
    assert "Confirmez votre adresse" in mailoutbox[0].subject
    assert link_in(mailoutbox[0], "/compte/confirmer/")
    page = client.get(response["Location"])
    assert "nouvelle.personne@exemple.ch" in page.content.decode()


def test_existing_address_is_not_revealed_and_its_owner_is_told(client, mailoutbox, account, signup_data):
    signup_data["email"] = account.email.upper()

    response = client.post(reverse("comptes:signup"), signup_data)

    assert response.status_code == 302
    assert response["Location"] == reverse("comptes:signup_done")
    assert User.objects.count() == 1
    account.refresh_from_db()
    assert account.check_password("motdepasse-ocp-2026"), "the existing account is left as it is"
    assert [m.to for m in mailoutbox] == [[account.email]]
    body = mailoutbox[0].body
    assert "Un compte existe déjà" in body
    assert "/compte/confirmer/" not in body
    assert "/compte/mot-de-passe/oublie/" in body


def test_signing_up_again_while_pending_mails_a_new_link_and_keeps_the_first_password(client, mailoutbox, signup_data):
    client.post(reverse("comptes:signup"), signup_data)
    again = {**signup_data, "password1": "Autre-Secret-2026!", "password2": "Autre-Secret-2026!"}

    client.post(reverse("comptes:signup"), again)

    user = User.objects.get()
    assert user.check_password("Lac-Leman-1815!")
    assert len(mailoutbox) == 2
    response = client.get(link_in(mailoutbox[1], "/compte/confirmer/"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active


def test_password_is_checked_by_django_validators_in_french(client, mailoutbox, signup_data):
    signup_data["password1"] = signup_data["password2"] = "12345678"

    response = client.post(reverse("comptes:signup"), signup_data)

    assert response.status_code == 200
    assert not User.objects.exists()
    assert not mailoutbox
    errors = " ".join(response.context["form"].errors["password1"])
    assert "trop courant" in errors
    assert "entièrement numérique" in errors


def test_password_must_not_resemble_the_address(client, signup_data):
    signup_data["password1"] = signup_data["password2"] = "nouvelle.personne"
    response = client.post(reverse("comptes:signup"), signup_data)
    assert "trop semblable" in " ".join(response.context["form"].errors["password1"])


def test_both_passwords_must_match(client, signup_data):
    signup_data["password2"] = "Autre-Chose-1815!"
    response = client.post(reverse("comptes:signup"), signup_data)
    assert response.context["form"].has_error("password2")
    assert not User.objects.exists()


def test_personne_morale_needs_its_name_and_a_valid_uid(client, signup_data):
    signup_data.update(kind="personne_morale", company_name="", uid="CHE-116.281.711")

    response = client.post(reverse("comptes:signup"), signup_data)

    form = response.context["form"]
    assert form.has_error("company_name")
    assert "IDE n'est pas valable" in " ".join(form.errors["uid"])
    assert not User.objects.exists()


def test_personne_morale_uid_is_stored_in_its_official_form(client, signup_data):
    signup_data.update(kind="personne_morale", company_name="  Exemple   SA ", uid="che116281710")

    client.post(reverse("comptes:signup"), signup_data)

    compte = User.objects.get().compte
    assert compte.kind == AccountKind.PERSONNE_MORALE
    assert compte.company_name == "Exemple SA"
    assert compte.uid == "CHE-116.281.710"


def test_a_particulier_keeps_no_company_fields(client, signup_data):
    signup_data.update(company_name="Exemple SA", uid="CHE-116.281.710")
    client.post(reverse("comptes:signup"), signup_data)
    compte = User.objects.get().compte
    assert (compte.company_name, compte.uid) == ("", "")


def test_mails_the_public_can_trigger_are_rate_limited(client, mailoutbox, settings, signup_data):
    settings.ACCOUNT_MAIL_RATE_LIMIT = 2
    for n in range(2):
        response = client.post(reverse("comptes:signup"), {**signup_data, "email": f"p{n}@exemple.ch"})
        assert response.status_code == 302

    response = client.post(reverse("comptes:signup"), {**signup_data, "email": "p9@exemple.ch"})

    assert response.status_code == 429
    assert len(mailoutbox) == 2
    assert not User.objects.filter(username="p9@exemple.ch").exists()


def test_signup_page_is_accessible_markup(client):
    html = client.get(reverse("comptes:signup")).content.decode()
    assert 'autocomplete="email"' in html
    assert html.count('autocomplete="new-password"') == 2
    assert '<label for="id_email">' in html
    assert "<script" not in html
