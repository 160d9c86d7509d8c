"""The réquisition de poursuite filled online: the steps, their checks, the summary and the PDF."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from ocp_portal.dates import today
from poursuites.models import Party, Poursuite
from poursuites.requisition import codec, document, draft
from poursuites.requisition.geneva import is_in_geneva

pytestmark = pytest.mark.django_db

URLS = {
    step: reverse(f"poursuites:requisition:{step}")
    for step in ("start", "debtor", "creditor", "claims", "notes", "summary", "pdf", "restart")
}
DEBTOR = {
    "kind": "physique",
    "name": "Rochat",
    "first_name": "Léa",
    "birth_date": "1985-03-02",
    "uid": "",
    "street": "Rue de Carouge",
    "house_number": "12",
    "address_extra": "",
    "postal_code": "1205",
    "town": "Genève",
    "country": "CH",
}
CREDITOR = {
    "kind": "morale",
    "name": "Régie du Rhône SA",
    "first_name": "",
    "uid": "CHE116281710",
    "street": "Rue du Rhône",
    "house_number": "10",
    "address_extra": "",
    "postal_code": "1204",
    "town": "Genève",
    "country": "ch",
    "iban": "ch93 0076 2011 6238 5295 7",
}
REPRESENTATIVE = {
    "kind": "physique",
    "name": "Dupont",
    "first_name": "Marc",
    "uid": "",
    "street": "",
    "house_number": "",
    "address_extra": "Case postale 1234",
    "postal_code": "1211",
    "town": "Genève 3",
    "country": "CH",
}
FIRST_CLAIM = {"amount": "1'250.50", "rate": "5", "interest_from": "2025-01-31", "title": "Loyer de janvier 2025"}


def prefixed(prefix: str, data: dict) -> dict:
    return {f"{prefix}-{key}": value for key, value in data.items()}


def claims_data(*rows: dict, total: int = 10, kind: str = "ordinaire") -> dict:
    data = {
        "kind": kind,
        "claims-TOTAL_FORMS": str(total),
        "claims-INITIAL_FORMS": "0",
        "claims-MIN_NUM_FORMS": "0",
        "claims-MAX_NUM_FORMS": "10",
    }
    for index in range(total):
        row = rows[index] if index < len(rows) else {}
        for key in ("amount", "rate", "interest_from", "title"):
            data[f"claims-{index}-{key}"] = row.get(key, "")
    return data


def creditor_data(representative: dict | None = None, **changes) -> dict:
    data = {**CREDITOR, **changes}
    data.update(prefixed("rep", representative or {"country": "CH"}))
    return data


def fill(client, *, debtor=None, creditor=None, claims=None, notes="Gage : néant.") -> None:
    """Every step, each one accepted (a redirect to the next)."""
    steps = [
        ("debtor", debtor or DEBTOR, "creditor"),
        ("creditor", creditor or creditor_data(REPRESENTATIVE), "claims"),
        ("claims", claims or claims_data(FIRST_CLAIM), "notes"),
        ("notes", {"notes": notes}, "summary"),
    ]
    for step, data, following in steps:
        response = client.post(URLS[step], data)
        assert response.status_code == 302, (step, errors_of(response))
        assert response.url == URLS[following]


def errors_of(response) -> dict:
    """{field id: [messages]} of every field shown in error, read from the HTML."""
    page = response.content.decode()
    return {
        match[0]: [unescape(error) for error in re.findall(r"<li>(.*?)</li>", match[1])]
        for match in re.findall(r'<ul class="errors" id="(.*?)_error">(.*?)</ul>', page, flags=re.S)
    }


def stored(client) -> dict:
    return draft.load(client.session)


def assert_field_error(response, field_id: str, message: str) -> None:
    assert response.status_code == 200
    errors = errors_of(response)
    error_id = field_id.removesuffix("_0")  # a group of radio buttons has its errors on the group
    assert error_id in errors, errors
    assert any(message in error for error in errors[error_id]), errors[error_id]
    html = response.content.decode()
    tag = re.search(rf'<(?:input|textarea|select)[^>]*id="{field_id}"[^>]*>', html)
    assert tag, field_id
    if 'type="radio"' not in tag[0]:
        assert 'aria-invalid="true"' in tag[0]
        assert f"{field_id}_error" in tag[0]


# --- Debtor -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("postal_code", "expected"),
    [("1200", True), ("1205", True), ("1259", True), ("1290", True), ("1298", True), ("1281", True)]
    + [("1260", False), ("1282", False), ("1289", False), ("1299", False), ("1003", False), ("8001", False)],
)
def test_only_geneva_postal_codes_are_in_the_canton(postal_code, expected):
    assert is_in_geneva(country="CH", postal_code=postal_code) is expected


def test_debtor_step_saves_the_debtor_and_leads_to_the_creditor(client):
    response = client.post(URLS["debtor"], DEBTOR)
    assert response.status_code == 302 and response.url == URLS["creditor"]
    assert stored(client)["debtor"] == DEBTOR


@pytest.mark.parametrize(("postal_code", "town"), [("1260", "Nyon"), ("1003", "Lausanne"), ("8001", "Zürich")])
def test_debtor_outside_the_canton_is_sent_to_the_office_of_his_domicile(client, postal_code, town):
    response = client.post(URLS["debtor"], {**DEBTOR, "postal_code": postal_code, "town": town})
    assert_field_error(response, "id_postal_code", "office des poursuites du domicile du débiteur")
    html = response.content.decode()
    assert "Débiteur domicilié hors du canton de Genève" in html
    assert "portail des poursuites de l'Office fédéral de la justice" in html
    assert "debtor" not in stored(client)
    # He cannot go on to the next step.
    assert client.get(URLS["creditor"]).url == URLS["debtor"]


def test_debtor_abroad_cannot_continue(client):
    response = client.post(URLS["debtor"], {**DEBTOR, "postal_code": "74100", "town": "Annemasse", "country": "fr"})
    assert_field_error(response, "id_country", "domicilié à l'étranger")
    assert "Débiteur domicilié hors du canton de Genève" in response.content.decode()
    assert "debtor" not in stored(client)


def test_person_needs_a_first_name(client):
    response = client.post(URLS["debtor"], {**DEBTOR, "first_name": ""})
    assert_field_error(response, "id_first_name", "Le prénom d'une personne physique est requis.")


def test_company_uid_is_checked_and_formatted(client):
    company = {**DEBTOR, "kind": "morale", "name": "Horlogerie du Léman SA", "first_name": "", "birth_date": ""}
    response = client.post(URLS["debtor"], {**company, "uid": "CHE-116.281.711"})
    assert_field_error(response, "id_uid", "IDE invalide")

    response = client.post(URLS["debtor"], {**company, "uid": "che116281710"})
    assert response.status_code == 302
    assert stored(client)["debtor"]["uid"] == "CHE-116.281.710"


def test_debtor_needs_kind_name_street_and_a_swiss_postal_code_of_4_digits(client):
    response = client.post(URLS["debtor"], {**DEBTOR, "kind": "", "name": "", "street": "", "postal_code": "120"})
    assert_field_error(response, "id_kind_0", "personne physique ou morale")
    assert_field_error(response, "id_name", "Indiquez le nom ou la raison sociale.")
    assert_field_error(response, "id_street", "Indiquez la rue du domicile du débiteur")
    assert_field_error(response, "id_postal_code", "Un NPA suisse compte 4 chiffres.")
    # The summary at the top links each error to its field, in French.
    html = response.content.decode()
    assert 'id="form-errors"' in html
    assert '<a href="#id_street">Rue : Indiquez la rue du domicile du débiteur' in html


def test_birth_date_in_the_future_is_refused(client):
    response = client.post(URLS["debtor"], {**DEBTOR, "birth_date": (today() + timedelta(days=1)).isoformat()})
    assert_field_error(response, "id_birth_date", "dans le passé")


# --- Creditor and representative --------------------------------------------------------------


@pytest.fixture
def at_creditor(client):
    assert client.post(URLS["debtor"], DEBTOR).status_code == 302
    return client


@pytest.mark.parametrize(
    ("iban", "message"),
    [
        ("CH93 0076 2011 6238 5295 8", "IBAN invalide"),
        ("CH93 0076", "IBAN invalide"),
        ("pas un iban", "IBAN invalide"),
        ("DE89 3704 0044 0532 0130 00", "commençant par CH ou LI"),
        ("FR14 2004 1010 0505 0001 3M02 606", "commençant par CH ou LI"),
        ("CH44 3199 9123 0008 8901 2", "QR-IBAN"),
        ("", "Indiquez l'IBAN"),
    ],
)
def test_iban_must_be_a_valid_swiss_or_liechtenstein_account(at_creditor, iban, message):
    response = at_creditor.post(URLS["creditor"], creditor_data(iban=iban))
    assert_field_error(response, "id_iban", message)
    assert "creditor" not in stored(at_creditor)


def test_iban_is_kept_compact_and_shown_in_groups_of_four(at_creditor):
    assert at_creditor.post(URLS["creditor"], creditor_data(iban="li21-0881-0000-2324-013a-a")).status_code == 302
    assert stored(at_creditor)["creditor"]["iban"] == "LI21088100002324013AA"
    at_creditor.post(URLS["claims"], claims_data(FIRST_CLAIM))
    at_creditor.post(URLS["notes"], {"notes": ""})
    assert "LI21 0881 0000 2324 013A A" in at_creditor.get(URLS["summary"]).content.decode()


def test_creditor_is_normalised_and_an_empty_representative_is_none(at_creditor):
    response = at_creditor.post(URLS["creditor"], creditor_data({"kind": "morale", "country": "CH"}))
    assert response.status_code == 302
    saved = stored(at_creditor)
    assert saved["creditor"] == {
        **{key: value for key, value in CREDITOR.items() if key != "iban"},
        "birth_date": "",
        "uid": "CHE-116.281.710",
        "country": "CH",
        "iban": "CH9300762011623852957",
    }
    # A radio button cannot be unchecked without JavaScript: a kind alone is not a representative.
    assert saved["representative"] is None


def test_representative_once_started_must_be_complete(at_creditor):
    response = at_creditor.post(URLS["creditor"], creditor_data({"name": "Dupont", "country": "CH"}))
    assert_field_error(response, "id_rep-kind_0", "personne physique ou morale")
    assert_field_error(response, "id_rep-postal_code", "Indiquez le NPA.")
    assert_field_error(response, "id_rep-street", "case postale")
    assert "Représentant – NPA : Indiquez le NPA." in response.content.decode()
    assert "creditor" not in stored(at_creditor)


def test_representative_is_saved_with_the_creditor(at_creditor):
    assert at_creditor.post(URLS["creditor"], creditor_data(REPRESENTATIVE)).status_code == 302
    assert stored(at_creditor)["representative"] == {**REPRESENTATIVE, "birth_date": ""}


# --- Poursuite and claims ---------------------------------------------------------------------


@pytest.fixture
def at_claims(at_creditor):
    assert at_creditor.post(URLS["creditor"], creditor_data()).status_code == 302
    return at_creditor


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "supérieur à zéro"),
        ("0.00", "supérieur à zéro"),
        ("-50", "supérieur à zéro"),
        ("12.345", "au plus 2 décimales"),
        ("100000000", "inférieur à CHF 100'000'000"),
        ("1e12", "inférieur à CHF 100'000'000"),
        ("douze", "Saisissez un montant"),
        ("", "Indiquez le montant"),
    ],
)
def test_claim_amount_must_be_positive_with_centimes_and_below_100_millions(at_claims, amount, message):
    response = at_claims.post(URLS["claims"], claims_data({**FIRST_CLAIM, "amount": amount}))
    assert_field_error(response, "id_claims-0-amount", message)
    assert "claims" not in stored(at_claims)


def test_amounts_are_read_as_swiss_people_write_them(at_claims):
    rows = [{**FIRST_CLAIM, "amount": amount} for amount in ("1'250.50", "99 999 999.99", "12,5", "CHF 7")]
    assert at_claims.post(URLS["claims"], claims_data(*rows)).status_code == 302
    assert [claim["amount"] for claim in stored(at_claims)["claims"]] == ["1250.50", "99999999.99", "12.50", "7.00"]


def test_ten_claims_are_accepted_and_empty_rows_ignored(at_claims):
    rows = [{"amount": f"{100 + n}", "title": f"Facture n° {n}"} for n in range(1, 11)]
    assert at_claims.post(URLS["claims"], claims_data(*rows)).status_code == 302
    assert len(stored(at_claims)["claims"]) == 10

    # Rows left empty between filled ones are dropped; the order is kept.
    rows = [FIRST_CLAIM, {}, {}, {"amount": "80", "title": "Frais de rappel"}]
    assert at_claims.post(URLS["claims"], claims_data(*rows)).status_code == 302
    assert [claim["title"] for claim in stored(at_claims)["claims"]] == [FIRST_CLAIM["title"], "Frais de rappel"]


def test_an_eleventh_claim_is_impossible(at_claims):
    rows = [{"amount": "100", "title": f"Facture n° {n}"} for n in range(1, 12)]
    response = at_claims.post(URLS["claims"], claims_data(*rows, total=11))
    assert response.status_code == 200
    assert "Une réquisition compte au plus 10 créances." in response.content.decode()
    assert "claims" not in stored(at_claims)
    # The page itself offers exactly 10 rows.
    html = at_claims.get(URLS["claims"]).content.decode()
    assert 'name="claims-TOTAL_FORMS" value="10"' in html
    assert "claims-9-amount" in html and "claims-10-amount" not in html


def test_first_claim_is_required(at_claims):
    response = at_claims.post(URLS["claims"], claims_data({}, {"amount": "80", "title": "Frais"}))
    assert_field_error(response, "id_claims-0-amount", "au moins une créance est requise")
    assert_field_error(response, "id_claims-0-title", "Indiquez le titre ou la cause")


def test_titles_are_limited_to_640_then_80_characters(at_claims):
    long_first = "é" * 641
    response = at_claims.post(URLS["claims"], claims_data({**FIRST_CLAIM, "title": long_first}))
    assert_field_error(response, "id_claims-0-title", "au plus 640 caractères (actuellement 641)")

    second = {"amount": "10", "title": "x" * 81}
    response = at_claims.post(URLS["claims"], claims_data(FIRST_CLAIM, second))
    assert_field_error(response, "id_claims-1-title", "au plus 80 caractères (actuellement 81)")
    assert "Créance 2 – Titre ou cause de la créance : Le titre compte au plus 80" in response.content.decode()

    rows = [{**FIRST_CLAIM, "title": "é" * 640}, {"amount": "10", "title": "x" * 80}]
    assert at_claims.post(URLS["claims"], claims_data(*rows)).status_code == 302


def test_a_claim_needs_a_title(at_claims):
    response = at_claims.post(URLS["claims"], claims_data(FIRST_CLAIM, {"amount": "10"}))
    assert_field_error(response, "id_claims-1-title", "Indiquez le titre ou la cause de la créance.")


def test_interest_rate_without_a_date_is_an_error_on_the_date(at_claims):
    response = at_claims.post(URLS["claims"], claims_data({**FIRST_CLAIM, "interest_from": ""}))
    assert_field_error(response, "id_claims-0-interest_from", "Indiquez la date dès laquelle l'intérêt court.")
    assert "id_claims-0-rate" not in errors_of(response)


def test_interest_date_without_a_rate_takes_the_legal_rate_of_5_percent(at_claims):
    assert at_claims.post(URLS["claims"], claims_data({**FIRST_CLAIM, "rate": ""})).status_code == 302
    assert stored(at_claims)["claims"][0] == {
        "amount": "1250.50",
        "rate": "5",
        "from": "2025-01-31",
        "title": FIRST_CLAIM["title"],
    }


@pytest.mark.parametrize(
    ("rate", "since", "field", "message"),
    [
        ("101", "2025-01-31", "rate", "entre 0 et 100"),
        ("-1", "2025-01-31", "rate", "entre 0 et 100"),
        ("5.1234", "2025-01-31", "rate", "3 décimales"),
        ("5", timedelta(days=1), "interest_from", "date future"),  # tomorrow, counted when the test runs
        ("5", "31.02.2025", "interest_from", "date valide"),
    ],
)
def test_interest_rate_and_date_are_checked(at_claims, rate, since, field, message):
    if isinstance(since, timedelta):
        since = (today() + since).isoformat()
    response = at_claims.post(URLS["claims"], claims_data({**FIRST_CLAIM, "rate": rate, "interest_from": since}))
    assert_field_error(response, f"id_claims-0-{field}", message)


def test_claim_without_interest_and_swiss_date_format(at_claims):
    rows = [
        {**FIRST_CLAIM, "rate": "", "interest_from": ""},
        {**FIRST_CLAIM, "rate": "4.5", "interest_from": "01.02.2025"},
    ]
    assert at_claims.post(URLS["claims"], claims_data(*rows, kind="gage")).status_code == 302
    saved = stored(at_claims)
    assert saved["kind"] == "gage"
    assert [(claim["rate"], claim["from"]) for claim in saved["claims"]] == [("", ""), ("4.5", "2025-02-01")]


def test_kind_of_poursuite_is_required_and_the_paper_only_kinds_are_named(at_claims):
    html = at_claims.get(URLS["claims"]).content.decode()
    for text in ("effets de change (art. 177 LP)", "prestation de sûretés (art. 38 LP)", "séquestre (art. 279 LP)"):
        assert text in html
    assert "formulaire papier" in html
    response = at_claims.post(URLS["claims"], claims_data(FIRST_CLAIM, kind=""))
    assert_field_error(response, "id_kind_0", "Choisissez le type de poursuite.")


def test_notes_are_limited(at_claims):
    at_claims.post(URLS["claims"], claims_data(FIRST_CLAIM))
    response = at_claims.post(URLS["notes"], {"notes": "x" * 501})
    assert_field_error(response, "id_notes", "au plus 500 caractères")


# --- Navigation, session, summary -------------------------------------------------------------


def test_jumping_ahead_leads_to_the_first_step_left_to_fill(client):
    for step in ("creditor", "claims", "notes", "summary", "pdf"):
        assert client.get(URLS[step]).url == URLS["debtor"]
    client.post(URLS["debtor"], DEBTOR)
    for step in ("claims", "notes", "summary", "pdf"):
        assert client.get(URLS[step]).url == URLS["creditor"]
    # A POST ahead is refused the same way and saves nothing.
    assert client.post(URLS["claims"], claims_data(FIRST_CLAIM)).url == URLS["creditor"]
    assert "claims" not in stored(client)


def test_previous_steps_show_the_saved_data(client):
    fill(client)
    html = client.get(URLS["debtor"]).content.decode()
    assert 'value="Rochat"' in html and 'value="1985-03-02"' in html
    assert re.search(r'<input type="radio" name="kind" value="physique"[^>]*checked', html)
    html = client.get(URLS["creditor"]).content.decode()
    assert 'value="Régie du Rhône SA"' in html and 'value="CH9300762011623852957"' in html
    assert 'value="CHE-116.281.710"' in html
    assert 'name="rep-address_extra" value="Case postale 1234"' in html
    html = client.get(URLS["claims"]).content.decode()
    assert 'name="claims-0-amount" value="1250.50"' in html
    assert 'name="claims-0-interest_from" value="2025-01-31"' in html
    assert "Loyer de janvier 2025</textarea>" in html
    assert 'name="claims-1-amount"' in html and 'name="claims-1-amount" value=' not in html
    assert "Gage : néant.</textarea>" in client.get(URLS["notes"]).content.decode()


def test_editing_a_step_from_the_summary_goes_back_to_the_summary(client):
    fill(client)
    summary = client.get(URLS["summary"]).content.decode()
    assert f'href="{URLS["debtor"]}?retour=recapitulatif"' in summary
    response = client.post(f"{URLS['debtor']}?retour=recapitulatif", {**DEBTOR, "name": "Rochat-Favre"})
    assert response.url == URLS["summary"]
    assert "Léa Rochat-Favre" in client.get(URLS["summary"]).content.decode()


def test_summary_shows_everything_and_the_download_link(client):
    fill(client)
    response = client.get(URLS["summary"])
    html = response.content.decode()
    for text in (
        "Léa Rochat",
        "Rue de Carouge 12",
        "1205 Genève",
        "Régie du Rhône SA",
        "IDE CHE-116.281.710",
        "CH93 0076 2011 6238 5295 7",
        "Marc Dupont",
        "Case postale 1234",
        "CHF 1&#x27;250.50",
        "5 % dès le 31.01.2025",
        "Loyer de janvier 2025",
        "Gage : néant.",
        "Télécharger la réquisition (PDF)",
        "une seule fois au guichet",
        "Rue du Stand 46, Case postale 208, 1211 Genève 8",
        "datée et signée",
    ):
        assert text in html, text
    assert response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"]


def test_restart_clears_the_draft(client):
    fill(client)
    response = client.post(URLS["restart"])
    assert response.url == URLS["start"]
    assert stored(client) == {}
    assert client.get(URLS["summary"]).url == URLS["debtor"]
    assert client.get(URLS["restart"]).status_code == 405


# --- The PDF ----------------------------------------------------------------------------------


def test_pdf_carries_a_signed_code_of_all_the_data_and_a_new_id_each_time(client):
    rows = [FIRST_CLAIM, {"amount": "80", "title": "Frais de rappel"}]
    fill(client, claims=claims_data(*rows, kind="gage"))
    response = client.get(URLS["pdf"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    code = response.context["code"]
    assert code.isdigit()
    payload = codec.decode(code)
    assert payload["v"] == 1 and re.fullmatch(r"[0-9a-f]{32}", payload["id"])
    assert payload["d"] == today().isoformat()
    assert payload["debtor"] == DEBTOR
    assert payload["creditor"]["iban"] == "CH9300762011623852957"
    assert payload["creditor"]["uid"] == "CHE-116.281.710"
    assert payload["representative"]["address_extra"] == "Case postale 1234"
    assert payload["kind"] == "gage"
    assert payload["claims"] == [
        {"amount": "1250.50", "rate": "5", "from": "2025-01-31", "title": "Loyer de janvier 2025"},
        {"amount": "80.00", "rate": "", "from": "", "title": "Frais de rappel"},
    ]
    assert payload["notes"] == "Gage : néant."
    reference = codec.short_reference(payload["id"])
    assert response["Content-Disposition"] == f'attachment; filename="requisition-de-poursuite-{reference}.pdf"'

    again = codec.decode(client.get(URLS["pdf"]).context["code"])
    assert again["id"] != payload["id"]
    assert {**again, "id": payload["id"]} == payload


def test_pdf_shows_the_office_the_signature_lines_and_the_reminders(client, settings):
    fill(client)
    context = document.document_context(codec.build_payload(stored(client)))
    html = render_to_string("pdf/requisition.html", {"office": settings.OFFICE, **context})
    for text in (
        "Réquisition de poursuite",
        "Rue du Stand 46",
        "Case postale 208",
        "1211 Genève 8",
        "Lieu et date",
        "Signature du créancier ou de son représentant",
        "au moment de l'envoi de la présente réquisition papier, datée et signée",
        "Office cantonal des poursuites de Genève",
        "CH93 0076 2011 6238 5295 7",
        "CHF 1&#x27;250.50",
        context["reference"],
        "data:image/svg+xml;base64,",
    ):
        assert text in html, text
    assert codec.decode(context["code"])["debtor"] == DEBTOR


def test_the_form_writes_nothing_to_the_register(client):
    parties, poursuites = Party.objects.count(), Poursuite.objects.count()
    fill(client)
    client.get(URLS["summary"])
    client.get(URLS["pdf"])
    assert (Party.objects.count(), Poursuite.objects.count()) == (parties, poursuites)


def test_debtor_outside_the_canton_gets_only_that_error_on_the_postal_code(client):
    response = client.post(URLS["debtor"], {**DEBTOR, "postal_code": "1003", "town": "Lausanne"})
    assert errors_of(response)["id_postal_code"] == [
        "Ce NPA n'est pas dans le canton de Genève : la réquisition doit être adressée à "
        "l'office des poursuites du domicile du débiteur."
    ]


def test_an_empty_postal_code_gets_one_message(at_creditor):
    response = at_creditor.post(URLS["creditor"], creditor_data({"name": "Dupont", "country": "CH"}))
    assert errors_of(response)["id_rep-postal_code"] == ["Indiquez le NPA."]


def test_a_post_without_the_management_form_is_refused_without_error_500(at_claims):
    data = {key: value for key, value in claims_data(FIRST_CLAIM).items() if "FORMS" not in key}
    response = at_claims.post(URLS["claims"], data)
    assert response.status_code == 200
    assert 'id="form-errors"' in response.content.decode()
    assert "claims" not in stored(at_claims)


def test_home_links_to_the_form_and_the_start_page_offers_to_resume(client):
    assert URLS["start"] in client.get(reverse("home")).content.decode()
    html = client.get(URLS["start"]).content.decode()
    assert f'href="{URLS["debtor"]}">Commencer' in html
    client.post(URLS["debtor"], DEBTOR)
    html = client.get(URLS["start"]).content.decode()
    assert f'href="{URLS["creditor"]}">Reprendre la réquisition en cours' in html


def test_a_requisition_too_long_for_the_qr_code_cannot_be_downloaded(client, monkeypatch):
    fill(client)
    monkeypatch.setattr(codec, "QR_MAX_DIGITS", 100)
    html = client.get(URLS["summary"]).content.decode()
    assert "trop longs pour le code imprimé" in html
    assert URLS["pdf"] not in html
    assert client.get(URLS["pdf"]).url == URLS["summary"]
