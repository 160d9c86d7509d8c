from datetime import timedelta

import pytest

from ocp_portal.dates import today
from paiements import services
from paiements.conditions import current
from paiements.views import PAYER_SESSION_KEY
from tests.factories import make_poursuite


@pytest.fixture
def poursuite(db):
    return make_poursuite(notified_on=today() - timedelta(days=30))


def open_payment_for(poursuite, instalment=100):
    """A payment of `instalment` (None: the balance) on `poursuite`, payer sent to the sandbox page."""
    payment = services.create_payment(
        purpose_code="poursuite",
        reference=poursuite.reference,
        instalment=instalment,
        email="debiteur@example.ch",
        conditions_version=current()[0],
    )
    services.open_checkout(payment, return_url="http://testserver/retour", cancel_url="http://testserver/abandon")
    payment.refresh_from_db()
    return payment


@pytest.fixture
def open_payment(poursuite):
    """A CHF 100 instalment on `poursuite`, payer sent to the sandbox page."""
    return open_payment_for(poursuite)


def as_payer(client, payment):
    """This browser started `payment` (as the payment page records it in the session)."""
    session = client.session
    session[PAYER_SESSION_KEY] = [str(payment.public_id)]
    session.save()
