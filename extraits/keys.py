"""Document references and access keys of extracts.

The key is shown once, on the PDF; the database keeps only an HMAC of it, keyed by a secret
of the office's, so a copy of the database does not open the extracts.
"""

import hashlib
import hmac
import re
import secrets

from django.conf import settings

from .constants import (
    ACCESS_KEY_ALPHABET,
    ACCESS_KEY_LENGTH,
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    REFERENCE_PREFIX,
)

_REFERENCE = re.compile(rf"^{REFERENCE_PREFIX}[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}$")


def new_reference() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def new_access_key() -> str:
    return "".join(secrets.choice(ACCESS_KEY_ALPHABET) for _ in range(ACCESS_KEY_LENGTH))


def hash_access_key(reference: str, key: str) -> str:
    message = f"{reference}:{key}".encode()
    return hmac.new(settings.EXTRACT_ACCESS_KEY_SECRET.encode(), message, hashlib.sha256).hexdigest()


def key_matches(document, key: str) -> bool:
    return hmac.compare_digest(document.access_key_hash, hash_access_key(document.reference, key))


def normalize_reference(text: str) -> str:
    """`ael-45rx 1kl1 p2q`, `45RX1KL1P2Q` → `AEL-45RX1KL1P2Q` (copy-paste friendly)."""
    compact = re.sub(r"[\s\u00a0]+", "", text or "").upper()
    if not compact.startswith(REFERENCE_PREFIX):
        compact = REFERENCE_PREFIX + compact.removeprefix(REFERENCE_PREFIX.rstrip("-"))
    return compact


def is_well_formed(reference: str) -> bool:
    return bool(_REFERENCE.match(reference))


def normalize_key(text: str) -> str:
    return re.sub(r"[\s\u00a0]+", "", text or "")
