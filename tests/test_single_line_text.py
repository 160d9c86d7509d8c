"""One-line text from the public refuses line breaks, control, bidi and zero-width characters."""

import pytest
from django.urls import reverse

from extraits.models import DemandeExtrait
from ocp_portal.text import MESSAGE, one_line, validate_single_line
from tests.extraits.test_workflow import FORM

pytestmark = pytest.mark.django_db
HOSTILE = {
    "newline": "Dupont\nBcc: victime@example.ch",
    "carriage-return": "Dupont\rX",
    "escape": "Dupont\x1b[31m",
    "bell": "Dupont\x07",
    "nul": "Du\x00pont",
    "tab": "Du\tpont",
    "right-to-left-override": "Dupont\u202egnp.exe",
    "zero-width-space": "Du\u200bpont",
    "bidi-isolate": "\u2066Dupont\u2069",
    "line-separator": "Dupont\u2028Martin",
}


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_validator_refuses_hostile_characters_and_one_line_removes_them(value):
    with pytest.raises(Exception, match="tient sur une ligne"):
        validate_single_line(value)
    cleaned = one_line(value)
    validate_single_line(cleaned)
    assert "Du" in cleaned


@pytest.mark.parametrize("field", ["name", "first_name", "street", "town", "address_extra"])
def test_an_extract_order_with_a_line_break_in_a_one_line_field_is_refused(client, account, field):
    client.force_login(account)
    response = client.post(reverse("extraits:order", args=["personne"]), {**FORM, field: "Genève\nBcc: x@example.ch"})
    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200 and str(MESSAGE) in html and f'id="id_{field}_error"' in html
    assert not DemandeExtrait.objects.exists()


def test_accents_apostrophes_and_hyphens_still_pass():
    for value in ("Müller-Lüdenscheidt", "D'Aubigné", "Rue de l'École 3", "Ōsaka – 大阪"):
        validate_single_line(value)
        assert one_line(value) == value
