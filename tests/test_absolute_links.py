"""Every absolute link that leaves the portal (e-mails, the extract's PDF, letters) is built on
PORTAL_URL, whatever Host header the request that caused it came with (ocp_portal.links)."""

import io
import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from extraits import services as extracts
from extraits.rendering import verification_url
from ocp_portal.dates import today
from ocp_portal.links import absolute_url
from poursuites import tasks
from tests.extraits.conftest import IDENTITY, order
from tests.factories import PersonFactory
from tests.poursuites.test_non_divulgation import E, demande_in, make_account, opposed_poursuite

pytestmark = pytest.mark.django_db
PORTAL = "https://portail.ocp.ge.ch"
OTHER_HOST = "autre-adresse.example"
LINK = re.compile(r"https?://\S+")


@pytest.fixture(autouse=True)
def _portal(settings):
    settings.PORTAL_URL = PORTAL
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, OTHER_HOST, "testserver"]


def links(message) -> list[str]:
    found = LINK.findall(message.body)
    assert found, message.body
    return found


def assert_on_portal(message):
    for url in links(message):
        assert url.startswith(PORTAL + "/"), (url, message.subject)
        assert OTHER_HOST not in url and "testserver" not in url


def test_absolute_url_is_the_portal_url_plus_the_path_and_query():
    assert absolute_url("/extraits/verifier/", reference="AEL-1", empty="") == (
        f"{PORTAL}/extraits/verifier/?reference=AEL-1"
    )
    with pytest.raises(ValueError):
        absolute_url("//evil.example/")


def test_sign_up_e_mails_link_to_the_portal_url_not_the_request_host(client, mailoutbox, account):
    data = {"kind": "particulier", "password1": "Lac-Leman-1815!", "password2": "Lac-Leman-1815!"}
    for email in ("nouveau@exemple.ch", account.email):  # a new address, and one that has an account
        client.post(reverse("comptes:signup"), {**data, "email": email}, HTTP_HOST=OTHER_HOST)
    client.post(reverse("comptes:resend"), {"email": "nouveau@exemple.ch"}, HTTP_HOST=OTHER_HOST)
    assert len(mailoutbox) == 3
    for message in mailoutbox:
        assert_on_portal(message)


def test_password_reset_link_ignores_a_forged_host_header(client, mailoutbox, account):
    client.post(reverse("comptes:password_reset"), {"email": account.email}, HTTP_HOST=OTHER_HOST)
    (message,) = mailoutbox
    assert_on_portal(message)
    assert links(message)[0].startswith(f"{PORTAL}/compte/mot-de-passe/nouveau/")


def test_extract_e_mails_and_pdf_link_to_the_portal_url(account, mailoutbox, django_capture_on_commit_callbacks):
    PersonFactory(name="Dupont", first_name="Jeanne", birth_date=IDENTITY["birth_date"])
    extract_request = order(account)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        extracts.mark_paid(extract_request, payment_reference="test-payment")
    assert len(mailoutbox) == 2  # payment received, extract ready
    for message in mailoutbox:
        assert_on_portal(message)
    document = extract_request.documents.get()
    assert verification_url(document.reference) == f"{PORTAL}/extraits/verifier/?reference={document.reference}"
    with document.pdf.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert f"{PORTAL}/extraits/verifier/?reference={document.reference}" in "".join(text.split())


def test_non_divulgation_outcome_links_to_the_portal_url(
    django_user_model, mailoutbox, django_capture_on_commit_callbacks
):
    requester = make_account(django_user_model)
    demande = demande_in(
        opposed_poursuite(),
        requester,
        E.DELAI_EN_COURS,
        notified_on=today() - timedelta(days=25),
        deadline_on=today() - timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.non_disclosure_daily.delay().get()
    (message,) = mailoutbox
    assert_on_portal(message)
    assert f"{PORTAL}/poursuites/non-divulgation/mes-demandes/{demande.public_id}/" in links(message)
