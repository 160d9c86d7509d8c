"""The daily totals that the office matches with the PSP's payouts: per day, purpose and gateway,
with labels, a total per day, a grand total and a CSV export."""

import csv
import io
import uuid
from datetime import datetime, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from ocp_portal.dates import today
from paiements import reconciliation
from paiements.constants import PaymentState
from paiements.models import Payment
from paiements.purposes import registry

pytestmark = pytest.mark.django_db
ZURICH = ZoneInfo("Europe/Zurich")
TOTALS = "/guichet/paiements/payment/totaux/"


def captured(purpose, amount, *, on, gateway="stripe", hour=10, state=PaymentState.CAPTURED):
    return Payment.objects.create(
        purpose=purpose,
        object_reference=uuid.uuid4().hex[:12],
        label="Paiement",
        amount=D(amount),
        email="payeur@example.ch",
        conditions_version="1",
        gateway=gateway,
        state=state,
        captured_at=datetime.combine(on, datetime.min.time(), ZURICH).replace(hour=hour),
    )


@pytest.fixture
def day_payments():
    yesterday = today() - timedelta(days=1)
    captured("poursuite", "100.00", on=today())
    captured("poursuite", "23.45", on=today())
    captured("poursuite", "50.00", on=today(), gateway="sandbox")
    captured("adb", "200.00", on=today())
    captured("ordonnance_penale", "120.00", on=yesterday, hour=23)  # 23:00 local is still yesterday
    captured("ordonnance_penale", "999.00", on=yesterday, state=PaymentState.AUTHORIZED)  # not captured: never counted
    return yesterday


def test_totals_per_day_purpose_and_gateway_with_day_and_grand_totals(day_payments):
    totals = reconciliation.daily_totals(start=today() - timedelta(days=7), end=today())

    rows = [(r.day, r.purpose, r.gateway, r.count, r.total) for r in totals.rows]
    assert rows == [
        (today(), "adb", "stripe", 1, D("200.00")),
        (today(), "poursuite", "sandbox", 1, D("50.00")),
        (today(), "poursuite", "stripe", 2, D("123.45")),
        (day_payments, "ordonnance_penale", "stripe", 1, D("120.00")),
    ]
    assert [(d.day, d.count, d.total) for d in totals.days] == [
        (today(), 4, D("373.45")),
        (day_payments, 1, D("120.00")),
    ]
    assert (totals.count, totals.total) == (5, D("493.45"))
    assert totals.rows[0].purpose_label == str(registry.get("adb").label)


def test_the_page_shows_labels_gateways_and_totals(client, clerk, day_payments):
    client.force_login(clerk)
    page = client.get(TOTALS).content.decode()

    for code in ("poursuite", "adb", "ordonnance_penale"):
        assert str(registry.get(code).label) in page
    assert "<td>adb</td>" not in page and "<td>ordonnance_penale</td>" not in page
    assert "sandbox" in page and "stripe" in page
    assert f"Total du {today():%d.%m.%Y}" in page and "CHF 373.45" in page
    assert "Total de la période" in page and "CHF 493.45" in page


def test_the_payments_list_links_to_the_totals(client, clerk):
    client.force_login(clerk)
    page = client.get(reverse("admin:paiements_payment_changelist")).content.decode()
    assert f'href="{TOTALS}"' in page


def test_a_chosen_period_limits_the_days(client, clerk, day_payments):
    client.force_login(clerk)
    page = client.get(TOTALS, {"du": f"{today():%d.%m.%Y}", "au": f"{today():%d.%m.%Y}"}).content.decode()
    assert "CHF 373.45" in page and "CHF 120.00" not in page


def test_a_reversed_period_gets_a_french_message(client, clerk):
    client.force_login(clerk)
    response = client.get(TOTALS, {"du": f"{today():%d.%m.%Y}", "au": f"{today() - timedelta(days=3):%d.%m.%Y}"})
    assert response.status_code == 200
    assert "La date de début doit précéder la date de fin." in response.content.decode()


def test_csv_export_per_day_purpose_and_gateway(client, clerk, day_payments):
    client.force_login(clerk)
    response = client.get(TOTALS, {"du": f"{day_payments:%d.%m.%Y}", "au": f"{today():%d.%m.%Y}", "format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="totaux-paiements-')
    body = response.content
    assert body.startswith("\ufeff".encode())  # UTF-8 with a BOM, for the office's spreadsheet
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["date", "objet (code)", "objet", "prestataire", "paiements", "total CHF"]
    assert rows[1] == [today().isoformat(), "adb", str(registry.get("adb").label), "stripe", "1", "200.00"]
    assert [row[4:] for row in rows[1:]] == [["1", "200.00"], ["1", "50.00"], ["2", "123.45"], ["1", "120.00"]]


def test_csv_cells_never_start_a_formula():
    row = reconciliation.TotalRow(today(), "+cmd", '=HYPERLINK("http://x")', "@evil", 1, D("10.00"))
    text = reconciliation.csv_text(reconciliation.Totals([reconciliation.DayTotals(today(), [row])]))
    [_header, cells] = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert cells[1:4] == ["'+cmd", '\'=HYPERLINK("http://x")', "'@evil"]
    assert reconciliation.safe_cell("-2+3") == "'-2+3"
    assert reconciliation.safe_cell("Poursuite") == "Poursuite"


def test_a_clerk_without_the_payments_permission_gets_403(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("autre", password="x", is_staff=True))
    assert client.get(TOTALS).status_code == 403
