"""Dates in templates are written by the `swiss_date` filter (ocp_portal.formats.format_date), the
one rule for `30.11.2026`, instead of Django's localised |date:"d.m.Y" (issue 17: 20 us a date)."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import engines

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load ocp %}" + source).render(context)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (date(2027, 3, 1), "01.03.2027"),
        (date(2028, 2, 29), "29.02.2028"),
        # 23:30 UTC on New Year's Eve is already the next year in Geneva: the date a reader there sees.
        (datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC")), "01.01.2027"),
        (datetime(2027, 6, 30, 23, 59, tzinfo=ZoneInfo("Europe/Zurich")), "30.06.2027"),
        # The year in four digits, as Django wrote it (strftime's %Y writes `1` on Linux): the
        # minimum-vital norms fall back to date.min.
        (date.min, "01.01.0001"),
        (date(999, 12, 31), "31.12.0999"),
        (None, ""),
        ("", ""),
    ],
)
def test_swiss_date_writes_as_django_date_filter_did(value, written):
    assert render("{{ value|swiss_date }}", value=value) == written
    assert render('{{ value|date:"d.m.Y" }}', value=value) == written


def test_no_template_writes_a_date_another_way():
    others = [
        str(path.relative_to(TEMPLATES_DIR))
        for path in TEMPLATES_DIR.rglob("*")
        if path.is_file() and '|date:"d.m.Y"' in path.read_text()
    ]
    assert others == []
