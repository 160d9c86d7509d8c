from datetime import date, timedelta
from decimal import Decimal

import pytest

from contraventions import services
from contraventions.models import OrdonnancePenale
from ocp_portal.dates import today
from tests.factories import PersonFactory, private_person


def make_order(*, fine=Decimal("120.00"), notified_on: date | None = None, offender=None) -> OrdonnancePenale:
    """A penal order registered through the service (notified 5 days ago by default)."""
    order = services.register_order(
        offender=offender or PersonFactory(),
        offence="Stationnement sur une place réservée aux livraisons",
        fine=fine,
        notification_date=notified_on or today() - timedelta(days=5),
    )
    return OrdonnancePenale.objects.get(pk=order.pk)


def reload(order) -> OrdonnancePenale:
    return OrdonnancePenale.objects.get(pk=order.pk)


@pytest.fixture
def order(db):
    """An offender whose name no page or e-mail uses, for the tests that check it is not shown."""
    return make_order(offender=private_person())


@pytest.fixture
def overdue(db):
    """Notified 100 days ago: its 30 days to pay are long over."""
    return make_order(fine=Decimal("250.00"), notified_on=today() - timedelta(days=100))
