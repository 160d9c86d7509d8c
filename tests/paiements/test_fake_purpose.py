"""paiements on its own: a purpose of the test's making, in a swapped registry, taken through the whole
card payment (payment page, sandbox, capture, receipt) without any domain app."""

from dataclasses import dataclass, field
from decimal import Decimal as D

import pytest
from django.core import mail

from paiements.constants import PaymentState
from paiements.issuers import Issuer
from paiements.links import checkout_path
from paiements.models import Payment
from paiements.purposes import CaptureOutcome, NotPayable, Purpose, registry

pytestmark = pytest.mark.django_db
VISA_DEBIT = "4000 0566 5566 5556"


@dataclass
class Tab:
    reference: str
    due: D
    paid: list = field(default_factory=list)


class TabPurpose(Purpose):
    """A bar tab: owes `due`, takes instalments, is paid by its own issuer."""

    code, label = "tab", "Ardoise"

    def __init__(self, issuer: Issuer):
        self.tabs, self._issuer = {"T-1": Tab("T-1", D("80.00"))}, issuer

    @property
    def issuer(self) -> Issuer:
        return self._issuer

    def resolve(self, reference, *, for_update=False):
        return self.tabs.get(reference)

    def amount_due(self, obj, on):
        return obj.due - sum(obj.paid, D("0"))

    def allows_instalments(self, obj):
        return True

    def describe(self, obj):
        return f"Ardoise {obj.reference}"

    def on_captured(self, obj, payment):
        if payment.amount > self.amount_due(obj, None):
            raise NotPayable("trop")
        obj.paid.append(payment.amount)
        return CaptureOutcome(applied=payment.amount, new_balance=self.amount_due(obj, None))


@pytest.fixture
def tab_purpose(tmp_path):
    conditions = tmp_path / "conditions.txt"
    conditions.write_text("# Conditions de l'ardoise\nPayer avant de partir.\n", encoding="utf-8")
    issuer = Issuer(
        name="Buvette du Palais",
        street="Place du Bourg-de-Four",
        house_number="1",
        postal_code="1204",
        town="Genève",
        phone="+41 22 000 00 00",
        email="caisse@buvette.example",
        sender="Buvette du Palais <caisse@buvette.example>",
        conditions_file=conditions,
    )
    purpose = TabPurpose(issuer)
    with registry.swapped(purpose):
        yield purpose


def test_a_purpose_of_its_own_is_paid_by_card_under_its_issuer(client, tab_purpose, django_capture_on_commit_callbacks):
    assert registry.get("poursuite") is None  # no domain app in sight
    url = checkout_path("tab", "T-1")
    page = client.get(url).content.decode()
    assert "Conditions de l&#x27;ardoise" in page and "Buvette du Palais" in page
    to_psp = client.post(url, {"choice": "acompte", "instalment": "30", "email": "client@example.ch", "accept": "on"})
    assert to_psp.status_code == 302
    card = {"number": VISA_DEBIT, "expiry": "12/30", "security_code": "123", "holder": "Léa Rochat"}
    with django_capture_on_commit_callbacks(execute=True):
        back = client.post(to_psp["Location"], card)
    payment = Payment.objects.get()
    assert back.status_code == 302 and payment.state == PaymentState.CAPTURED
    assert tab_purpose.tabs["T-1"].paid == [D("30.00")] and payment.balance_after == D("50.00")
    (receipt,) = mail.outbox
    assert receipt.from_email == "Buvette du Palais <caisse@buvette.example>"
    assert "Acompte sur : Ardoise T-1" in receipt.body and "Office cantonal" not in receipt.body
    outcome = client.get(back["Location"]).content.decode()
    assert "caisse@buvette.example" in outcome and "comptabilite.op" not in outcome


def test_the_registry_is_restored_after_the_swap_even_on_an_error(tmp_path):
    purpose = TabPurpose(issuer=None)
    with pytest.raises(RuntimeError), registry.swapped(purpose):
        assert registry.get("tab") is purpose and registry.get("poursuite") is None
        raise RuntimeError
    assert registry.get("tab") is None and registry.get("poursuite") is not None
