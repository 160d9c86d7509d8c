"""The bulk demo register (`seed_demo --bulk`, `make bench`): COPY on PostgreSQL, bulk_create elsewhere.

Every column the models add must be written too: a NOT NULL column left out fails on PostgreSQL only."""

import pytest

from ocp_portal.names import normalize_name
from poursuites import bulk_demo
from poursuites.balance import poursuite_balance
from poursuites.models import Party, Poursuite

pytestmark = pytest.mark.django_db


def test_the_bulk_register_writes_complete_rows_the_services_can_read():
    assert bulk_demo.build_register(120, seed=7, batch_size=50) == 120
    assert Poursuite.objects.count() == 120
    parties = list(Party.objects.filter(kind="physique"))
    assert parties and all(party.name_key == normalize_name(party.name) and party.email == "" for party in parties)
    poursuite = Poursuite.objects.order_by("number").first()
    assert poursuite_balance(poursuite, poursuite.requisition_date).total >= 0
