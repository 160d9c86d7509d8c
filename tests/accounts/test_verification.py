from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ocp_portal.accounts.models import AccountKind, Compte
from ocp_portal.accounts.tokens import verification_token

from .conftest import link_in

User = get_user_model()
pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(client, mailoutbox, signup_data):
    client.post(reverse("comptes:signup"), signup_data)
    return User.objects.get(), link_in(mailoutbox[-1], "/compte/confirmer/")


def test_the_link_activates_the_account_once_then_sends_to_login(client, pending):
    user, link = pending

    response = client.get(link)

    assert response.status_code == 302
    assert response["Location"] == reverse("comptes:login")
    user.refresh_from_db()
    assert user.is_active
    assert user.compte.verified_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "Votre adresse e-mail est confirmée" in page
    assert 'value="nouvelle.personne@exemple.ch"' in page

    verified_at = user.compte.verified_at
    again = client.get(link)
    assert again.status_code == 400
    assert "n'est plus valable" in again.content.decode()
    user.compte.refresh_from_db()
    assert user.compte.verified_at == verified_at


def test_a_tampered_link_is_refused(client, pending):
    user, link = pending
    prefix, token, _ = link.rsplit("/", 2)
    tampered = f"{prefix}/{token[:-1]}{'0' if token[-1] != '0' else '1'}/"

    response = client.get(tampered)

    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_a_link_for_another_account_is_refused(client, pending):
    user, link = pending
    other = User.objects.create_user("autre@exemple.ch", "autre@exemple.ch", "x", is_active=False)
    Compte.objects.create(user=other, kind=AccountKind.PARTICULIER)
    token = link.rstrip("/").rsplit("/", 1)[1]

    response = client.get(reverse("comptes:verify", args=[urlsafe_base64_encode(force_bytes(other.pk)), token]))

    assert response.status_code == 400
    other.refresh_from_db()
    assert not other.is_active


def test_an_expired_link_is_refused_and_offers_a_new_one(client, pending, monkeypatch, settings):
    user, link = pending
    now = verification_token._now()
    monkeypatch.setattr(
        verification_token, "_now", lambda: now + timedelta(seconds=settings.ACCOUNT_VERIFICATION_TIMEOUT + 5)
    )

    response = client.get(link)

    assert response.status_code == 400
    html = response.content.decode()
    assert "a expiré" in html
    assert reverse("comptes:resend") in html
    user.refresh_from_db()
    assert not user.is_active


def test_a_link_within_three_days_still_works(client, pending, monkeypatch):
    user, link = pending
    now = verification_token._now()
    monkeypatch.setattr(verification_token, "_now", lambda: now + timedelta(days=3) - timedelta(minutes=1))
    assert client.get(link).status_code == 302


def test_verification_timeout_does_not_follow_a_short_password_reset_timeout(client, pending, settings):
    settings.PASSWORD_RESET_TIMEOUT = 60
    user, link = pending
    user.refresh_from_db()
    assert verification_token.check_token(user, link.rstrip("/").rsplit("/", 1)[1])


def test_a_new_link_goes_only_to_an_account_waiting_for_confirmation(client, mailoutbox, pending, account):
    sent = len(mailoutbox)

    for email in ("NOUVELLE.personne@exemple.ch", account.email, "inconnu@exemple.ch"):
        response = client.post(reverse("comptes:resend"), {"email": email})
        assert response.status_code == 302
        assert response["Location"] == reverse("comptes:resend_done")

    assert [m.to for m in mailoutbox[sent:]] == [["nouvelle.personne@exemple.ch"]]
    response = client.get(link_in(mailoutbox[-1], "/compte/confirmer/"))
    assert response.status_code == 302
