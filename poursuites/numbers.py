"""Poursuite and ADB numbers: 8 digits and a check letter (see DESIGN.md)."""

import re

KEY_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
NUMBER_MIN = 10_000_000
NUMBER_MAX = 99_999_999
NUMBER_SERIES = "poursuites"  # ocp_portal.NumberSeries: poursuites and ADB share it

_SEPARATORS = re.compile(r"[\s.\-]")


def key_letter(number: int) -> str:
    """The check letter: catches every single-digit error and swap of neighbouring digits."""
    return KEY_LETTERS[number % 23]


def format_number(number: int) -> str:
    return f"{number:08d} {key_letter(number)}"


def parse_number(text: str) -> tuple[int, str | None] | None:
    """Read `12 345.678-K`-like input: 8 digits, optionally followed by the key letter.

    Returns (number, letter or None), or None when the text is no poursuite number.
    """
    cleaned = _SEPARATORS.sub("", text or "").upper()
    match = re.fullmatch(r"(\d{8})([A-Z])?", cleaned)
    if not match:
        return None
    return int(match.group(1)), match.group(2)


def is_valid(number: int, letter: str) -> bool:
    return NUMBER_MIN <= number <= NUMBER_MAX and key_letter(number) == letter.upper()
