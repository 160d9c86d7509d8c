"""The signed code printed (as a QR code) on a réquisition de poursuite filled online.

The clerk at the guichet scans it; the scanner *types* its text into a browser field, on a Swiss
keyboard. So the text is made of digits only: no keyboard layout can garble a digit, and a QR code
holds digits in its compact numeric mode.

    91 | 01 | payload digits | signature (20 digits)

- ``91``: marks a réquisition code of the office;
- ``01``: the version of the format, two digits;
- the payload: the réquisition as compact JSON (positional lists, UTF-8), compressed with raw
  DEFLATE, then written in decimal: each 7 bytes become 17 digits (256**7 < 10**17), the last
  1 to 6 bytes 3, 5, 8, 10, 13 or 15 digits, so that the count of digits gives back the bytes;
- the signature: HMAC-SHA256, keyed with ``settings.REQUISITION_SIGNING_KEY`` (salted), of all
  the digits before it, reduced modulo 10**20 (66 bits).

``decode`` returns the payload dict of version 1 (see ``PAYLOAD_KEYS``) or raises ``InvalidCode``
with a message for the clerk. Replays are the guichet's business: every printed form carries its
own ``id`` (uuid4 hex), which the register refuses to take twice.
"""

import hmac
import json
import re
import uuid
import zlib
from datetime import date

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from ocp_portal.dates import today
from ocp_portal.models import ADDRESS_FIELDS
from ocp_portal.text import is_single_line

PREFIX = "91"
VERSION = 1
SIGNATURE_DIGITS = 20
SIGNATURE_MODULUS = 10**SIGNATURE_DIGITS
HMAC_SALT = "poursuites.requisition.codec"
# Bytes in a full chunk and digits it takes; digits taken by a last, shorter chunk of n bytes.
CHUNK_BYTES, CHUNK_DIGITS = 7, 17
TAIL_DIGITS = {n: len(str(256**n - 1)) for n in range(1, CHUNK_BYTES)}
TAIL_BYTES = {digits: n for n, digits in TAIL_DIGITS.items()}
# The most digits a QR code holds in numeric mode (version 40, error correction M).
QR_MAX_DIGITS = 5596

KINDS = ("ordinaire", "gage")
PARTY_KINDS = ("physique", "morale")
PARTY_KEYS = ("kind", "name", "first_name", "birth_date", "uid", *ADDRESS_FIELDS)
CLAIM_KEYS = ("amount", "rate", "from", "title")
PAYLOAD_KEYS = ("v", "id", "d", "debtor", "creditor", "representative", "kind", "claims", "notes")
MAX_CLAIMS = 10
_AMOUNT = re.compile(r"\d{1,9}\.\d{2}")
_RATE = re.compile(r"(\d{1,3}(\.\d{1,3})?)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class InvalidCode(Exception):
    """A code the guichet must refuse; ``str()`` is the reason, in French, for the clerk.

    ``reason`` names the kind of failure for code: ``format``, ``version`` or ``signature``.
    """

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.reason = reason


def new_id() -> str:
    """The unique id of one printed form (uuid4, 32 hex digits)."""
    return uuid.uuid4().hex


def short_reference(code_id: str) -> str:
    """The id as printed under the QR code: its first 8 hex digits, `3F2A-91C0`."""
    head = code_id[:8].upper()
    return f"{head[:4]}-{head[4:]}"


def build_payload(draft: dict, *, code_id: str | None = None, on: date | None = None) -> dict:
    """The payload (version 1) of a complete draft (see ``poursuites.requisition.draft``).

    Each call makes a new ``id`` unless one is given: every printed form is single-use.
    """
    return {
        "v": VERSION,
        "id": code_id or new_id(),
        "d": (on or today()).isoformat(),
        "debtor": {key: draft["debtor"][key] for key in PARTY_KEYS},
        "creditor": {**{key: draft["creditor"][key] for key in PARTY_KEYS}, "iban": draft["creditor"]["iban"]},
        "representative": (
            {key: draft["representative"][key] for key in PARTY_KEYS} if draft.get("representative") else None
        ),
        "kind": draft["kind"],
        "claims": [{key: claim[key] for key in CLAIM_KEYS} for claim in draft["claims"]],
        "notes": draft.get("notes", ""),
    }


# --- Encoding ---------------------------------------------------------------------------------


def encode(payload: dict) -> str:
    """The digits of the code for a payload of version 1 (``ValueError`` if it is malformed)."""
    _check_payload(payload, error=ValueError)
    wire = [
        payload["id"],
        payload["d"],
        _party_wire(payload["debtor"]),
        [*_party_wire(payload["creditor"]), payload["creditor"]["iban"]],
        _party_wire(payload["representative"]) if payload["representative"] else None,
        payload["kind"],
        [[claim[key] for key in CLAIM_KEYS] for claim in payload["claims"]],
        payload["notes"],
    ]
    raw = json.dumps(wire, ensure_ascii=False, separators=(",", ":")).encode()
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = f"{PREFIX}{VERSION:02d}{_bytes_to_digits(compressor.compress(raw) + compressor.flush())}"
    return body + _signature(body)


def decode(text: str) -> dict:
    """The payload of a code, checked; tolerates the spaces and line breaks of a scan or a paste."""
    digits = "".join(text.split())
    if not digits.isdecimal() or not digits.isascii():
        raise InvalidCode(
            _("Code illisible : un code de réquisition ne contient que des chiffres. Scannez-le à nouveau."),
            reason="format",
        )
    if len(digits) < len(PREFIX) + 2 + SIGNATURE_DIGITS or not digits.startswith(PREFIX):
        raise InvalidCode(
            _("Code illisible : ce n'est pas un code de réquisition de poursuite de l'office."), reason="format"
        )
    version = int(digits[len(PREFIX) : len(PREFIX) + 2])
    if version != VERSION:
        raise InvalidCode(
            _("Version de code non prise en charge (v%(version)s).") % {"version": version}, reason="version"
        )
    body, signature = digits[:-SIGNATURE_DIGITS], digits[-SIGNATURE_DIGITS:]
    if not hmac.compare_digest(signature, _signature(body)):
        raise InvalidCode(
            _("Signature invalide : le code a été modifié ou n'a pas été émis par l'office."), reason="signature"
        )
    try:
        raw = zlib.decompress(_digits_to_bytes(body[len(PREFIX) + 2 :]), -15)
        payload = _from_wire(json.loads(raw.decode()))
        _check_payload(payload, error=ValueError)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError, zlib.error):
        # Signed by the office, yet malformed: a bug or a leaked key, never a misread.
        raise InvalidCode(_("Code illisible : son contenu est invalide."), reason="format") from None
    _check_single_lines(payload)
    return payload


def _check_single_lines(payload: dict) -> None:
    """The parties' fields are one line each (codes printed before the form refused line breaks and
    control characters may still hold them): such a code is refused, the form is to be filled again."""
    for role in ("debtor", "creditor", "representative"):
        for value in (payload[role] or {}).values():
            if not is_single_line(value):
                raise InvalidCode(
                    _(
                        "Code refusé : une adresse ou un nom contient un retour à la ligne ou un caractère de "
                        "contrôle. Le créancier doit remplir à nouveau la réquisition."
                    ),
                    reason="text",
                )


def fits_in_qr_code(code: str) -> bool:
    return len(code) <= QR_MAX_DIGITS


def _signature(body: str) -> str:
    digest = salted_hmac(HMAC_SALT, body, secret=settings.REQUISITION_SIGNING_KEY, algorithm="sha256").digest()
    return f"{int.from_bytes(digest, 'big') % SIGNATURE_MODULUS:0{SIGNATURE_DIGITS}d}"


def _bytes_to_digits(data: bytes) -> str:
    parts = []
    for start in range(0, len(data), CHUNK_BYTES):
        chunk = data[start : start + CHUNK_BYTES]
        width = CHUNK_DIGITS if len(chunk) == CHUNK_BYTES else TAIL_DIGITS[len(chunk)]
        parts.append(f"{int.from_bytes(chunk, 'big'):0{width}d}")
    return "".join(parts)


def _digits_to_bytes(digits: str) -> bytes:
    full, tail = divmod(len(digits), CHUNK_DIGITS)
    if tail and tail not in TAIL_BYTES:
        raise ValueError("length")
    sizes = [(CHUNK_DIGITS, CHUNK_BYTES)] * full + ([(tail, TAIL_BYTES[tail])] if tail else [])
    data, position = bytearray(), 0
    for width, size in sizes:
        data += int(digits[position : position + width]).to_bytes(size, "big")
        position += width
    return bytes(data)


def _party_wire(party: dict) -> list:
    return [party[key] for key in PARTY_KEYS]


def _party_from_wire(values: list) -> dict:
    if len(values) != len(PARTY_KEYS):
        raise ValueError("party")
    return dict(zip(PARTY_KEYS, values, strict=True))


def _from_wire(wire: list) -> dict:
    code_id, day, debtor, creditor, representative, kind, claims, notes = wire
    return {
        "v": VERSION,
        "id": code_id,
        "d": day,
        "debtor": _party_from_wire(debtor),
        "creditor": {**_party_from_wire(creditor[:-1]), "iban": creditor[-1]},
        "representative": _party_from_wire(representative) if representative is not None else None,
        "kind": kind,
        "claims": [dict(zip(CLAIM_KEYS, claim, strict=True)) for claim in claims],
        "notes": notes,
    }


def _check_payload(payload: dict, *, error: type[Exception]) -> None:
    """The shape of a payload of version 1: keys, types and the few formats the guichet relies on."""

    def require(condition: bool, what: str) -> None:
        if not condition:
            raise error(f"invalid réquisition payload: {what}")

    def is_text(value) -> bool:
        return isinstance(value, str)

    def check_party(party, name: str, extra: tuple = ()) -> None:
        require(isinstance(party, dict) and set(party) == {*PARTY_KEYS, *extra}, f"{name} keys")
        require(all(is_text(party[key]) for key in party), f"{name} values")
        require(party["kind"] in PARTY_KINDS, f"{name} kind")
        require(party["birth_date"] == "" or _ISO_DATE.fullmatch(party["birth_date"]), f"{name} birth_date")

    require(isinstance(payload, dict) and set(payload) == set(PAYLOAD_KEYS), "keys")
    require(payload["v"] == VERSION, "version")
    require(is_text(payload["id"]) and re.fullmatch(r"[0-9a-f]{32}", payload["id"]) is not None, "id")
    require(is_text(payload["d"]) and _ISO_DATE.fullmatch(payload["d"]) is not None, "date")
    check_party(payload["debtor"], "debtor")
    check_party(payload["creditor"], "creditor", ("iban",))
    if payload["representative"] is not None:
        check_party(payload["representative"], "representative")
    require(payload["kind"] in KINDS, "kind")
    claims = payload["claims"]
    require(isinstance(claims, list) and 1 <= len(claims) <= MAX_CLAIMS, "claims")
    for claim in claims:
        require(isinstance(claim, dict) and set(claim) == set(CLAIM_KEYS), "claim keys")
        require(all(is_text(claim[key]) for key in CLAIM_KEYS), "claim values")
        require(_AMOUNT.fullmatch(claim["amount"]) is not None, "claim amount")
        require(_RATE.fullmatch(claim["rate"]) is not None, "claim rate")
        require(claim["from"] == "" or _ISO_DATE.fullmatch(claim["from"]) is not None, "claim from")
    require(is_text(payload["notes"]), "notes")
