import re

import pytest
from django.conf import settings

PASSWORD = "motdepasse-ocp-2026"


def link_in(message, prefix: str) -> str:
    """The path of the first link of `message` under `prefix` (e.g. "/compte/confirmer/"), on PORTAL_URL."""
    match = re.search(rf"{re.escape(settings.PORTAL_URL)}({re.escape(prefix)}\S+)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def signup_data():
    return {
        "kind": "particulier",
        "email": "Nouvelle.Personne@Exemple.ch",
        "password1": "Lac-Leman-1815!",
        "password2": "Lac-Leman-1815!",
        "company_name": "",
        "uid": "",
    }
