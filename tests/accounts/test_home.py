import pytest
from django.contrib.admin.sites import site
from django.db import IntegrityError
from django.urls import reverse

from ocp_portal.accounts.models import AccountKind, Compte
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_my_account_requires_login(client):
    response = client.get(reverse("comptes:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('comptes:login')}?next=/compte/"


def test_my_account_shows_the_address_and_kind(client, account):
    client.force_login(account)
    html = client.get(reverse("comptes:home")).content.decode()
    assert "titulaire@exemple.ch" in html
    assert "Particulier" in html
    assert reverse("comptes:password_change") in html


def test_my_account_of_a_personne_morale(client):
    user = AccountFactory(
        compte__kind=AccountKind.PERSONNE_MORALE, compte__company_name="Exemple SA", compte__uid="CHE-116.281.710"
    )
    client.force_login(user)
    html = client.get(reverse("comptes:home")).content.decode()
    assert "Personne morale" in html
    assert "Exemple SA" in html
    assert "CHE-116.281.710" in html


def test_my_account_page_of_a_clerk_without_compte(client, clerk):
    client.force_login(clerk)
    assert "compte du guichet" in client.get(reverse("comptes:home")).content.decode()


def test_factory_and_fixtures_make_verified_accounts(account, other_account):
    for user in (account, other_account):
        assert user.is_active
        assert user.username == user.email
        assert Compte.objects.get(user=user).is_verified
        assert user.check_password("motdepasse-ocp-2026")
    assert account != other_account


def test_the_database_refuses_company_fields_that_do_not_match_the_kind(account):
    with pytest.raises(IntegrityError):
        Compte.objects.filter(pk=account.compte.pk).update(uid="CHE-116.281.710")


def test_compte_is_in_the_admin_and_searchable_by_email(admin_client, account, other_account):
    assert Compte in site._registry
    response = admin_client.get("/guichet/accounts/compte/", {"q": "titulaire@"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [account.compte]
    response = admin_client.get("/guichet/accounts/compte/", {"confirme": "oui", "kind": "particulier"})
    assert response.status_code == 200


def test_clerks_can_look_accounts_up_but_not_change_them(client, clerk, account):
    client.force_login(clerk)
    listing = client.get("/guichet/accounts/compte/", {"q": account.email})
    assert listing.status_code == 200 and account.email in listing.content.decode()
    change = client.post(f"/guichet/accounts/compte/{account.compte.pk}/change/", {"kind": "personne_morale"})
    assert change.status_code == 403
