"""A new user who was sent to log in from a page (e.g. the extract order) lands back on it once their
address is confirmed: `next` rides through sign-up, the confirmation e-mail's link and the login."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from ocp_portal.accounts import services

from .conftest import link_in

pytestmark = pytest.mark.django_db
ORDER = "/extraits/commander/"


def test_sign_up_from_the_extract_order_lands_on_the_order_after_confirmation_and_login(
    client, mailoutbox, signup_data
):
    asked = client.get(ORDER)
    login_url = asked["Location"]
    assert login_url == f"{reverse('comptes:login')}?next={quote(ORDER)}"
    login_page = client.get(login_url).content.decode()
    signup_url = f"{reverse('comptes:signup')}?next={quote(ORDER)}"
    assert f'href="{signup_url}"' in login_page

    signup_page = client.get(signup_url).content.decode()
    assert f'<input type="hidden" name="next" value="{ORDER}">' in signup_page
    client.post(reverse("comptes:signup"), {**signup_data, "next": ORDER})

    link = link_in(mailoutbox[0], "/compte/confirmer/")
    assert link.endswith(f"?next={quote(ORDER)}")
    confirmed = client.get(link)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == login_url

    logged_in = client.post(
        confirmed["Location"], {"username": signup_data["email"], "password": signup_data["password1"], "next": ORDER}
    )
    assert logged_in.status_code == 302
    assert logged_in["Location"] == ORDER
    assert client.get(ORDER).status_code == 200


@pytest.mark.parametrize(
    "outside",
    ["https://evil.example/extraits/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"],
)
def test_a_next_page_off_the_portal_is_dropped_everywhere(client, mailoutbox, signup_data, outside):
    assert services.safe_next(outside) == ""
    assert services.safe_next("extraits/") == "", "a relative path is not kept either"
    page = client.get(f"{reverse('comptes:signup')}?next={quote(outside)}").content.decode()
    assert 'name="next"' not in page
    client.post(f"{reverse('comptes:signup')}?next={quote(outside)}", {**signup_data, "next": outside})
    link = link_in(mailoutbox[0], "/compte/confirmer/")
    assert "next=" not in link and "evil" not in mailoutbox[0].body

    # A link edited by hand to carry it is confirmed, and the login page is the plain one.
    confirmed = client.get(f"{link}?next={quote(outside)}")
    assert confirmed["Location"] == reverse("comptes:login")
    logged_in = client.post(
        f"{reverse('comptes:login')}?next={quote(outside)}",
        {"username": signup_data["email"], "password": signup_data["password1"], "next": outside},
    )
    assert logged_in["Location"] == reverse("comptes:home")


def test_resending_the_link_keeps_the_next_page(client, mailoutbox, signup_data):
    client.post(reverse("comptes:signup"), {**signup_data, "next": ORDER})
    page = client.get(f"{reverse('comptes:resend')}?next={quote(ORDER)}").content.decode()
    assert f'<input type="hidden" name="next" value="{ORDER}">' in page
    client.post(reverse("comptes:resend"), {"email": signup_data["email"], "next": ORDER})
    assert link_in(mailoutbox[-1], "/compte/confirmer/").endswith(f"?next={quote(ORDER)}")
