import re
from datetime import timedelta
from decimal import Decimal as D
from html import unescape

import pytest
from django.urls import reverse

from ocp_portal.dates import today
from ocp_portal.formats import format_chf
from poursuites import services
from poursuites.balance import poursuite_balance
from poursuites.constants import EventType
from poursuites.views import NOT_FOUND
from tests.factories import make_poursuite, private_person

pytestmark = pytest.mark.django_db
URL = reverse("poursuites:balance_lookup")


def post(client, number, letter, on=None, **extra):
    data = {"number": number, "key_letter": letter, "payment_date": (on or today()).isoformat()}
    return client.post(URL, data, **extra)


@pytest.fixture
def poursuite():
    return make_poursuite(notified_on=today() - timedelta(days=30))


def test_form_page_explains_why_the_date_matters(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "intérêts réclamés par le créancier" in response.content.decode()


def test_lookup_shows_balance_reference_and_qr_bill_but_not_the_debtor(client):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=30), debtor=private_person())
    on = today() + timedelta(days=10)
    response = post(client, f"{poursuite.number:08d}", poursuite.key_letter.lower(), on)
    html = response.content.decode()
    expected = poursuite_balance(poursuite, on).total
    assert response.status_code == 200
    assert format_chf(expected).replace("'", "&#x27;") in html
    assert poursuite.qr_reference[-5:] in html.replace(" ", "")
    assert "facture-qr" in html
    assert "en faveur de l'office cantonal des poursuites, avec la référence" in unescape(html)  # the bill's alt text
    for private in (poursuite.debtor.name, poursuite.debtor.street, poursuite.creditor.name):
        assert private not in html


@pytest.mark.parametrize(
    "fmt",
    [
        "{n:08d}",
        "{s[0]}{s[1]} {s[2]}{s[3]}{s[4]} {s[5]}{s[6]}{s[7]}",
        "{s[0]}{s[1]}.{s[2]}{s[3]}{s[4]}.{s[5]}{s[6]}{s[7]}",
    ],
)
def test_number_accepts_spaces_and_dots(client, poursuite, fmt):
    number = fmt.format(n=poursuite.number, s=f"{poursuite.number:08d}")
    assert "result-title" in post(client, number, poursuite.key_letter).content.decode()


def test_letter_may_follow_the_number_after_a_dash(client, poursuite):
    response = post(client, f"{poursuite.number:08d}-{poursuite.key_letter.lower()}", "")
    assert "result-title" in response.content.decode()


def test_wrong_letter_and_unknown_number_get_the_same_neutral_message(client, poursuite):
    wrong_letter = "A" if poursuite.key_letter != "A" else "B"
    from poursuites.numbers import key_letter

    unknown = 99_999_990
    answers = [
        post(client, f"{poursuite.number:08d}", wrong_letter).content.decode(),
        post(client, f"{unknown}", key_letter(unknown)).content.decode(),
    ]
    for html in answers:
        assert str(NOT_FOUND).replace("'", "&#x27;") in html
        assert "result-title" not in html


@pytest.mark.parametrize(
    "days, message",
    [(-1, "dans le passé"), (61, "au plus tard")],
)
def test_payment_date_is_today_up_to_60_days_ahead(client, poursuite, days, message):
    on = today() + timedelta(days=days)
    html = post(client, f"{poursuite.number:08d}", poursuite.key_letter, on).content.decode()
    assert message in html and "result-title" not in html


def test_bad_number_format_is_explained_on_its_field(client):
    html = post(client, "12ab", "K").content.decode()
    assert "8 chiffres" in html
    assert 'aria-invalid="true"' in html


def test_withdrawn_poursuite_has_no_payable_balance(client, poursuite):
    services.record_event(poursuite=poursuite, type=EventType.CONTRORDRE, on=today())
    html = post(client, f"{poursuite.number:08d}", poursuite.key_letter).content.decode()
    assert "retirée par le créancier" in html and "facture-qr" not in html


def test_annulled_poursuite_has_no_payable_balance(client, poursuite):
    services.record_event(poursuite=poursuite, type=EventType.ANNULATION, on=today(), note="Jugement TPI")
    html = post(client, f"{poursuite.number:08d}", poursuite.key_letter).content.decode()
    assert "annulée" in html and "facture-qr" not in html


def test_paid_poursuite_shows_nothing_due(client, poursuite):
    services.record_payment(target=poursuite, on=today(), amount=poursuite_balance(poursuite, today()).total)
    html = post(client, f"{poursuite.number:08d}", poursuite.key_letter).content.decode()
    assert "Aucun montant n'est dû" in html and "facture-qr" not in html


def _adb():
    poursuite = make_poursuite(notified_on=today() - timedelta(days=200), claim=D("2000.00"))
    start = poursuite.notification_date
    for step, days in ((EventType.CONTINUATION, 30), (EventType.AVIS_SAISIE, 40), (EventType.SAISIE_EXECUTEE, 50)):
        services.record_event(poursuite=poursuite, type=step, on=start + timedelta(days=days))
    return services.issue_adb(poursuite=poursuite, on=start + timedelta(days=100), amount=D("1500.00"))


def test_adb_shows_its_own_balance_without_interest(client):
    adb = _adb()
    services.record_payment(target=adb, on=today(), amount=D("500"))
    html = post(client, f"{adb.number:08d}", adb.key_letter, today() + timedelta(days=30)).content.decode()
    assert "Acte de défaut de biens" in html and "CHF 1&#x27;000.00" in html and "facture-qr" in html


def test_poursuite_ended_by_adb_points_to_the_adb(client):
    adb = _adb()
    html = post(client, f"{adb.poursuite.number:08d}", adb.poursuite.key_letter).content.decode()
    assert adb.reference in html and "facture-qr" not in html


def wrong_letter(poursuite) -> str:
    return "A" if poursuite.key_letter != "A" else "B"


def test_failed_lookups_are_rate_limited_per_client_with_a_french_message(client, poursuite, settings):
    settings.LOOKUP_RATE_LIMIT = 3
    for _ in range(3):
        assert post(client, f"{poursuite.number:08d}", wrong_letter(poursuite)).status_code == 200
    response = post(client, f"{poursuite.number:08d}", wrong_letter(poursuite))
    assert response.status_code == 429
    assert "Trop de consultations" in response.content.decode()
    # Once refused, even the right key letter is refused: a refusal tells nothing about the number.
    assert post(client, f"{poursuite.number:08d}", poursuite.key_letter).status_code == 429
    other = post(client, f"{poursuite.number:08d}", poursuite.key_letter, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


def test_25_successful_lookups_in_a_row_pass(client, poursuite):
    for _ in range(25):
        response = post(client, f"{poursuite.number:08d}", poursuite.key_letter)
        assert response.status_code == 200
        assert response.context["result"] is not None


@pytest.mark.parametrize(
    "number, letter",
    [
        pytest.param("00000001", "R", id="unknown number"),
        pytest.param(None, None, id="wrong key letter"),
        pytest.param("1234", "A", id="invalid form"),
    ],
)
def test_the_21st_failed_lookup_is_refused(client, poursuite, number, letter):
    number = number or f"{poursuite.number:08d}"
    letter = letter or wrong_letter(poursuite)
    assert [post(client, number, letter).status_code for _ in range(21)] == [200] * 20 + [429]


def test_a_success_does_not_reset_the_failure_count(client, poursuite):
    statuses = []
    for _ in range(19):
        statuses.append(post(client, f"{poursuite.number:08d}", wrong_letter(poursuite)).status_code)
    statuses.append(post(client, f"{poursuite.number:08d}", poursuite.key_letter).status_code)
    statuses.append(post(client, f"{poursuite.number:08d}", wrong_letter(poursuite)).status_code)  # the 20th failure
    statuses.append(post(client, f"{poursuite.number:08d}", wrong_letter(poursuite)).status_code)
    assert statuses == [200] * 21 + [429]


def test_successful_lookups_have_their_own_generous_limit(client, poursuite, settings):
    settings.LOOKUP_SUCCESS_RATE_LIMIT = 3
    for _ in range(3):
        assert post(client, f"{poursuite.number:08d}", poursuite.key_letter).status_code == 200
    response = post(client, f"{poursuite.number:08d}", poursuite.key_letter)
    assert response.status_code == 429 and response.context["result"] is None
    assert "Trop de consultations" in response.content.decode()


def test_qr_bill_downloads_as_pdf_and_svg(client, poursuite):
    html = post(client, f"{poursuite.number:08d}", poursuite.key_letter).content.decode()
    token = re.search(r"facture-qr/([^\"]+)\.pdf", html).group(1)
    pdf = client.get(reverse("paiements:qr_bill_pdf", args=[token]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    svg = client.get(reverse("paiements:qr_bill_svg", args=[token]))
    assert svg.status_code == 200 and b"<svg" in svg.content


def test_forged_or_moot_qr_bill_links_are_404(client, poursuite):
    html = post(client, f"{poursuite.number:08d}", poursuite.key_letter).content.decode()
    token = re.search(r"facture-qr/([^\"]+)\.pdf", html).group(1)
    assert client.get(reverse("paiements:qr_bill_pdf", args=[token[:-2] + "xx"])).status_code == 404
    assert client.get("/paiements/facture-qr/garbage.svg").status_code == 404
    services.record_event(poursuite=poursuite, type=EventType.CONTRORDRE, on=today())
    assert client.get(reverse("paiements:qr_bill_pdf", args=[token])).status_code == 404


def test_lookup_costs_a_small_constant_number_of_queries(client, poursuite, django_assert_max_num_queries):
    for amount in ("10", "20", "30"):
        services.record_payment(target=poursuite, on=today(), amount=D(amount))
    with django_assert_max_num_queries(1):
        post(client, f"{poursuite.number:08d}", poursuite.key_letter)


def test_other_methods_are_refused(client):
    assert client.put(URL).status_code == 405


def test_one_query_reads_the_same_balance_as_the_register_for_every_kind_of_dossier(django_assert_num_queries):
    from poursuites.demo import build_register
    from poursuites.lookup import find_dossier, lookup
    from poursuites.models import ActeDefautBiens, Poursuite

    build_register(60)
    on = today() + timedelta(days=7)
    dossiers = list(Poursuite.objects.all()) + list(ActeDefautBiens.objects.all())
    assert any(isinstance(d, ActeDefautBiens) for d in dossiers)
    for dossier in dossiers:
        with django_assert_num_queries(1):
            found = find_dossier(dossier.number, dossier.key_letter)
        assert type(found) is type(dossier) and found.pk == dossier.pk
        result = lookup(dossier.number, dossier.key_letter, on)
        if isinstance(dossier, Poursuite):
            expected = poursuite_balance(dossier, on) if result.balance else None
        else:
            from poursuites.balance import adb_balance

            expected = adb_balance(dossier, on) if result.balance else None
        assert result.balance == expected
