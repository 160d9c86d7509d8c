"""« Comprendre la procédure » (issue 16, seed 004): the guide for debtors and creditors, the glossary,
the legal bases and forms. Each page answers, states the law's deadlines exactly, and every link on it
leads somewhere that exists: a page that answers, an anchor that is there, a glossary term defined."""

import re
from collections import Counter
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

from poursuites.guide import content
from poursuites.requisition.geneva import FEDERAL_FORMS_URL
from tests.factories import AccountFactory
from tests.test_amounts_written_one_way import amounts_written_otherwise

pytestmark = pytest.mark.django_db
PAGES = ["poursuites:guide", "poursuites:guide_debiteur", "poursuites:guide_creancier", "poursuites:glossaire"]
PAGES += ["poursuites:bases_legales"]
GLOSSARY_URL = reverse("poursuites:glossaire")


class Page(HTMLParser):
    """The parts of a page the tests look at: its ids, and in its <main> the links, headings and the
    table of contents (the header and footer are the base layout's, tested with it)."""

    def __init__(self, html: str):
        super().__init__()
        self.links, self.ids, self.headings, self.toc = [], [], [], []
        self._heading = None
        self._in_toc = self._in_main = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        self._in_main = self._in_main or tag == "main"
        if not self._in_main:
            return
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
            if self._in_toc:
                self.toc.append(attrs["href"])
        if tag == "nav" and "toc" in attrs.get("class", "").split():
            self._in_toc = True
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = [int(tag[1]), attrs.get("id"), ""]

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main = False
        if tag == "nav":
            self._in_toc = False
        if self._heading and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], self._heading[1], " ".join(self._heading[2].split())))
            self._heading = None

    def handle_data(self, data):
        if self._heading:
            self._heading[2] += data


def get(client, url_or_name: str):
    url = reverse(url_or_name) if ":" in url_or_name and not url_or_name.startswith("/") else url_or_name
    response = client.get(url)
    return response, unescape(response.content.decode())


@pytest.fixture
def signed_in(client):
    """Some services need an account: a signed-in visitor sees them answer 200."""
    client.force_login(AccountFactory())
    return client


@pytest.mark.parametrize("name", PAGES)
def test_each_guide_page_answers_with_one_h1_and_headings_in_order(client, name):
    response, html = get(client, name)
    assert response.status_code == 200
    assert "{#" not in html and "{%" not in html and "{{" not in html, "template syntax shown as text"
    levels = [level for level, _, _ in Page(html).headings]
    assert levels[0] == 1 and levels.count(1) == 1, levels
    assert all(after <= before + 1 for before, after in zip(levels, levels[1:], strict=False)), levels


@pytest.mark.parametrize("name", PAGES)
def test_guide_pages_write_amounts_one_way(client, name):
    assert amounts_written_otherwise(client.get(reverse(name)).content.decode()) == []


@pytest.mark.parametrize("name", PAGES)
def test_guide_pages_are_read_only(client, name):
    assert client.post(reverse(name)).status_code == 405


@pytest.mark.parametrize(
    "name, sections",
    [
        ("poursuites:guide", content.GUIDE_SECTIONS),
        ("poursuites:guide_debiteur", content.DEBTOR_SECTIONS),
        ("poursuites:guide_creancier", content.CREDITOR_SECTIONS),
        ("poursuites:bases_legales", content.LEGAL_BASES_SECTIONS),
    ],
)
def test_the_table_of_contents_lists_each_section_under_its_own_heading(client, name, sections):
    page = Page(get(client, name)[1])
    assert page.toc == [f"#{section.anchor}" for section in sections]
    headings = {anchor: text for level, anchor, text in page.headings if level == 2}
    for section in sections:
        assert headings.get(section.anchor) == str(section.title), section.anchor


def test_the_debtor_page_states_the_deadlines_of_the_law(client):
    html = " ".join(get(client, "poursuites:guide_debiteur")[1].split())
    assert (
        "un délai de 20 jours depuis la date de la notification du commandement de payer est octroyé pour payer" in html
    )
    assert "un délai de 10 jours court depuis la date de la notification du commandement de payer pour faire" in html
    assert "Seul le créancier peut accorder un arrangement ou un plan de paiement." in html
    assert "continuera à être communiquée pendant 5 ans" in html
    assert "prescrit</a> par 20 ans à compter de sa délivrance" in html
    assert "les intérêts cessent de courir" in html
    assert "au plus tôt 3 mois après la notification" in html and "CHF 40.00" in html
    assert "Les impôts ne peuvent pas être pris en compte." in html
    assert "Le timbre de la poste fait foi" in html
    assert "payerRA" not in html and "payer RA" not in html


def test_the_creditor_page_states_the_deadlines_and_the_fees(client):
    html = " ".join(get(client, "poursuites:guide_creancier")[1].split())
    assert "doit être remplie puis adressée" in html and "cremplie" not in html
    assert "ce droit se périme une année après la notification du commandement de payer" in html
    assert "dans les 6 mois suivant la délivrance de l'acte de défaut de biens" in html
    assert "par 20 ans à compter de sa délivrance" in html
    for article in ("art. 79 LP", "art. 80 LP", "art. 82 LP", "art. 68 LP"):
        assert article in html
    table = html[html.index('<table class="breakdown">') : html.index("</table>")]
    assert "jusqu'à CHF 100.00" in table and "CHF 7.00" in table
    assert "plus de CHF 1'000'000.00" in table and "CHF 400.00" in table


def test_the_overview_lists_every_deadline_with_its_article(client):
    text = " ".join(get(client, "poursuites:guide")[1].split())
    table = text[text.index('<table class="deadlines">') : text.index("</table>")]
    table = " ".join(re.sub(r"<[^>]+>", " ", table).split())
    for deadline in content.DEADLINES:
        assert str(deadline.when) in table and str(deadline.articles) in table
    for fact in (
        "20 jours dès la notification du commandement de payer (art. 69 LP)",
        "10 jours dès la notification du commandement de payer (art. 74 LP)",
        "au plus tard une année après la notification",
        "6 mois dès la délivrance de l'acte de défaut de biens (art. 149 al. 3 LP)",
        "5 ans (art. 8a al. 4 LP)",
        "20 ans dès la délivrance de l'acte (art. 149a LP)",
    ):
        assert fact in table, fact


def test_the_overview_draws_the_procedure_diagram(client):
    html = get(client, "poursuites:guide")[1]
    assert (2, "schema", "Schéma de la poursuite") in Page(html).headings
    schema = html[html.index('id="schema"') : html.index('id="office"')]
    assert '<svg role="img"' in schema and "Vous êtes ici" not in schema  # the generic diagram


@pytest.mark.parametrize("name", PAGES)
def test_every_link_of_a_guide_page_leads_to_a_page_that_answers_and_an_anchor_that_exists(signed_in, name):
    html = get(signed_in, name)[1]
    page = Page(html)
    pages = {reverse(name): page}
    for href in page.links:
        if href.startswith(("tel:", "https://")):
            assert href.startswith("tel:+41") or href == FEDERAL_FORMS_URL, href
            continue
        path, fragment = urlsplit(href).path or reverse(name), urlsplit(href).fragment
        if path not in pages:
            response, target = get(signed_in, path)
            assert response.status_code == 200, (href, response.status_code)
            pages[path] = Page(target)
        if fragment:
            assert fragment in pages[path].ids, f"{href}: no element with this id"


def test_glossary_anchors_are_unique_and_every_term_is_defined_once(client):
    page = Page(get(client, "poursuites:glossaire")[1])
    duplicates = [anchor for anchor, count in Counter(page.ids).items() if count > 1]
    assert not duplicates
    assert {term.slug for term in content.TERMS} <= set(page.ids)
    assert len(content.GLOSSARY_SLUGS) == len(content.TERMS)


def test_the_glossary_is_in_alphabetical_order_accents_ignored(client):
    html = get(client, "poursuites:glossaire")[1]
    positions = [html.index(f'<dt id="{term.slug}">') for term in content.TERMS]
    names = [term.sort_key for _, term in sorted(zip(positions, content.TERMS, strict=True))]
    assert names == sorted(names)
    accented = [
        "rachat",
        "radiation",
        "realisation",
        "reconnaissance-de-dette",
        "requisition-de-poursuite",
        "retour-a-meilleure-fortune",
    ]
    assert positions_of(html, accented) == sorted(positions_of(html, accented)), "« Ré… » sorts with « Re… »"
    assert html.index('id="lettre-d"') < html.index('<dt id="delai">') < html.index('id="lettre-e"')


def positions_of(html: str, slugs: list[str]) -> list[int]:
    return [html.index(f'<dt id="{slug}">') for slug in slugs]


def test_glossary_terms_carry_their_article_and_send_back_to_the_guide(client):
    html = " ".join(get(client, "poursuites:glossaire")[1].split())
    for term in content.TERMS:
        assert term.links, f"{term.slug} links to no section"
    entry = html[html.index('<dt id="opposition">') :].split("</dd>")[0]
    assert "10 jours" in entry and "art. 74 et 75 LP" in entry
    assert f'href="{reverse("poursuites:guide_debiteur")}#opposition"' in entry
    assert "Vous êtes poursuivi : Faire opposition au commandement de payer" in entry


def test_guide_pages_link_glossary_terms_that_exist(client):
    linked = set()
    for name in ("poursuites:guide", "poursuites:guide_debiteur", "poursuites:guide_creancier"):
        for href in Page(get(client, name)[1]).links:
            if href.startswith(GLOSSARY_URL + "#"):
                linked.add(href.split("#", 1)[1])
    assert linked <= content.GLOSSARY_SLUGS
    assert {"commandement-de-payer", "opposition", "mainlevee-provisoire", "continuation", "contrordre"} <= linked
    assert {"acte-de-defaut-de-biens", "rachat", "minimum-vital", "non-divulgation", "saisie"} <= linked


@pytest.mark.parametrize("name", PAGES)
def test_each_guide_page_links_back_to_the_online_services(client, name):
    links = Page(get(client, name)[1]).links
    for service in ("poursuites:balance_lookup", "extraits:order_start", "poursuites:requisition:start"):
        assert reverse(service) in links, service
    assert reverse("poursuites:non_divulgation") in links


def test_the_debtor_page_points_to_the_minimum_vital_estimate(client):
    links = Page(get(client, "poursuites:guide_debiteur")[1]).links
    assert reverse("poursuites:minimum_vital") in links


def test_each_form_says_what_it_is_for_who_uses_it_and_where_to_find_it(client):
    html = " ".join(get(client, "poursuites:bases_legales")[1].split())
    for form in content.FORMS:
        entry = html[html.index(f'<li id="{form.slug}">') :].split("</li>")[0]
        assert str(form.name) in entry and str(form.purpose) in entry and str(form.who) in entry
        if form.online:
            assert f'href="{form.online.url}"' in entry
        if form.federal:
            assert f'href="{FEDERAL_FORMS_URL}"' in entry
    requisition = html[html.index('<li id="requisition-de-poursuite">') :].split("</li>")[0]
    assert f'href="{reverse("poursuites:requisition:start")}"' in requisition
    for text in ("RS 281.1", "RS 281.35", "Règlement sur le recouvrement des créances de l'Etat", "rsGE D 1 05.12"):
        assert text in html


def test_a_link_to_an_unknown_term_or_section_is_an_error_not_a_dead_link():
    with pytest.raises(TemplateSyntaxError):
        Template('{% load poursuites_guide %}{% term_url "sursis" %}').render(Context())
    with pytest.raises(TemplateSyntaxError):
        Template('{% load poursuites_guide %}{% section_url "debiteur:nulle-part" %}').render(Context())
    rendered = Template('{% load poursuites_guide %}{% term_url "opposition" %}').render(Context())
    assert rendered == f"{GLOSSARY_URL}#opposition"
