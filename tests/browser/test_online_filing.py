"""Issue 19 in Chromium: a creditor files a réquisition signed with a (test) qualified signature,
a clerk registers it and records the notification, and the creditor's « Mes poursuites » and
e-mails follow. axe-core on the creditor's pages at 1280 and 390 px; screenshots with
BROWSER_SCREENSHOTS=/tmp/x (online-*.png)."""

import os
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse

from ocp_portal.dates import today
from ocp_portal.formats import format_date
from poursuites.models import Poursuite
from poursuites.requisition.models import DepotEnLigne, DepotState
from tests.browser.test_public_guidance import DESKTOP, PHONE, no_sideways_scroll, run_axe
from tests.factories import AccountFactory
from tests.poursuites.qes import make_pki, sign_pdf
from tests.poursuites.test_requisition_guichet import payload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL, PASSWORD = "regie@exemple.ch", "motdepasse-ocp-2026"


def screenshot(page, name: str) -> None:
    if folder := os.environ.get("BROWSER_SCREENSHOTS"):
        page.screenshot(path=os.path.join(folder, f"online-{name}.png"), full_page=True)


def on_both_screens(page, name: str) -> None:
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        assert no_sideways_scroll(page), (label, page.url)
        run_axe(page)
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def seed_draft(page, live_server) -> None:
    """The réquisition filled step by step (tests/browser/test_requisition.py does it by keyboard),
    put straight into this browser's session."""
    cookie = next(item for item in page.context.cookies() if item["name"] == django_settings.SESSION_COOKIE_NAME)
    store = import_module(django_settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"])
    store["requisition"] = {key: value for key, value in payload().items() if key not in ("v", "id", "d")}
    store.save()


def log_in(page) -> None:
    page.goto(reverse("comptes:login"))
    page.fill("#id_username", EMAIL)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_creditor_files_online_and_follows_the_poursuite(page, browser, live_server, clerk, settings, tmp_path):
    pki = make_pki(tmp_path / "qes")
    settings.REQUISITION_SIGNATURE_TRUST_ANCHORS = [str(pki.anchor_path)]
    AccountFactory(
        email=EMAIL,
        compte__kind="personne_morale",
        compte__company_name="Régie du Rhône SA",
        compte__uid="CHE-116.281.710",
    )
    log_in(page)
    seed_draft(page, live_server)

    # The summary offers the filing online beside the paper form.
    page.goto(reverse("poursuites:requisition:summary"))
    with page.expect_navigation():
        page.get_by_role("link", name="Déposer la réquisition en ligne").click()
    assert page.locator("h1").inner_text().endswith("Déposer la réquisition en ligne")
    assert page.input_value("#id_uid") == "CHE-116.281.710"  # the account's company
    on_both_screens(page, "file")

    # Step 1: the form to sign, signed by the creditor's (test) qualified signature.
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger la réquisition à signer (PDF)").click()
    signed = tmp_path / "requisition-signee.pdf"
    signed.write_bytes(sign_pdf(Path(download.value.path()).read_bytes(), pki))

    # Bad input first: the capacity missing, with the error summary on top.
    page.set_input_files("#id_signed_pdf", str(signed))
    with page.expect_navigation():
        page.get_by_role("button", name="Déposer la réquisition").click()
    assert "Choisissez en quelle qualité" in page.locator("#form-errors").inner_text()
    on_both_screens(page, "file-error")

    page.check("#id_qualite_1")  # pour une entreprise
    page.set_input_files("#id_signed_pdf", str(signed))
    with page.expect_navigation():
        page.get_by_role("button", name="Déposer la réquisition").click()
    filing = DepotEnLigne.objects.get()
    assert page.url.endswith(reverse("poursuites:requisition:mine_detail", args=[filing.public_id]))
    assert page.locator("#state h2").inner_text() == "Reçue"
    assert "Paul Favre" in page.locator(".refs").inner_text()  # the signer
    on_both_screens(page, "received")

    # The clerk: the queue, the check page (en vérification), « Enregistrer ».
    clerk_context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    clerk_page = clerk_context.new_page()
    clerk_page.goto(reverse("admin:login"))
    clerk_page.fill("#id_username", "clerk")
    clerk_page.fill("#id_password", "clerk-pass-2026")
    with clerk_page.expect_navigation():
        clerk_page.click("input[type=submit]")
    clerk_page.goto(reverse("admin:poursuites_depotenligne_changelist"))
    assert "Qualifiée, vérifiée : Paul Favre, Test QES SA" in clerk_page.content()
    with clerk_page.expect_navigation():
        clerk_page.get_by_role("link", name=filing.reference).click()
    assert "Signature électronique qualifiée vérifiée" in clerk_page.content()
    screenshot(clerk_page, "clerk-check")
    filing.refresh_from_db()
    assert filing.state == DepotState.EN_VERIFICATION
    with clerk_page.expect_navigation():
        clerk_page.click("input[name=enregistrer]")
    poursuite = Poursuite.objects.get()
    assert f"{poursuite} enregistrée" in clerk_page.content()

    # The clerk records the notification of the commandement de payer.
    clerk_page.goto(reverse("admin:poursuites_poursuite_action", args=[poursuite.pk, "notification"]))
    clerk_page.fill("#id_on", today().isoformat())
    with clerk_page.expect_navigation():
        clerk_page.locator("#content-main input[type=submit]").click()
    poursuite.refresh_from_db()
    assert poursuite.notification_date == today()
    clerk_context.close()

    # The creditor's page and e-mails follow.
    page.reload()
    assert page.locator("h1").inner_text() == f"Poursuite n° {poursuite.reference}"
    assert page.locator("#state h2").inner_text() == f"Commandement de payer notifié le {format_date(today())}"
    on_both_screens(page, "notified")
    # The next steps: the contrordre is possible, the continuation not yet (the procedure says why).
    next_steps = page.locator("ul.services").inner_text()
    assert "Pas possible maintenant : La continuation ne peut être requise qu'après le délai" in next_steps
    with page.expect_navigation():
        page.get_by_role("link", name="Contrordre (retrait de la poursuite)").click()
    assert page.get_by_role("link", name="Télécharger le document à signer (PDF)").is_visible()
    on_both_screens(page, "contrordre")
    page.goto(reverse("poursuites:requisition:mine"))
    assert f"Poursuite n° {poursuite.reference}" in page.locator("table").inner_text()
    on_both_screens(page, "mine")
    page.goto(reverse("comptes:home"))
    assert page.get_by_role("link", name="Mes poursuites").is_visible()

    subjects = [message.subject for message in mail.outbox if message.to == [EMAIL]]
    assert subjects == [
        f"Réquisition n° {filing.reference} reçue",
        f"Réquisition n° {filing.reference} en vérification",
        f"Réquisition n° {filing.reference} enregistrée : poursuite n° {poursuite.reference}",
        f"Poursuite n° {poursuite.reference} : commandement de payer notifié",
    ]
    assert all("Rochat" not in message.body for message in mail.outbox if message.to == [EMAIL])
