"""Issue 16, the canton's look: the footer's links on every public page, each service under its own
name (the Service des contraventions' pages never carry the OCP's hotline), the arms and the favicon,
and the accessibility statement's feedback form (eCH-0059)."""

import re
from datetime import timedelta
from decimal import Decimal as D
from html import unescape

import pytest
from django.conf import settings
from django.core import mail
from django.urls import NoReverseMatch, reverse
from stdnum.ch import esr

from ocp_portal import feedback
from ocp_portal.dates import today
from tests.contraventions.conftest import make_order

pytestmark = pytest.mark.django_db
ACCESSIBILITY_URL = reverse("accessibility")
OCP_PHONE = settings.OFFICE["phone"]
SDC_PHONE = settings.CONTRAVENTIONS["phone"]

OCP_PAGES = [
    reverse("home"),
    reverse("poursuites:balance_lookup"),
    reverse("poursuites:requisition:start"),
    reverse("extraits:verify"),
    reverse("comptes:login"),
    reverse("comptes:signup"),
]
SDC_PAGES = [
    reverse("contraventions:pay"),
    reverse("contraventions:information"),
    reverse("contraventions:arrangement"),
    reverse("contraventions:arrangement_status"),
]
SITE_PAGES = [
    reverse("contact"),
    ACCESSIBILITY_URL,
    reverse("accessibility_sent"),
    reverse("data_protection"),
    reverse("legal_notice"),
]


def html_of(response) -> str:
    return unescape(response.content.decode())


def footer_links(html: str) -> list[str]:
    footer = html.split('<footer class="site-footer">', 1)[1].split("</footer>", 1)[0]
    return re.findall(r'href="([^"]+)"', footer)


def served_by(html: str) -> str:
    return re.search(r'class="footer-service"[^>]*data-service="(\w+)"', html).group(1)


@pytest.mark.parametrize("url", OCP_PAGES + SDC_PAGES + SITE_PAGES)
def test_every_footer_link_of_a_public_page_answers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    links = footer_links(html_of(response))
    for label in ("Contact", "Accessibilité", "Protection des données", "Mentions légales"):
        assert f">{label}</a>" in html_of(response)
    pages = [link for link in links if link.startswith("/")]
    assert len(pages) >= 6
    for link in pages:
        assert client.get(link).status_code == 200, link
    assert any(link.startswith("tel:") for link in links)


@pytest.mark.parametrize("url", SDC_PAGES)
def test_the_service_des_contraventions_pages_carry_its_own_name_and_contacts(client, url):
    html = html_of(client.get(url))
    assert served_by(html) == "sdc"
    assert OCP_PHONE not in html and OCP_PHONE.replace(" ", "") not in html
    assert SDC_PHONE in html
    header = html.split("</header>", 1)[0]
    assert "Service des contraventions" in header and settings.OFFICE["name"] not in header
    assert html.count(settings.CONTRAVENTIONS["street"]) >= 1
    assert 'href="/contact/#sdc"' in html


def test_a_penal_orders_result_and_its_card_payment_page_are_the_services_too(client):
    order = make_order(fine=D("120"), notified_on=today() - timedelta(days=2))
    response = client.post(reverse("contraventions:pay"), {"reference": esr.format(order.qr_reference)})
    html = html_of(response)
    assert served_by(html) == "sdc" and OCP_PHONE not in html
    start = client.get(response.context["card_payment_url"])  # a paiements URL: the issuer decides
    assert start.status_code == 200
    html = html_of(start)
    assert served_by(html) == "sdc" and OCP_PHONE not in html and SDC_PHONE in html
    # The sandbox PSP's card page of `make run` too (found by a review: it showed the OCP's hotline).
    data = {"choice": "solde", "email": "payeur@example.ch", "accept": "on"}
    to_psp = client.post(response.context["card_payment_url"], data)
    assert to_psp.status_code == 302, html_of(to_psp)[:2000]
    html = html_of(client.get(to_psp["Location"]))
    assert served_by(html) == "sdc" and OCP_PHONE not in html


@pytest.mark.parametrize("url", OCP_PAGES)
def test_the_offices_pages_keep_its_identity_and_hotline(client, url):
    html = html_of(client.get(url))
    assert served_by(html) == "ocp"
    assert OCP_PHONE in html and SDC_PHONE not in html
    assert settings.OFFICE["name"] in html.split("</header>", 1)[0]


def test_the_contact_page_names_both_services_each_with_its_own_contacts(client):
    html = html_of(client.get(reverse("contact")))
    ocp, sdc = html.split('id="ocp"', 1)[1].split('id="sdc"', 1)
    assert OCP_PHONE in ocp and SDC_PHONE not in ocp
    assert SDC_PHONE in sdc.split("</section>", 1)[0] and "07:30" in sdc


def test_the_header_shows_the_arms_with_a_name_and_the_pages_link_the_favicon(client):
    html = html_of(client.get(reverse("home")))
    assert re.search(r'<img class="arms" src="/static/img/armoiries-geneve\.svg" alt="Armoiries de la République', html)
    assert 'rel="icon" href="/static/img/favicon.svg" type="image/svg+xml"' in html
    assert 'href="/static/img/favicon.png"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/img/favicon.ico"
    svg = (settings.BASE_DIR / "static" / "img" / "armoiries-geneve.svg").read_text()
    assert "<title" in svg and "<script" not in svg


def test_the_guides_are_linked_from_home_when_they_exist(client):
    html = html_of(client.get(reverse("home")))
    for name in ("poursuites:guide", "poursuites:glossaire", "poursuites:bases_legales", "poursuites:minimum_vital"):
        try:
            url = reverse(name)
        except NoReverseMatch:  # another part of issue 16, not there yet
            continue
        assert f'href="{url}"' in html.split("<footer", 1)[0], name


def test_the_accessibility_statement_says_status_limits_channel_and_date(client):
    html = html_of(client.get(ACCESSIBILITY_URL))
    for text in ("WCAG 2.2", "eCH-0059", "partiellement conforme", "Limites connues", "Signaler un obstacle"):
        assert text in html
    assert "Déclaration établie le 30.11.2026." in html
    assert 'action="/accessibilite/#signaler"' in html


def test_the_data_protection_page_says_what_why_how_long_and_who(client):
    html = html_of(client.get(reverse("data_protection")))
    for text in ("LIPAD", "Stripe", "Aucune donnée de carte", f"{settings.LOOKUP_RATE_WINDOW // 60} minutes"):
        assert text in html
    assert settings.OFFICE["street"] in html and settings.CONTRAVENTIONS["street"] in html


def test_the_footer_link_to_report_a_barrier_fills_in_the_page(client):
    html = html_of(client.get(reverse("poursuites:balance_lookup")))
    assert 'href="/accessibilite/?page=/poursuites/solde/#signaler"' in html
    form = client.get(ACCESSIBILITY_URL, {"page": "/poursuites/solde/"}).context["form"]
    assert form["page"].value() == "/poursuites/solde/"


def test_the_report_link_of_a_signed_page_names_its_route_not_its_token(client):
    """A signed link's token must not travel into the report's e-mail or the logs (found by a review)."""
    response = client.post(reverse("contraventions:pay"), {"reference": esr.format(make_order().qr_reference)})
    token_url = response.context["card_payment_url"]
    html = html_of(client.get(token_url))
    link = re.search(r'href="(/accessibilite/\?page=[^"#]*)#signaler"', html).group(1)
    token = token_url.rstrip("/").rsplit("/", 1)[-1]
    assert token not in unescape(link) and "%3C" in link  # the route, as « …/<signed:token>/ »


# --- The feedback form ---------------------------------------------------------------------

VALID = {
    "page": "/poursuites/solde/",
    "message": "Le lecteur d'écran n'annonce pas l'erreur de la lettre clé.",
    "name": "Léa Rochat",
    "email": "lea.rochat@example.ch",
}


def test_a_report_is_emailed_to_the_office_with_a_reply_to_and_confirmed(client, settings):
    settings.ACCESSIBILITY_FEEDBACK_EMAIL = "accessibilite@ocp.example.ch"
    response = client.post(ACCESSIBILITY_URL, VALID)
    assert response.status_code == 302 and response["Location"] == reverse("accessibility_sent")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["accessibilite@ocp.example.ch"]
    assert message.reply_to == ["lea.rochat@example.ch"]
    assert message.subject == "Accessibilité du portail : signalement — /poursuites/solde/"
    assert VALID["message"] in message.body and "Léa Rochat" in message.body
    assert "Merci : votre message a été transmis à l'office." in html_of(client.get(response["Location"]))


def test_an_anonymous_report_needs_only_a_message(client):
    response = client.post(ACCESSIBILITY_URL, {"message": "Le contraste du pied de page est trop faible."})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].reply_to == []
    assert "page non précisée" in mail.outbox[0].subject
    assert "pas de réponse souhaitée" in mail.outbox[0].body


def test_the_office_address_is_the_default_recipient():
    assert settings.OFFICE["email"] == settings.ACCESSIBILITY_FEEDBACK_EMAIL


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({**VALID, "message": ""}, "message", "Décrivez le problème rencontré."),
        ({**VALID, "email": "lea.rochat@"}, "email", "Saisissez une adresse e-mail valide"),
        ({**VALID, "message": "x" * (feedback.MESSAGE_MAX_LENGTH + 1)}, "message", "au plus 3000 caractères"),
    ],
)
def test_an_invalid_report_gets_french_errors_and_sends_nothing(client, data, field, error):
    response = client.post(ACCESSIBILITY_URL, data)
    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors[field])
    assert 'id="form-errors"' in html_of(response)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Léa\r\nBcc: victime@example.com"),
        ("email", "lea.rochat@example.ch\r\nBcc: victime@example.com"),
        ("page", "/poursuites/solde/\nBcc: victime@example.com"),
    ],
)
def test_a_header_injection_is_refused(client, field, value):
    response = client.post(ACCESSIBILITY_URL, {**VALID, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert mail.outbox == []


def test_reports_are_rate_limited_per_client(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(ACCESSIBILITY_URL, VALID).status_code == 302
    response = client.post(ACCESSIBILITY_URL, VALID)
    assert response.status_code == 429
    assert "Trop de messages envoyés depuis votre connexion." in html_of(response)
    assert len(mail.outbox) == 2


def test_a_broker_outage_says_the_report_was_not_sent(client, monkeypatch):
    monkeypatch.setattr(feedback, "enqueue", lambda task, *args: False)
    response = client.post(ACCESSIBILITY_URL, VALID)
    assert response.status_code == 503
    assert "Votre message n'a pas pu être transmis pour le moment." in html_of(response)
    assert OCP_PHONE in html_of(response)  # the other ways to reach the office


@pytest.mark.parametrize("field", ["page", "message", "name", "email"])
def test_an_overlong_field_gets_a_message_and_sends_nothing(client, field):
    value = "a" * 300 + "@example.ch" if field == "email" else "x" * 10_000
    response = client.post(ACCESSIBILITY_URL, {**VALID, field: value})
    assert response.status_code == 200 and response.context["form"].errors[field]
    assert mail.outbox == []
