from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db.models import F
from django.urls import reverse

from .conftest import PASSWORD

User = get_user_model()
pytestmark = pytest.mark.django_db
LOGIN = "/compte/connexion/"


def login(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def age_attempts(delta):
    """Travel in time: the recorded failures happened `delta` earlier."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)


def test_urls_of_the_interface():
    assert reverse("comptes:login") == LOGIN
    assert reverse("comptes:home") == "/compte/"
    assert reverse("comptes:signup") == "/compte/inscription/"
    assert reverse("comptes:verify", args=["MQ", "abc-def"]) == "/compte/confirmer/MQ/abc-def/"
    for name in ("resend", "logout", "password_reset", "password_reset_done", "password_reset_complete"):
        assert reverse(f"comptes:{name}")
    assert reverse("comptes:password_reset_confirm", args=["MQ", "abc-def"])
    assert reverse("comptes:password_change")


def test_login_form_asks_for_the_email_address(client):
    form = client.get(LOGIN).context["form"]
    assert form.fields["username"].label == "Adresse e-mail"
    html = client.get(LOGIN).content.decode()
    assert 'autocomplete="current-password"' in html
    assert '<label for="id_username">Adresse e-mail' in html


def test_login_by_email_in_any_case_goes_to_my_account(client, account):
    response = login(client, " Titulaire@EXEMPLE.ch ")
    assert response.status_code == 302
    assert response["Location"] == reverse("comptes:home")
    assert client.get(reverse("comptes:home")).context["user"] == account


def test_login_honours_a_local_next_only(client, account):
    response = client.post(f"{LOGIN}?next=/poursuites/solde/", {"username": account.email, "password": PASSWORD})
    assert response["Location"] == "/poursuites/solde/"
    client.logout()
    response = client.post(f"{LOGIN}?next=https://evil.example/", {"username": account.email, "password": PASSWORD})
    assert response["Location"] == reverse("comptes:home")


def test_a_wrong_password_gets_the_generic_french_error(client, account):
    response = login(client, account.email, "mauvais-mot-de-passe")
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode().replace("'", "’")


def test_an_unverified_account_with_the_right_password_is_asked_to_confirm_its_address(client, signup_data):
    client.post(reverse("comptes:signup"), signup_data)

    response = login(client, signup_data["email"], signup_data["password1"])

    assert response.status_code == 200
    html = response.content.decode()
    assert "Confirmez d&#x27;abord votre adresse e-mail" in html
    assert reverse("comptes:resend") in html
    assert "_auth_user_id" not in client.session
    resend = client.get(reverse("comptes:resend"))
    assert resend.context["form"].initial["email"] == "nouvelle.personne@exemple.ch"


def test_an_unverified_account_with_a_wrong_password_gets_the_generic_error(client, signup_data):
    client.post(reverse("comptes:signup"), signup_data)
    html = login(client, signup_data["email"], "pas-le-bon-1815").content.decode()
    assert "Confirmez d&#x27;abord" not in html
    assert "mot de passe valides" in html


def test_a_deactivated_account_gets_the_generic_error(client, account):
    account.is_active = False
    account.save()
    html = login(client, account.email).content.decode()
    assert "Confirmez d&#x27;abord" not in html
    assert "mot de passe valides" in html


def test_five_failures_lock_out_for_fifteen_minutes_then_login_works_again(client, account):
    for _ in range(4):
        assert login(client, account.email, "devine-1234").status_code == 200

    fifth = login(client, account.email, "devine-1234")

    assert fifth.status_code == 429
    html = fifth.content.decode()
    assert "Connexion momentanément bloquée" in html
    assert "Vous pourrez réessayer dans 15 minutes" in html
    assert int(fifth["Retry-After"]) in range(899, 901)
    # Even the right password is refused during the cool-off, and does not extend it.
    assert login(client, account.email).status_code == 429
    age_attempts(timedelta(minutes=14))
    assert login(client, account.email).status_code == 429
    assert "_auth_user_id" not in client.session

    age_attempts(timedelta(minutes=1, seconds=1))
    response = login(client, account.email)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(account.pk)
    assert not AccessAttempt.objects.exists(), "a success resets the failures"


def test_a_success_resets_the_failure_count(client, account):
    for _ in range(4):
        login(client, account.email, "devine-1234")
    assert login(client, account.email).status_code == 302
    client.post(reverse("comptes:logout"))
    for _ in range(4):
        assert login(client, account.email, "devine-1234").status_code == 200


def test_the_lockout_is_per_username_and_address(client, account, other_account):
    for _ in range(5):
        login(client, account.email, "devine-1234")
    assert login(client, account.email).status_code == 429

    assert login(client, account.email, REMOTE_ADDR="192.0.2.7").status_code == 302
    client.logout()
    assert login(client, other_account.email).status_code == 302


def test_one_address_trying_many_usernames_is_capped(client, account, settings):
    settings.LOGIN_RATE_LIMIT = 6
    for number in range(6):
        assert login(client, f"personne{number}@exemple.ch", "devine-1234").status_code == 200
    response = login(client, account.email)
    assert response.status_code == 429 and "Trop de tentatives de connexion" in response.content.decode()
    assert login(client, account.email, REMOTE_ADDR="192.0.2.7").status_code == 302


def test_the_lockout_counts_the_address_seen_through_the_trusted_proxy(client, account, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        # The client cannot escape by forging the left part of X-Forwarded-For.
        login(client, account.email, "devine-1234", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.4")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.4"}
    assert login(client, account.email, HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 429
    assert login(client, account.email, HTTP_X_FORWARDED_FOR="198.51.100.5").status_code == 302


def test_a_forwarded_value_that_is_no_address_falls_back_to_the_peer(client, account, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    login(client, account.email, "devine-1234", HTTP_X_FORWARDED_FOR="pas-une-adresse")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]


def test_logout_is_post_only(client, account):
    client.force_login(account)
    assert client.get(reverse("comptes:logout")).status_code == 405
    assert client.session["_auth_user_id"] == str(account.pk)

    response = client.post(reverse("comptes:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session


def test_the_header_offers_login_or_my_account_and_logout(client, account):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{LOGIN}"' in html
    client.force_login(account)
    html = client.get(reverse("home")).content.decode()
    assert 'href="/compte/"' in html
    assert f'<form method="post" action="{reverse("comptes:logout")}">' in html


def test_admin_login_still_works_for_clerks(client, clerk):
    response = client.post("/guichet/login/?next=/guichet/", {"username": "clerk", "password": "clerk-pass-2026"})
    assert response.status_code == 302
    assert response["Location"] == "/guichet/"
    assert client.get("/guichet/").status_code == 200


def test_admin_login_is_throttled_too(client, clerk):
    for _ in range(5):
        response = client.post("/guichet/login/", {"username": "clerk", "password": "devine-1234"})
    assert response.status_code == 429
    assert client.post("/guichet/login/", {"username": "clerk", "password": "clerk-pass-2026"}).status_code == 429
    age_attempts(timedelta(minutes=15, seconds=1))
    assert client.post("/guichet/login/", {"username": "clerk", "password": "clerk-pass-2026"}).status_code == 302


def test_one_address_trying_many_clerk_usernames_is_capped_like_the_public_login(client, clerk, settings):
    settings.LOGIN_RATE_LIMIT = 6
    for number in range(6):
        assert client.post("/guichet/login/", {"username": f"agent{number}", "password": "x"}).status_code == 200
    response = client.post("/guichet/login/", {"username": "clerk", "password": "clerk-pass-2026"})
    assert response.status_code == 429 and "Trop de tentatives de connexion" in response.content.decode()
    other = client.post(
        "/guichet/login/", {"username": "clerk", "password": "clerk-pass-2026"}, REMOTE_ADDR="192.0.2.7"
    )
    assert other.status_code == 302
