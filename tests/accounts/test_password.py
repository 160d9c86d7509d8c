import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from .conftest import PASSWORD, link_in

User = get_user_model()
pytestmark = pytest.mark.django_db


def test_password_reset_round_trip(client, mailoutbox, account):
    response = client.post(reverse("comptes:password_reset"), {"email": "TITULAIRE@exemple.ch"})
    assert response["Location"] == reverse("comptes:password_reset_done")
    assert [m.to for m in mailoutbox] == [[account.email]]
    assert mailoutbox[0].subject == "Nouveau mot de passe — Office cantonal des poursuites"
    assert "choisir un nouveau mot de passe" in mailoutbox[0].body

    form_page = client.get(link_in(mailoutbox[0], "/compte/mot-de-passe/nouveau/"), follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Salève-Jura-2026", "new_password2": "Salève-Jura-2026"}
    )
    assert response["Location"] == reverse("comptes:password_reset_complete")

    assert client.post(reverse("comptes:login"), {"username": account.email, "password": PASSWORD}).status_code == 200
    response = client.post(reverse("comptes:login"), {"username": account.email, "password": "Salève-Jura-2026"})
    assert response.status_code == 302
    # The link served once.
    client.logout()
    again = client.get(link_in(mailoutbox[0], "/compte/mot-de-passe/nouveau/"), follow=True)
    assert not again.context["validlink"]
    assert "n'est plus valable" in again.content.decode()


def test_password_reset_reveals_nothing_and_mails_only_public_accounts(client, mailoutbox, clerk):
    clerk.email = "clerk@ocp.ge.ch"
    clerk.save()
    for email in ("inconnu@exemple.ch", "clerk@ocp.ge.ch"):
        response = client.post(reverse("comptes:password_reset"), {"email": email})
        assert response["Location"] == reverse("comptes:password_reset_done")
    assert mailoutbox == []


def test_password_reset_confirms_an_address_still_waiting(client, mailoutbox, signup_data):
    client.post(reverse("comptes:signup"), signup_data)
    client.post(reverse("comptes:password_reset"), {"email": signup_data["email"]})
    page = client.get(link_in(mailoutbox[-1], "/compte/mot-de-passe/nouveau/"), follow=True)

    client.post(page.redirect_chain[-1][0], {"new_password1": "Salève-Jura-2026", "new_password2": "Salève-Jura-2026"})

    user = User.objects.get()
    assert user.is_active
    assert user.compte.is_verified


def test_password_reset_lifts_a_lockout(client, mailoutbox, account):
    for _ in range(5):
        client.post(reverse("comptes:login"), {"username": account.email, "password": "devine-1234"})
    assert AccessAttempt.objects.exists()
    client.post(reverse("comptes:password_reset"), {"email": account.email})
    page = client.get(link_in(mailoutbox[-1], "/compte/mot-de-passe/nouveau/"), follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": "Salève-Jura-2026", "new_password2": "Salève-Jura-2026"})
    response = client.post(reverse("comptes:login"), {"username": account.email, "password": "Salève-Jura-2026"})
    assert response.status_code == 302


def test_password_change_keeps_the_session(client, account):
    client.force_login(account)
    response = client.post(
        reverse("comptes:password_change"),
        {"old_password": PASSWORD, "new_password1": "Salève-Jura-2026", "new_password2": "Salève-Jura-2026"},
    )
    assert response["Location"] == reverse("comptes:home")
    account.refresh_from_db()
    assert account.check_password("Salève-Jura-2026")
    assert "Votre mot de passe a été changé" in client.get(reverse("comptes:home")).content.decode()


def test_password_change_needs_the_current_password(client, account):
    client.force_login(account)
    html = client.get(reverse("comptes:password_change")).content.decode()
    assert 'autocomplete="current-password"' in html
    response = client.post(
        reverse("comptes:password_change"),
        {"old_password": "faux", "new_password1": "Salève-Jura-2026", "new_password2": "Salève-Jura-2026"},
    )
    assert response.status_code == 200
    account.refresh_from_db()
    assert account.check_password(PASSWORD)


def test_the_done_pages_name_the_address_without_saying_whether_an_account_exists(client):
    client.post(reverse("comptes:password_reset"), {"email": "Inconnu@Exemple.ch"})
    html = client.get(reverse("comptes:password_reset_done")).content.decode()
    assert "Si un compte existe pour <strong>inconnu@exemple.ch</strong>" in html
    client.post(reverse("comptes:resend"), {"email": "inconnu@exemple.ch"})
    html = client.get(reverse("comptes:resend_done")).content.decode()
    assert "Si un compte en attente de confirmation existe pour <strong>inconnu@exemple.ch</strong>" in html
