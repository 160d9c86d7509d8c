"""Every form that takes an amount reads it the Swiss way (issue 16, defect 2): one MoneyField."""

from decimal import Decimal

import pytest

from contraventions.admin_forms import RevisionForm
from contraventions.forms import ArrangementRequestForm
from ocp_portal.admin_actions import MoneyReceivedForm
from ocp_portal.bookkeeping import MoneySource
from ocp_portal.money_fields import MoneyField
from paiements.admin import RefundForm
from paiements.forms import INSTALMENT, CheckoutForm
from poursuites.admin_forms import FeeForm
from poursuites.requisition.forms import ClaimForm

SWISS_SPELLINGS = [
    ("150,50", Decimal("150.50")),
    ("1'000.50", Decimal("1000.50")),
    ("1’000.50", Decimal("1000.50")),
    ("1 000.50", Decimal("1000.50")),
    ("1\u202f000,50", Decimal("1000.50")),
    ("CHF 80", Decimal("80")),
    ("chf 1'200", Decimal("1200")),
    ("80.–", Decimal("80")),
    (" 99.90 ", Decimal("99.90")),
]
NONSENSE = ["quatre-vingts", "1,000.50", "12.5.3", "NaN", "Infinity", "CHF", "--5"]
INVALID = "Saisissez un montant en francs, par exemple 1'250.50."


class Owed:
    """A purpose owing CHF 5'000 with instalments, to check the checkout form on its own."""

    def allows_instalments(self, obj):
        return True

    def amount_due(self, obj, on):
        return Decimal("5000.00")


def checkout(amount):
    data = {"choice": INSTALMENT, "instalment": amount, "email": "a@b.ch", "accept": "on"}
    return CheckoutForm(data, purpose=Owed(), obj=None), "instalment"


def arrangement(amount):
    return ArrangementRequestForm({"monthly_amount": amount, "email": "a@b.ch"}), "monthly_amount"


def claim(amount):
    return ClaimForm({"amount": amount, "title": "Loyer impayé"}), "amount"


def money_received(amount):
    data = {"on": "2027-03-10", "amount": amount, "source": MoneySource.GUICHET.value}
    return MoneyReceivedForm(data), "amount"


def refund(amount):
    return RefundForm({"amount": amount, "note": "Virement 123"}), "amount"


def fee(amount):
    return FeeForm({"on": "2027-03-10", "amount": amount, "kind": "", "label": ""}), "amount"


def revision(amount):
    return RevisionForm({"on": "2027-03-10", "fine": amount, "note": "Décision"}), "fine"


FORMS = [checkout, arrangement, claim, money_received, refund, fee, revision]


@pytest.mark.parametrize("build", FORMS)
@pytest.mark.parametrize("typed, amount", SWISS_SPELLINGS)
def test_every_amount_field_accepts_swiss_spellings(build, typed, amount):
    form, name = build(typed)
    form.is_valid()
    assert name not in form.errors, form.errors
    key = "instalment_amount" if build is checkout else name
    assert form.cleaned_data[key] == amount


@pytest.mark.parametrize("build", FORMS)
@pytest.mark.parametrize("typed", NONSENSE)
def test_every_amount_field_refuses_nonsense_with_a_french_message(build, typed):
    form, name = build(typed)
    assert not form.is_valid()
    assert form.errors[name] == [INVALID]


@pytest.mark.parametrize("build", FORMS)
def test_every_amount_field_is_a_decimal_text_input(build):
    form, name = build("")
    field = form.fields[name]
    assert isinstance(field, MoneyField)
    html = str(form[name])
    assert 'type="text"' in html and 'inputmode="decimal"' in html


def test_more_than_two_decimals_and_the_bounds_are_explained():
    field = MoneyField(min_value=Decimal("10.00"), max_value=Decimal("1000"))
    for typed, message in [
        ("12.345", "Le montant compte au plus 2 décimales (les centimes)."),
        ("9,99", "Le montant doit être d'au moins CHF 10.00."),
        ("1'000.01", "Le montant ne peut pas dépasser CHF 1'000.00."),
    ]:
        with pytest.raises(Exception) as refused:
            field.clean(typed)
        assert refused.value.messages == [message]


def test_an_absurdly_large_amount_is_refused_with_the_number_of_digits():
    with pytest.raises(Exception) as refused:
        MoneyField().clean("1e400")
    assert refused.value.messages == ["Ce montant est trop élevé : il compte au plus 12 chiffres."]
