"""Every public form, each text field in turn made over-long: a French message or a 4xx, never a 500,
and nothing written. The rest of the form is valid, so that the long value really reaches the
form's checks (and, without a bound on the form, the database: PostgreSQL refuses what is longer
than its column, SQLite does not)."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse

from ocp_portal.dates import today
from paiements.links import checkout_path
from tests.contraventions.conftest import make_order
from tests.extraits.test_workflow import FORM as EXTRACT_FORM
from tests.factories import make_poursuite
from tests.poursuites.test_non_divulgation_web import form_data as non_divulgation_data
from tests.poursuites.test_non_divulgation_web import make_account, opposed_poursuite

pytestmark = pytest.mark.django_db
LONG_TEXT = "x" * 10_000
LONG_EMAIL = "a" * 300 + "@example.ch"  # under the 320 characters Django's validator reads, over any column


def rows() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def public_forms(account):
    """(name, url, valid data, text fields, needs the account logged in)."""
    poursuite = make_poursuite(notified_on=today() - timedelta(days=30))
    order = make_order()
    opposed = opposed_poursuite()
    lookup = {"number": f"{poursuite.number:08d}", "key_letter": poursuite.key_letter, "payment_date": today()}
    yield "balance", reverse("poursuites:balance_lookup"), lookup, ["number", "key_letter"], False
    yield (
        "checkout",
        checkout_path("poursuite", poursuite.reference),
        {
            "choice": "acompte",
            "instalment": "50",
            "email": "payeur@example.ch",
            "accept": "on",
        },
        ["email", "instalment"],
        False,
    )
    yield "penal-order", reverse("contraventions:pay"), {"reference": order.qr_reference}, ["reference"], False
    yield (
        "arrangement",
        reverse("contraventions:arrangement"),
        {
            "reference": order.qr_reference,
            "monthly_amount": "80",
            "email": "lea@example.ch",
            "phone": "022 123 45 67",
            "message": "Chômage",
        },
        ["reference", "email", "phone", "message", "monthly_amount"],
        False,
    )
    yield (
        "signup",
        reverse("comptes:signup"),
        {
            "email": "nouveau@example.ch",
            "kind": "physique",
            "password1": "motdepasse-ocp-2026",
            "password2": "motdepasse-ocp-2026",
            "company_name": "",
            "uid": "",
        },
        ["email", "company_name", "uid"],
        False,
    )
    yield "login", reverse("comptes:login"), {"username": "x@example.ch", "password": "y"}, ["username"], False
    yield "resend", reverse("comptes:resend"), {"email": "x@example.ch"}, ["email"], False
    yield "reset", reverse("comptes:password_reset"), {"email": "x@example.ch"}, ["email"], False
    yield (
        "verify",
        reverse("extraits:verify"),
        {"reference": "AEL-45RX1KL1P2Q", "access_key": "k"},
        [
            "reference",
            "access_key",
        ],
        False,
    )
    text = ["name", "first_name", "street", "house_number", "address_extra", "postal_code", "town", "purpose"]
    yield "extract", reverse("extraits:order", args=["personne"]), EXTRACT_FORM, text, True
    yield (
        "non-divulgation",
        reverse("poursuites:non_divulgation"),
        non_divulgation_data(opposed),
        [
            "number",
            "name",
            "first_name",
            "uid",
        ],
        True,
    )


def test_every_public_text_field_refuses_an_overlong_value_without_a_500(client, django_user_model):
    account = make_account(django_user_model)
    checked = 0
    for name, url, data, fields, logged_in in list(public_forms(account)):
        for field in fields:
            if logged_in:
                client.force_login(account)
            else:
                client.logout()
            before = rows()
            value = LONG_EMAIL if "email" in field or field == "username" else LONG_TEXT
            response = client.post(url, {**data, field: value})
            assert response.status_code in (200, 400, 413, 429), (name, field, response.status_code)
            assert rows() == before, (name, field)
            checked += 1
    assert checked == 30
