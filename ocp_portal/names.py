"""Comparing names typed by people with names in the register."""

import re
import unicodedata


def normalize_name(text: str) -> str:
    """`  Müller-DUPONT ` → `muller dupont`: case, accents, punctuation and spacing do not count."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(part for part in re.split(r"[^0-9a-z]+", plain) if part)
