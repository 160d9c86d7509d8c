"""« Quittance de guichet »: after « Enregistrer un paiement reçu » the clerk prints a PDF receipt
(amount, dossier, date and time, clerk, source, reference, new balance) under the dossier's issuer,
from the payment line's own admin URL, accessible like every PDF of the portal."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse

from contraventions.balance import order_balance
from ocp_portal.dates import today
from ocp_portal.formats import format_chf
from poursuites.balance import poursuite_balance
from tests.contraventions.conftest import make_order, reload
from tests.factories import make_poursuite
from tests.test_pdf_documents import assert_accessible, assert_fits_a4, page_texts

pytestmark = pytest.mark.django_db


def pay_at_the_counter(client, clerk, app_model, dossier, amount, **extra):
    client.force_login(clerk)
    response = client.post(
        reverse(f"admin:{app_model}_action", args=[dossier.pk, "paiement"]),
        {"on": today().isoformat(), "amount": amount, "source": "guichet", **extra},
        follow=True,
    )
    assert response.status_code == 200
    return response


def receipt_url(app_model, dossier, line):
    return reverse(f"admin:{app_model}_counter_receipt", args=[dossier.pk, line.pk])


def test_a_poursuite_counter_receipt_carries_the_payment_and_the_new_balance(client, clerk):
    clerk.first_name, clerk.last_name = "Léa", "Guichet"
    clerk.save()
    poursuite = make_poursuite(claim=D("1400.50"), notified_on=today() - timedelta(days=10))
    response = pay_at_the_counter(client, clerk, "poursuites_poursuite", poursuite, "1'000.50")
    line = poursuite.payments.get()
    url = receipt_url("poursuites_poursuite", poursuite, line)
    page = response.content.decode()
    assert page.count(f'href="{url}"') == 2  # in the success message and beside the payment in the inline

    pdf = client.get(url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert {"private", "no-store"} <= {part.strip() for part in pdf["Cache-Control"].split(",")}
    content = pdf.content
    assert_accessible(content, title=f"Quittance de guichet n° {line.pk}")
    assert assert_fits_a4(content) == 1
    text = page_texts(content)[0]
    new_balance = poursuite_balance(poursuite, today()).total
    assert new_balance > 0
    for expected in (
        "Quittance de guichet",
        "Office cantonal des poursuites",
        poursuite.reference,
        "CHF 1'000.50",
        format_chf(new_balance),
        "Léa Guichet",
        today().strftime("%d.%m.%Y"),
        "Guichet",
    ):
        assert expected in text, expected
    assert "Service des contraventions" not in text


def test_the_new_balance_is_the_one_just_after_that_payment(client, clerk):
    poursuite = make_poursuite(claim=D("500.00"), rate=None, notified_on=today() - timedelta(days=10))
    pay_at_the_counter(client, clerk, "poursuites_poursuite", poursuite, "100.00")
    pay_at_the_counter(client, clerk, "poursuites_poursuite", poursuite, "50.00")
    first = poursuite.payments.order_by("pk").first()
    fees = poursuite_balance(poursuite, today()).fees
    text = page_texts(client.get(receipt_url("poursuites_poursuite", poursuite, first)).content)[0]
    assert format_chf(D("500.00") + fees - D("100.00")) in text


def test_a_penal_order_counter_receipt_is_issued_by_the_service_des_contraventions(client, clerk):
    order = make_order(fine=D("120.00"))
    pay_at_the_counter(
        client, clerk, "contraventions_ordonnancepenale", order, "50.00", source="virement", external_reference="VIR-77"
    )
    line = order.payments.get()
    response = client.get(receipt_url("contraventions_ordonnancepenale", order, line))
    assert response.status_code == 200
    assert_accessible(response.content, title="Quittance de guichet")
    assert_fits_a4(response.content)
    text = page_texts(response.content)[0]
    assert "Service des contraventions" in text and "Office cantonal des poursuites" not in text
    assert str(order.case_number) in text and "CHF 50.00" in text and "VIR-77" in text and "Virement" in text
    assert format_chf(order_balance(reload(order)).total) in text


def test_a_line_of_another_dossier_is_refused(client, clerk):
    mine = make_poursuite(notified_on=today() - timedelta(days=10))
    other = make_poursuite(notified_on=today() - timedelta(days=10))
    pay_at_the_counter(client, clerk, "poursuites_poursuite", other, "10.00")
    line = other.payments.get()
    assert client.get(receipt_url("poursuites_poursuite", mine, line)).status_code == 404
    assert client.get(receipt_url("poursuites_poursuite", other, line)).status_code == 200
    order = make_order()
    assert client.get(receipt_url("contraventions_ordonnancepenale", order, line)).status_code == 404


def test_only_staff_who_may_view_the_dossier_get_the_receipt(client, clerk, django_user_model):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=10))
    pay_at_the_counter(client, clerk, "poursuites_poursuite", poursuite, "10.00")
    url = receipt_url("poursuites_poursuite", poursuite, poursuite.payments.get())
    client.logout()
    assert client.get(url).status_code == 302  # to the admin's login
    stranger = django_user_model.objects.create_user("stranger", password="x-pass-2026", is_staff=True)
    client.force_login(stranger)
    assert client.get(url).status_code in (403, 404)
