"""Every page of the guichet speaks French and writes dates the Swiss way: a walk through every
admin list and change page of the demo register fails on a header or label that Django derived
from an English field name, on an ISO date, and on « de » before a vowel in a title."""

import os
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils.text import capfirst

from ocp_portal.admin_amounts import SwissAmountsMixin, is_amount
from tests.browser.test_admin_layout import order_extract

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
COMMA_DECIMAL = re.compile(r"\b\d+,\d{2}\b")
# An amount is written « CHF 1'234.50 »; a bare « 780.17 » is a DecimalField Django printed as is.
BARE_AMOUNT = re.compile(r"(?<![\d.'’])(?<!CHF )(?<!CHF\xa0)\d[\d'’]*\.\d{2}(?![\d.])(?!\s?%)")
MISSING_ELISION = re.compile(r"\b[Dd]e [aeiouyàâéèêëîïôûAEIOUYÉÈ]")
# Words Django shows when a verbose name is missing; none of them is French.
ENGLISH_WORDS = re.compile(
    r"\b(by|at|id|created|updated|display|public|decided|issued|recorded|name|amount|kind|state|"
    r"status|reference|received|sent|expires|key|session|card|funding|last4|url)\b",
    re.IGNORECASE,
)
SKIPPED_TAGS = {"script", "style", "textarea"}
# django-axes names its log entries itself, « Access Log for chef @ 2027-03-10 09:00:02+00:00 »:
# its pages are checked for labels, not for dates.
FOREIGN_OBJECT_NAMES = {"axes"}


class _Page(HTMLParser):
    """The page's visible text, its titles, and the texts of its column headers and labels."""

    def __init__(self):
        super().__init__()
        self.text, self.headings, self.titles = [], [], []
        self._open = []  # [tag, [text]] of the headers, labels and titles being read
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self._skipping += 1
        if tag in {"th", "label", "h1", "h2", "h3", "title"}:
            self._open.append([tag, []])

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS:
            self._skipping -= 1
        if self._open and self._open[-1][0] == tag:
            opened, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            (self.titles if opened in {"h1", "title"} else self.headings).append(text)

    def handle_data(self, data):
        if self._skipping:
            return
        self.text.append(data)
        for _tag, parts in self._open:
            parts.append(data)


def read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def english_defaults(model, model_admin) -> set[str]:
    """The labels Django would show had nobody named the fields in French."""
    names = {field.name for field in model._meta.get_fields()}
    names |= {name for name in model_admin.list_display if isinstance(name, str)}
    names |= {name for name in model_admin.readonly_fields if isinstance(name, str)}
    defaults = set()
    for name in names - {"__str__", "action_checkbox"}:
        default = name.replace("_", " ")
        french = {str(label_for_field(name, model, model_admin)).lower()}
        if default.lower() not in french or ENGLISH_WORDS.search(default):
            defaults.add(default.lower())
    return defaults


def faults(html: str, model, model_admin) -> list[str]:
    page = read(html)
    english = english_defaults(model, model_admin)
    found = []
    for heading in page.headings:
        label = heading.rstrip(" :").strip().lower()
        if label in english or ENGLISH_WORDS.fullmatch(label):
            found.append(f"English label « {heading} »")
    text = " ".join(page.text)
    if model._meta.app_label not in FOREIGN_OBJECT_NAMES:
        found += [f"ISO date {match}" for match in ISO_DATE.findall(text)]
    found += [f"decimal comma {match}" for match in COMMA_DECIMAL.findall(text)]
    found += [f"amount without CHF {match}" for match in BARE_AMOUNT.findall(text)]
    found += [f"no elision in « {title} »" for title in page.titles if MISSING_ELISION.search(title)]
    return found


@pytest.fixture
def clerk_client(client, django_user_model):
    call_command("seed_demo", count=80, stdout=open(os.devnull, "w"))  # noqa: SIM115
    order_extract()
    user = django_user_model.objects.create_superuser(username="chef", email="chef@ocp.ge.ch", password="x")
    client.force_login(user)
    client.user = user
    return client


def test_every_admin_list_and_change_page_is_french_with_swiss_dates(clerk_client):
    request = RequestFactory().get("/")
    request.user = clerk_client.user
    problems = []
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls = [reverse(f"{prefix}_changelist")]
        obj = model_admin.get_queryset(request).order_by("pk").first()
        if obj is not None:
            urls.append(reverse(f"{prefix}_change", args=[obj.pk]))
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"{prefix}_add"))
        for url in urls:
            response = clerk_client.get(url)
            assert response.status_code == 200, url
            problems += [f"{url}: {fault}" for fault in faults(response.content.decode(), model, model_admin)]
    assert not problems, "\n".join(problems)


def test_every_field_has_a_french_verbose_name():
    untranslated = []
    for model, _model_admin in admin.site._registry.items():
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or field.auto_created:
                continue
            if field.verbose_name == field.name.replace("_", " ") and ENGLISH_WORDS.search(str(field.verbose_name)):
                untranslated.append(f"{model._meta.label}.{field.name}")
    assert not untranslated


def test_every_admin_showing_money_writes_it_the_swiss_way():
    """The walk above sees the demo's first rows only; this holds for every admin to come."""

    def shows_money(model, model_admin) -> bool:
        shown = [model, *(inline.model for inline in model_admin.inlines)]
        return any(is_amount(m, f.name) for m in shown for f in m._meta.get_fields())

    plain = [
        type(model_admin).__qualname__
        for model, model_admin in admin.site._registry.items()
        if shows_money(model, model_admin) and not isinstance(model_admin, SwissAmountsMixin)
    ]
    assert not plain


def test_amount_columns_keep_their_label_and_sort(clerk_client):
    url = reverse("admin:poursuites_poursuite_changelist")
    columns = [getattr(c, "__name__", c) for c in clerk_client.get(url).context["cl"].list_display]
    response = clerk_client.get(url, {"o": f"-{columns.index('claim_amount')}"})
    page = read(response.content.decode())
    assert "Montant du commandement de payer" in page.headings
    amounts = [Decimal(a.replace("'", "")) for a in re.findall(r"CHF ([\d']+\.\d{2})", " ".join(page.text))]
    assert len(amounts) >= 20 and amounts == sorted(amounts, reverse=True)


def test_change_titles_elide_de_before_a_vowel(clerk_client):
    from contraventions.models import OrdonnancePenale

    order = OrdonnancePenale.objects.first()
    response = clerk_client.get(reverse("admin:contraventions_ordonnancepenale_change", args=[order.pk]))
    titles = read(response.content.decode()).titles
    assert any(title.startswith(capfirst("Modification d’ordonnance pénale")) for title in titles), titles
