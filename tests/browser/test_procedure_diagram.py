"""Issue 16, « le schéma de la poursuite »: on the balance lookup's result, the diagram of the
procedure marks where the poursuite stands (« Vous êtes ici »), with its dates and deadlines; for an
ADB, the day interest stopped, its prescription and how a rachat works. In Chromium, at 1280 and
390 px: axe-core, no sideways scroll, every line of the picture inside it."""

from datetime import timedelta
from decimal import Decimal

import pytest

from ocp_portal.dates import today
from ocp_portal.formats import format_date
from poursuites import services
from poursuites.constants import EventType
from poursuites.procedure import adb_prescribes_on, continuation_from, opposition_deadline, payment_deadline
from tests.browser.test_balance_lookup import run_axe, spaced, submit_lookup
from tests.browser.test_public_guidance import DESKTOP, PHONE, no_sideways_scroll, screenshot
from tests.factories import make_poursuite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def texts(locator) -> list[str]:
    return [text.strip() for text in locator.all_text_contents()]


def lines_outside_the_picture(page) -> list[str]:
    """The SVG's text lines that do not fit inside it (SVG text does not wrap: a line too long is cut)."""
    return page.evaluate(
        """() => {
          const svg = document.querySelector('.procedure-diagram > svg').getBoundingClientRect();
          return [...document.querySelectorAll('.procedure-diagram > svg text')].filter(text => {
            const box = text.getBoundingClientRect();
            return box.left < svg.left - 0.5 || box.right > svg.right + 0.5;
          }).map(text => text.textContent);
        }"""
    )


def check_both_screens(page, name: str) -> None:
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        assert no_sideways_scroll(page), label
        assert lines_outside_the_picture(page) == [], label
        page.locator("#procedure").scroll_into_view_if_needed()
        run_axe(page)
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def test_a_notified_poursuite_shows_you_are_here_on_the_commandement_with_its_deadlines(page):
    notified = today() - timedelta(days=5)
    poursuite = make_poursuite(notified_on=notified)

    submit_lookup(page, spaced(poursuite.number), poursuite.key_letter)

    section = page.locator("#procedure")
    assert section.get_by_role("heading", name="Où en est la poursuite").is_visible()
    picture = section.get_by_role("img", name="Schéma de la poursuite")
    assert picture.is_visible()
    assert "Vous êtes ici : Commandement de payer notifié." in picture.locator("desc").text_content()

    # « Vous êtes ici » is drawn once, in the frame of the commandement de payer, above its title.
    here = section.locator(".pd-step--here")
    assert here.count() == 1
    assert texts(here.locator(".pd-title")) == ["Commandement de payer notifié"]
    label, frame, title = (
        section.locator(".pd-here-label").bounding_box(),
        section.locator(".pd-frame").bounding_box(),
        here.locator(".pd-title").first.bounding_box(),
    )
    assert section.locator(".pd-here-label text").text_content() == "Vous êtes ici"
    assert frame["y"] <= label["y"] and label["y"] + label["height"] <= title["y"] <= frame["y"] + frame["height"]
    # The steps passed are ticked, the debtor's two ways out carry their last day.
    assert section.locator(".pd-step--done .pd-title").first.text_content() == "Réquisition de poursuite"
    drawn = " ".join(texts(section.locator(".pd-date")))
    assert f"notifié le {format_date(notified)}" in drawn
    assert f"jusqu'au {format_date(opposition_deadline(notified))}" in drawn
    assert f"jusqu'au {format_date(payment_deadline(notified))}" in drawn
    assert f"dès le {format_date(continuation_from(notified))}" in drawn

    # The same in words, for a screen reader: the list says where one is.
    outline = section.locator(".procedure-diagram ol").inner_text()
    assert "Commandement de payer notifié (vous êtes ici)" in outline
    assert "Réquisition de poursuite (étape franchie)" in outline
    deadlines = section.locator("table.procedure-dates").first
    assert "Délai de paiement du débiteur (20 jours, art. 69 LP)" in deadlines.inner_text()
    assert format_date(payment_deadline(notified)) in deadlines.inner_text()

    # The link beside the stage leads to the diagram.
    page.get_by_role("link", name="voir le schéma, les dates et les délais").click()
    assert page.evaluate("() => location.hash") == "#procedure"
    check_both_screens(page, "procedure-notified")


def test_an_adb_shows_interest_stopped_its_prescription_and_the_rachat(page):
    poursuite = make_poursuite(claim=Decimal("2000.00"), notified_on=today() - timedelta(days=200))
    start = poursuite.notification_date
    for step, days in ((EventType.CONTINUATION, 30), (EventType.AVIS_SAISIE, 40), (EventType.SAISIE_EXECUTEE, 50)):
        services.record_event(poursuite=poursuite, type=step, on=start + timedelta(days=days))
    adb = services.issue_adb(poursuite=poursuite, on=start + timedelta(days=100), amount=Decimal("1500.00"))

    submit_lookup(page, spaced(adb.number), adb.key_letter)

    section = page.locator("#procedure")
    facts = section.locator(".procedure-facts").inner_text()
    assert f"Arrêtés le {format_date(adb.issued_on)}" in facts and "art. 149 al. 4 LP" in facts
    assert f"se prescrit le {format_date(adb_prescribes_on(adb.issued_on))}" in facts
    assert section.get_by_role("heading", name="Racheter un acte de défaut de biens").is_visible()
    assert texts(section.locator(".pd-step--here .pd-title")) == ["Acte de défaut de biens"]
    skipped = section.locator(".pd-step--skipped")
    assert [skipped.nth(i).get_attribute("data-step") for i in range(skipped.count())] == [
        "paiement",
        "opposition",
        "mainlevee",
        "faillite",
        "realisation",
    ]
    assert [step.get_attribute("data-step") for step in section.locator(".pd-step--done").all()] == [
        "requisition",
        "commandement",
        "continuation",
        "saisie",
    ]
    check_both_screens(page, "procedure-adb")


def test_the_generic_diagram_fits_a_phone_and_passes_axe(page, live_server, rf):
    """Without a poursuite (as on the guide's pages): every step, no « Vous êtes ici », no legend."""
    from django.contrib.auth.models import AnonymousUser
    from django.template import engines

    request = rf.get("/")
    request.user = AnonymousUser()
    html = (
        engines["django"]
        .from_string(
            '{% extends "base.html" %}{% block content %}<h1>Schéma de la poursuite</h1>'
            '{% include "poursuites/includes/procedure_diagram.html" %}{% endblock %}'
        )
        .render(request=request)
    )
    page.route("**/schema-de-la-poursuite", lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto("/schema-de-la-poursuite")
    picture = page.get_by_role("img", name="Schéma de la poursuite")
    assert picture.is_visible()
    assert page.locator(".pd-step--todo").count() == 10
    assert page.locator(".pd-frame, .pd-here-label, .procedure-legend").count() == 0
    assert len(page.locator(".procedure-diagram ol > li").all()) == 6
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        assert no_sideways_scroll(page), label
        assert lines_outside_the_picture(page) == [], label
        run_axe(page)
        screenshot(page, f"procedure-generic-{label}")
