from datetime import date

import pytest

from extraits import services
from tests.factories import PersonFactory

IDENTITY = {
    "kind": "physique",
    "name": "Dupont",
    "first_name": "Jeanne",
    "birth_date": date(1980, 5, 17),
    "street": "Rue de Carouge",
    "house_number": "12",
    "postal_code": "1205",
    "town": "Genève",
    "country": "CH",
}


@pytest.fixture
def jeanne(db):
    """Jeanne Dupont as the register knows her."""
    return PersonFactory(name="Dupont", first_name="Jeanne", birth_date=date(1980, 5, 17))


def order(account, **overrides):
    fields = {**IDENTITY, "purpose": "Dossier de location d'un appartement", **overrides}
    return services.create_request(account=account, **fields)


@pytest.fixture
def paid_request(account, jeanne, django_capture_on_commit_callbacks):
    """A request of `account` about Jeanne Dupont, paid (tasks run eagerly on commit)."""
    extract_request = order(account)
    with django_capture_on_commit_callbacks(execute=True):
        from django.db import transaction

        with transaction.atomic():
            services.mark_paid(extract_request, payment_reference="test-payment")
    extract_request.refresh_from_db()
    return extract_request


def make_adb(debtor, *, claim=None, amount=None):
    """A poursuite against `debtor` taken through seizure to an ADB."""
    from datetime import timedelta
    from decimal import Decimal

    from ocp_portal.dates import today
    from poursuites import services as register
    from poursuites.constants import EventType
    from tests.factories import make_poursuite

    poursuite = make_poursuite(debtor=debtor, notified_on=today() - timedelta(days=200), claim=claim or Decimal("2000"))
    start = poursuite.notification_date
    for step, days in ((EventType.CONTINUATION, 30), (EventType.AVIS_SAISIE, 40), (EventType.SAISIE_EXECUTEE, 50)):
        register.record_event(poursuite=poursuite, type=step, on=start + timedelta(days=days))
    return register.issue_adb(poursuite=poursuite, on=start + timedelta(days=100), amount=amount)
