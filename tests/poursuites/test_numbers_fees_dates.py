from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ocp_portal.dates import deadline
from ocp_portal.formats import format_chf
from paiements.references import parse_qr_reference, qr_reference
from poursuites.fees import commandement_fee
from poursuites.numbers import is_valid, key_letter, parse_number

numbers = st.integers(min_value=10_000_000, max_value=99_999_999)


@given(number=numbers, position=st.integers(0, 7), delta=st.integers(1, 9))
def test_key_letter_catches_every_single_digit_error(number, position, delta):
    digits = list(f"{number:08d}")
    digits[position] = str((int(digits[position]) + delta) % 10)
    changed = int("".join(digits))
    assert key_letter(changed) != key_letter(number)


@given(number=numbers, position=st.integers(0, 6))
def test_key_letter_catches_every_swap_of_neighbouring_digits(number, position):
    digits = list(f"{number:08d}")
    if digits[position] == digits[position + 1]:
        return
    digits[position], digits[position + 1] = digits[position + 1], digits[position]
    assert key_letter(int("".join(digits))) != key_letter(number)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12345678", (12345678, None)),
        ("12 345 678", (12345678, None)),
        ("12.345.678", (12345678, None)),
        ("12345678-k", (12345678, "K")),
        (" 12345678 K ", (12345678, "K")),
        ("1234567", None),
        ("123456789", None),
        ("1234567a", None),
        ("", None),
    ],
)
def test_parse_number_accepts_spaces_dots_dash_any_case(text, expected):
    assert parse_number(text) == expected


def test_is_valid_checks_letter_in_any_case():
    assert is_valid(12345678, key_letter(12345678).lower())
    assert not is_valid(12345678, "A" if key_letter(12345678) != "A" else "B")


@pytest.mark.parametrize(
    "claim, fee",
    [
        ("0.01", "7.00"),
        ("100.00", "7.00"),
        ("100.01", "20.00"),
        ("500.00", "20.00"),
        ("500.01", "40.00"),
        ("1000.00", "40.00"),
        ("1000.01", "60.00"),
        ("10000.00", "60.00"),
        ("10000.01", "90.00"),
        ("100000.00", "90.00"),
        ("100000.01", "190.00"),
        ("1000000.00", "190.00"),
        ("1000000.01", "400.00"),
    ],
)
def test_commandement_fee_follows_art_16_oelp_at_each_boundary(claim, fee):
    assert commandement_fee(D(claim)) == D(fee)


@pytest.mark.parametrize(
    "start, days, expected",
    [
        (date(2026, 11, 2), 10, date(2026, 11, 12)),  # Thursday, a working day
        (date(2026, 11, 4), 10, date(2026, 11, 16)),  # Saturday -> Monday
        (date(2026, 9, 1), 10, date(2026, 9, 11)),  # Jeûne genevois Thu 10.09 -> Friday
        (date(2026, 12, 21), 10, date(2027, 1, 4)),  # 31.12 Restauration, 1.1, weekend -> Monday
    ],
)
def test_deadline_moves_to_next_working_day_in_geneva(start, days, expected):
    assert deadline(start, days) == expected


def test_amounts_are_shown_the_swiss_way():
    assert format_chf(D("1234.5")) == "CHF 1'234.50"
    assert format_chf(D("1234567")) == "CHF 1'234'567.00"
    assert format_chf(D("0.005")) == "CHF 0.01"


def test_qr_reference_has_27_digits_and_a_valid_check_digit():
    reference = qr_reference("112345678")
    assert len(reference) == 27 and parse_qr_reference(reference) == reference
    assert parse_qr_reference(" ".join([reference[:2], reference[2:]])) == reference
    wrong = reference[:-1] + str((int(reference[-1]) + 1) % 10)
    assert parse_qr_reference(wrong) is None
