"""The guichet's dossier pages at laptop widths, in Chromium: every field of the poursuite, ADB,
penal-order and extract-request pages shows its value, and the row of action buttons never covers
the page's title. Screenshots go to $OCP_SHOTS (default /tmp/shots_d) to be looked at."""

import os
import tempfile
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from contraventions.models import OrdonnancePenale
from extraits import services as extract_services
from extraits.models import DemandeExtrait
from poursuites.models import ActeDefautBiens, Poursuite
from tests.factories import AccountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("OCP_SHOTS", Path(tempfile.gettempdir()) / "shots_d"))
WIDTHS = [1280, 1366, 1440, 1024, 800]  # laptops, then a narrow window
PAGES = {
    "poursuite": Poursuite,
    "adb": ActeDefautBiens,
    "ordonnance": OrdonnancePenale,
    "extrait": DemandeExtrait,
}

# The boxes of every field's value (read-only or input) in the page's fieldsets, open ones only.
FIELD_BOXES = """() => [...document.querySelectorAll(
    '#content-main fieldset .form-row .readonly, #content-main fieldset .form-row input:not([type=hidden]),'
    + ' #content-main fieldset .form-row select:not(.select2-hidden-accessible),'
    + ' #content-main fieldset .form-row .select2, #content-main fieldset .form-row textarea'
  )].filter(element => !element.closest('details:not([open]), .empty-form'))
   .map(element => {
     element.scrollIntoView({block: 'center', inline: 'nearest'});
     const box = element.getBoundingClientRect();
     const style = getComputedStyle(element);
     const hit = document.elementFromPoint(box.left + Math.min(box.width / 2, 10), box.top + box.height / 2);
     const fieldset = element.closest('fieldset').getBoundingClientRect();
     const main = document.querySelector('#content-main').getBoundingClientRect();
     return {
       inside: box.left >= fieldset.left - 1 && box.right <= fieldset.right + 1 && fieldset.width >= main.width / 2,
       field: element.closest('.form-row').className,
       width: Math.round(box.width), height: Math.round(box.height),
       left: Math.round(box.left), right: Math.round(box.right),
       hidden: style.visibility === 'hidden' || style.display === 'none',
       seen: Boolean(hit) && (element === hit || element.contains(hit) || hit.contains(element)),
     };
   })"""
TOOLS_AND_TITLES = """() => {
  const boxes = selector => [...document.querySelectorAll(selector)].map(element => {
    const box = element.getBoundingClientRect();
    return {text: element.textContent.trim(), left: box.left, right: box.right, top: box.top, bottom: box.bottom};
  });
  return {tools: boxes('.object-tools li'), titles: boxes('#content > h1, #content > h2')};
}"""


def order_extract() -> DemandeExtrait:
    """An extract request, which the demo data leaves to the visitor."""
    return extract_services.create_request(
        account=AccountFactory(),
        kind="physique",
        name="Dupont",
        first_name="Jeanne",
        birth_date=date(1980, 5, 17),
        street="Rue de Carouge",
        house_number="12",
        postal_code="1205",
        town="Genève",
        country="CH",
        purpose="Dossier de location d'un appartement",
    )


def overlap(a, b) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.fixture
def clerk_page(page, django_user_model):
    call_command("seed_demo", count=80, stdout=open(os.devnull, "w"))  # noqa: SIM115
    order_extract()
    django_user_model.objects.create_superuser(username="chef", email="chef@ocp.ge.ch", password="guichet-2026")
    page.goto(reverse("admin:login"))
    page.fill("#id_username", "chef")
    page.fill("#id_password", "guichet-2026")
    with page.expect_navigation():
        page.click("input[type=submit]")
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_dossier_pages_show_every_field_and_keep_the_title_clear(clerk_page, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = clerk_page
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    for name, model in PAGES.items():
        obj = model.objects.order_by("pk").first()
        assert obj is not None, f"the demo data has no {name}"
        page.goto(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk]))
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        fields = page.evaluate(FIELD_BOXES)
        assert fields, f"{name}: no field found"
        for field in fields:
            if field["hidden"] or field["width"] < 1 or field["height"] < 1 or not field["seen"]:
                problems.append(f"{name} at {width}px: {field['field']} cannot be seen ({field})")
            elif not field["inside"]:
                problems.append(f"{name} at {width}px: {field['field']} sticks out of a squeezed fieldset ({field})")
            elif field["left"] < 0 or field["right"] > width:
                problems.append(f"{name} at {width}px: {field['field']} runs off the page ({field})")
        layout = page.evaluate(TOOLS_AND_TITLES)
        for tool in layout["tools"]:
            for title in layout["titles"]:
                if overlap(tool, title):
                    problems.append(f"{name} at {width}px: « {tool['text']} » covers « {title['text']} »")
    assert not problems, "\n".join(problems)
