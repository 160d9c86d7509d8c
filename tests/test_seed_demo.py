"""`make run`'s demo data: the command runs on an empty register, prints what to try, and adds nothing twice."""

import io

import pytest
from django.core.management import call_command

from contraventions.models import OrdonnancePenale
from poursuites.models import Poursuite

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def test_seed_demo_prints_what_to_try_and_adds_nothing_when_run_again():
    first = seed(count=40)
    for expected in ("Guichet :", "/poursuites/solde/", "/contraventions/", "/extraits/commander/", "Non-divulgation"):
        assert expected in first
    counts = Poursuite.objects.count(), OrdonnancePenale.objects.count()
    second = seed(count=40)
    assert "rien n'est ajouté" in second
    assert (Poursuite.objects.count(), OrdonnancePenale.objects.count()) == counts
