"""The minimum vital (issue 16): the normes d'insaisissabilité of seed 004, read from settings and
checked at start-up, the estimate line by line with the seizable part, and the public calculator."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django.urls import reverse

from poursuites.checks import minimum_vital_norms_are_readable
from poursuites.minimum_vital import (
    Household,
    NormsError,
    Situation,
    configured_norms,
    estimate,
    household_contradiction,
    parse_norms,
)

pytestmark = pytest.mark.django_db
URL = reverse("poursuites:minimum_vital")
SEED_NORMS = {
    "source": "Normes d'insaisissabilité de la Chambre de surveillance",
    "valid_from": "2026-01-01",
    "base": {"seul": "1200", "monoparental": "1350", "couple": "1700"},
    "child_under_10": "400",
    "child_10_or_over": "600",
}
NEW_EDITION = {
    "source": "Normes d'insaisissabilité 2028",
    "valid_from": date(2028, 1, 1),
    "base": {"seul": "1250.50", "monoparental": 1400, "couple": Decimal("1800")},
    "child_under_10": "420",
    "child_10_or_over": "640",
}


def D(value: str) -> Decimal:
    return Decimal(value)


def text_of(response) -> str:
    """The page's main content as read: tags dropped, entities decoded, spaces collapsed."""
    main = re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main)))


# --- The figures of seed 004, in settings ------------------------------------------------------


def test_the_configured_figures_are_those_of_seed_004():
    norms = configured_norms()
    assert norms.base == {Household.SEUL: D("1200"), Household.MONOPARENTAL: D("1350"), Household.COUPLE: D("1700")}
    assert (norms.child_under_10, norms.child_10_or_over) == (D("400"), D("600"))
    assert norms.source.startswith("Normes d'insaisissabilité") and isinstance(norms.valid_from, date)


@pytest.mark.parametrize(
    "household, under_10, over_10, base_total",
    [
        ("seul", 0, 0, "1200.00"),
        ("monoparental", 1, 0, "1750.00"),  # 1'350 + 400
        ("monoparental", 0, 1, "1950.00"),  # 1'350 + 600
        ("couple", 0, 0, "1700.00"),
        ("couple", 2, 3, "4300.00"),  # 1'700 + 2 × 400 + 3 × 600
    ],
)
def test_the_base_amount_follows_the_household_and_the_children(household, under_10, over_10, base_total):
    result = estimate(Situation(household, under_10, over_10), parse_norms(SEED_NORMS))
    assert result.base_total == D(base_total)
    assert result.total == D(base_total)  # no supplement typed


def test_each_child_line_says_how_many_at_which_amount():
    result = estimate(Situation("couple", children_under_10=2, children_10_or_over=1), parse_norms(SEED_NORMS))
    base, young, older = result.base_lines
    assert (base.label, base.amount, base.count) == (
        "Base mensuelle pour un couple marié, deux personnes en partenariat enregistré ou un couple avec des enfants",
        D("1700"),
        None,
    )
    assert (young.label, young.count, young.unit, young.amount) == (
        "Entretien des enfants de moins de 10 ans",
        2,
        D("400"),
        D("800"),
    )
    assert (older.label, older.count, older.unit, older.amount) == (
        "Entretien des enfants de 10 ans et plus",
        1,
        D("600"),
        D("600"),
    )


def test_the_supplements_are_added_line_by_line_in_the_order_of_the_normes():
    situation = Situation(
        "monoparental",
        children_under_10=1,
        rent=D("1850.00"),
        health_insurance=D("612.35"),
        professional_costs=D("140"),
        alimony=D("500"),
        training_costs=D("75.50"),
    )
    result = estimate(situation, parse_norms(SEED_NORMS))
    assert [(str(line.label), line.amount) for line in result.supplement_lines] == [
        ("Loyer ou intérêts hypothécaires", D("1850.00")),
        ("Assurance maladie", D("612.35")),
        ("Dépenses indispensables à l'exercice d'une profession", D("140.00")),
        ("Pensions alimentaires versées", D("500.00")),
        ("Frais de formation des enfants", D("75.50")),
    ]
    assert result.supplements_total == D("3177.85")
    assert result.total == D("1750.00") + D("3177.85") == sum(line.amount for line in result.lines)
    assert result.seizable is None  # no income given


@pytest.mark.parametrize(
    "income, seizable",
    [("5000.00", "1800.00"), ("3200.00", "0.00"), ("3200.05", "0.05"), ("0", "0.00"), ("800", "0.00")],
)
def test_the_seizable_part_is_the_income_above_the_minimum_vital_never_below_zero(income, seizable):
    situation = Situation("seul", rent=D("1500"), health_insurance=D("500"), net_income=D(income))
    result = estimate(situation, parse_norms(SEED_NORMS))
    assert result.total == D("3200.00")
    assert result.seizable == D(seizable)


def test_taxes_have_no_field_since_the_normes_exclude_them():
    assert "tax" not in " ".join(Situation.__dataclass_fields__)


def test_a_person_living_alone_with_children_is_told_to_choose_single_parent():
    message = household_contradiction("seul", 1, 0)
    assert "monoparental" in message and "« Parent vivant seul avec un ou plusieurs enfants" in message
    with pytest.raises(ValueError, match="ménage monoparental"):
        estimate(Situation("seul", children_10_or_over=2), parse_norms(SEED_NORMS))


def test_a_single_parent_without_children_is_told_to_count_them_or_choose_alone():
    message = household_contradiction("monoparental", 0, 0)
    assert "au moins un enfant" in message and "« Personne vivant seule »" in message
    with pytest.raises(ValueError, match="au moins un enfant"):
        estimate(Situation("monoparental"), parse_norms(SEED_NORMS))


def test_a_couple_with_or_without_children_holds_together():
    assert household_contradiction("couple", 0, 0) is None
    assert household_contradiction("couple", 1, 1) is None


@pytest.mark.parametrize(
    "situation",
    [
        Situation("seul", rent=D("-1")),
        Situation("seul", net_income=D("-0.01")),
        Situation("couple", children_under_10=-1),
    ],
)
def test_negative_amounts_and_counts_are_refused(situation):
    with pytest.raises(ValueError):
        estimate(situation, parse_norms(SEED_NORMS))


@override_settings(MINIMUM_VITAL_NORMS=NEW_EDITION)
def test_a_new_edition_in_settings_changes_the_estimate_without_code():
    result = estimate(Situation("seul", net_income=D("2000")))
    assert result.total == D("1250.50") and result.seizable == D("749.50")
    result = estimate(Situation("monoparental", children_under_10=1, children_10_or_over=1))
    assert result.total == D("1400") + D("420") + D("640")
    assert result.norms.valid_from == date(2028, 1, 1)


# --- The system check refuses figures it cannot read --------------------------------------------


def without(key: str) -> dict:
    return {name: value for name, value in SEED_NORMS.items() if name != key}


@pytest.mark.parametrize(
    "norms, fault",
    [
        (None, "must be a dict"),
        ([1200, 1350, 1700], "must be a dict"),
        (without("source"), "source"),
        ({**SEED_NORMS, "valid_from": "1.1.2026"}, "valid_from"),
        (without("valid_from"), "valid_from"),
        ({**SEED_NORMS, "base": {"seul": "1200", "couple": "1700"}}, "monoparental is missing"),
        ({**SEED_NORMS, "base": {**SEED_NORMS["base"], "concubin": "850"}}, "unknown household concubin"),
        ({**SEED_NORMS, "base": {**SEED_NORMS["base"], "seul": 1200.0}}, "not 1200.0"),
        ({**SEED_NORMS, "base": {**SEED_NORMS["base"], "seul": "-1200"}}, "above zero"),
        ({**SEED_NORMS, "child_under_10": "0"}, "above zero"),
        ({**SEED_NORMS, "child_under_10": "quatre cents"}, "not an amount"),
        ({**SEED_NORMS, "child_10_or_over": "600.005"}, "more than 2 decimals"),
        ({**SEED_NORMS, "child_10_or_over": "NaN"}, "above zero"),
        (without("child_10_or_over"), "child_10_or_over"),
    ],
)
def test_the_system_check_refuses_figures_the_calculator_cannot_read(settings, norms, fault):
    settings.MINIMUM_VITAL_NORMS = norms
    errors = minimum_vital_norms_are_readable(None)
    assert errors and all(isinstance(error, Error) and error.id == "poursuites.E001" for error in errors)
    assert any(fault in error.msg for error in errors), [error.msg for error in errors]
    with pytest.raises(ImproperlyConfigured):
        configured_norms()


def test_the_system_check_lists_every_fault_at_once(settings):
    settings.MINIMUM_VITAL_NORMS = {**SEED_NORMS, "source": "", "child_under_10": "-4", "child_10_or_over": 6.5}
    assert len(minimum_vital_norms_are_readable(None)) == 3


def test_the_system_check_accepts_the_figures_of_the_settings_and_a_new_edition(settings):
    assert minimum_vital_norms_are_readable(None) == []
    settings.MINIMUM_VITAL_NORMS = NEW_EDITION
    assert minimum_vital_norms_are_readable(None) == []


def test_bad_figures_stop_manage_py_check(settings):
    settings.MINIMUM_VITAL_NORMS = {**SEED_NORMS, "base": {"seul": "1200"}}
    with pytest.raises(SystemCheckError, match="poursuites.E001"):
        call_command("check")


def test_a_missing_setting_is_reported_too(settings):
    del settings.MINIMUM_VITAL_NORMS
    assert [error.id for error in minimum_vital_norms_are_readable(None)] == ["poursuites.E001"]


def test_parse_errors_name_each_fault():
    with pytest.raises(NormsError) as caught:
        parse_norms({**SEED_NORMS, "base": "1200"})
    assert caught.value.problems == ["base: a dict of the households seul, monoparental, couple is needed"]


# --- The public page ---------------------------------------------------------------------------


def test_the_page_shows_the_figures_of_the_normes_and_says_it_is_an_estimate(client):
    response = client.get(URL)
    assert response.status_code == 200
    text = text_of(response)
    for figure in (
        "Base mensuelle pour un débiteur vivant seul CHF 1'200.00",
        "Base mensuelle pour un débiteur monoparental CHF 1'350.00",
        "ou un couple avec des enfants CHF 1'700.00",
        "Entretien des enfants de moins de 10 ans CHF 400.00 par enfant",
        "Entretien des enfants de 10 ans et plus CHF 600.00 par enfant",
        "Les impôts ne peuvent pas être pris en compte.",
        "chiffres en vigueur depuis le 01.01.2026",
    ):
        assert figure in text, figure
    for supplement in ("Loyer ou intérêts hypothécaires", "Assurance maladie", "Frais de formation des enfants"):
        assert supplement in text
    assert "Une estimation, pas une décision de l'office." in text
    assert "L'office fixe le minimum vital lors de la saisie" in text
    assert 'class="result"' not in response.content.decode() and "Le formulaire contient des erreurs" not in text


def test_the_amounts_are_posted_so_that_no_address_or_log_keeps_them(client):
    html = client.get(URL).content.decode()
    assert re.search(r'<form method="post" action="/poursuites/minimum-vital/"', html)
    assert 'name="csrfmiddlewaretoken"' in html
    query = client.get(URL, {"household": "seul", "net_income": "5000"})
    assert not query.context["form"].is_bound and query.context["result"] is None


def test_a_result_in_swiss_amounts_shows_each_line_the_total_and_the_seizable_part(client):
    query = {
        "household": "couple",
        "children_under_10": "1",
        "children_10_or_over": "2",
        "rent": "1'850.50",
        "health_insurance": "1000,50",
        "professional_costs": "CHF 120",
        "alimony": "",
        "training_costs": "80.–",
        "net_income": "7 500",
    }
    response = client.post(URL, query)
    assert response.status_code == 200
    text = text_of(response)
    assert "Votre minimum vital estimé : CHF 6'351.00 par mois" in text
    for line in (
        "ou un couple avec des enfants CHF 1'700.00",
        "Entretien des enfants de moins de 10 ans 1 × CHF 400.00 CHF 400.00",
        "Entretien des enfants de 10 ans et plus 2 × CHF 600.00 CHF 1'200.00",
        "Montant de base CHF 3'300.00",
        "Loyer ou intérêts hypothécaires CHF 1'850.50",
        "Assurance maladie CHF 1'000.50",
        "Dépenses indispensables à l'exercice d'une profession CHF 120.00",
        "Pensions alimentaires versées CHF 0.00",
        "Frais de formation des enfants CHF 80.00",
        "Suppléments CHF 3'051.00",
        "Minimum vital estimé CHF 6'351.00",
        "Revenu net mensuel CHF 7'500.00",
        "Part saisissable estimée CHF 1'149.00",
    ):
        assert line in text, line
    html = response.content.decode()
    assert re.search(r'<section class="result" id="estimation"[^>]*autofocus', html)  # read first
    assert 'value="1\'850.50"' in unescape(html)  # the form keeps what was typed, to adjust it
    # Browsers keep titles in their history: the result's has no amount (found by a review).
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith("Résultat : Estimer le minimum vital") and "CHF" not in title


def test_an_income_below_the_minimum_vital_is_not_seizable(client):
    text = text_of(client.post(URL, {"household": "seul", "rent": "1200", "net_income": "2100"}))
    assert "Part saisissable estimée CHF 0.00" in text
    assert "Votre revenu ne dépasse pas le minimum vital estimé" in text


def test_without_an_income_the_page_asks_for_it_to_show_the_seizable_part(client):
    response = client.post(URL, {"household": "seul"})
    text = text_of(response)
    assert "Votre minimum vital estimé : CHF 1'200.00 par mois" in text
    assert "Indiquez votre revenu net mensuel" in text and "Part saisissable" not in text


@override_settings(MINIMUM_VITAL_NORMS=NEW_EDITION)
def test_the_page_shows_the_figures_in_settings(client):
    text = text_of(client.post(URL, {"household": "seul"}))
    assert "Base mensuelle pour un débiteur vivant seul CHF 1'250.50" in text
    assert "Votre minimum vital estimé : CHF 1'250.50 par mois" in text
    assert "Source : Normes d'insaisissabilité 2028, chiffres en vigueur depuis le 01.01.2028." in text


def errors_of(client, query) -> dict[str, list[str]]:
    response = client.post(URL, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="form-errors"' in html and 'class="result"' not in html
    return response.context["form"].errors


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"children_under_10": "0"}, "household", "Choisissez la composition de votre ménage."),
        ({"household": "celibataire"}, "household", "Choisissez l'une des compositions de ménage proposées."),
        ({"household": "seul", "children_under_10": "2"}, "household", "ménage monoparental"),
        ({"household": "monoparental"}, "household", "au moins un enfant à charge"),
        ({"household": "couple", "children_under_10": "1000"}, "children_under_10", "Indiquez au plus 20 enfants."),
        ({"household": "couple", "children_10_or_over": "-1"}, "children_10_or_over", "ne peut pas être négatif"),
        ({"household": "couple", "children_10_or_over": "deux"}, "children_10_or_over", "nombre entier"),
        ({"household": "couple", "children_10_or_over": "1.5"}, "children_10_or_over", "nombre entier"),
        ({"household": "seul", "rent": "-500"}, "rent", "Le montant ne peut pas être négatif."),
        ({"household": "seul", "rent": "mille"}, "rent", "Saisissez un montant en francs, par exemple 1'250.50."),
        ({"household": "seul", "alimony": "12.345"}, "alimony", "au plus 2 décimales"),
        ({"household": "seul", "net_income": "9" * 40}, "net_income", "ne peut pas dépasser CHF 1'000'000.00"),
        ({"household": "seul", "net_income": "1e999999"}, "net_income", "ne peut pas dépasser CHF 1'000'000.00"),
        ({"household": "seul", "net_income": "NaN"}, "net_income", "Saisissez un montant en francs"),
        ({"household": "seul", "health_insurance": "x" * 10_000}, "health_insurance", "Saisissez un montant"),
        ({"household": "seul", "rent": "12\x00"}, "rent", "Saisissez un montant"),
    ],
)
def test_bad_input_gets_one_french_message_on_its_field_never_a_500(client, query, field, message):
    errors = errors_of(client, query)
    assert list(errors) == [field]
    assert len(errors[field]) == 1 and message in errors[field][0], errors[field]


def test_the_error_summary_links_the_household_to_its_first_radio_button(client):
    html = unescape(client.post(URL, {"household": "seul", "children_10_or_over": "1"}).content.decode())
    summary = re.search(r'<div class="alert alert--error" role="alert" id="form-errors".*?</div>', html, re.S).group(0)
    assert 'href="#id_household_0"' in summary and "Votre ménage : Vous avez indiqué des enfants" in summary
    assert 'id="id_household_0"' in html
    assert "<title>Erreur : " in html


def test_a_query_string_shows_the_empty_form(client):
    response = client.get(URL, {"utm_source": "flyer"})
    assert response.status_code == 200 and not response.context["form"].is_bound
