"""The signed, digits-only code printed on a réquisition de poursuite and scanned at the guichet."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ocp_portal.dates import today
from poursuites.requisition import codec
from poursuites.requisition.codec import InvalidCode, decode, encode

PARTY = {
    "kind": "physique",
    "name": "Rochat-Müller",
    "first_name": "Léa",
    "birth_date": "1985-03-02",
    "uid": "",
    "street": "Rue de Carouge",
    "house_number": "12bis",
    "address_extra": "c/o Dupont",
    "postal_code": "1205",
    "town": "Genève",
    "country": "CH",
}
COMPANY = {
    **PARTY,
    "kind": "morale",
    "name": "Régie du Rhône SA",
    "first_name": "",
    "birth_date": "",
    "uid": "CHE-116.281.710",
}
FIRST_TITLE = (
    "Loyers impayés, décompte de chauffage et frais accessoires ; bail à loyer du 1er avril 2019 — « été » " * 7
)[:640]


def maximal_payload(**changes) -> dict:
    payload = {
        "v": 1,
        "id": codec.new_id(),
        "d": "2026-01-15",
        "debtor": PARTY,
        "creditor": {**COMPANY, "country": "FR", "postal_code": "74100", "iban": "CH9300762011623852957"},
        "representative": {**PARTY, "name": "Étude Dupont & Associés", "address_extra": "Case postale 1234"},
        "kind": "gage",
        "claims": [{"amount": "99999999.99", "rate": "12.125", "from": "2024-12-31", "title": FIRST_TITLE}]
        + [
            {"amount": f"{n}000.05", "rate": "", "from": "", "title": f"Facture n° {n} — été ".ljust(80, "é")}
            for n in range(2, 11)
        ],
        "notes": "Gage immobilier : parcelle n° 1234 de la commune de Carouge.\nDomicile élu : l'office." * 5,
    }
    payload.update(changes)
    return payload


def small_payload() -> dict:
    return maximal_payload(
        representative=None,
        kind="ordinaire",
        claims=[{"amount": "80.00", "rate": "", "from": "", "title": "Frais"}],
        notes="",
    )


def test_a_maximal_requisition_survives_the_round_trip():
    payload = maximal_payload()
    assert len(payload["claims"]) == 10 and len(payload["claims"][0]["title"]) == 640
    code = encode(payload)
    assert decode(code) == payload
    assert codec.fits_in_qr_code(code)


def test_the_code_is_digits_only_with_prefix_version_and_a_20_digit_signature():
    code = encode(maximal_payload())
    assert re.fullmatch(r"\d+", code)
    assert code.startswith("91" + "01")
    body, signature = code[:-20], code[-20:]
    assert signature == codec._signature(body)


def test_whitespace_and_line_breaks_of_a_scanner_or_a_paste_are_ignored():
    payload = small_payload()
    code = encode(payload)
    chunks = [code[i : i + 37] for i in range(0, len(code), 37)]
    typed = "  " + "\r\n".join(chunks[:3]) + "\t" + " ".join(chunks[3:]) + "\n"
    assert decode(typed) == payload


def test_every_single_altered_digit_is_refused():
    code = encode(small_payload())
    for position, digit in enumerate(code):
        altered = code[:position] + str((int(digit) + 1) % 10) + code[position + 1 :]
        with pytest.raises(InvalidCode) as refused:
            decode(altered)
        expected = "format" if position < 2 else "version" if position < 4 else "signature"
        assert refused.value.reason == expected, position


def test_swapped_digits_a_dropped_or_an_added_digit_are_refused():
    code = encode(small_payload())
    swapped = next(
        code[:i] + code[i + 1] + code[i] + code[i + 2 :] for i in range(10, len(code)) if code[i] != code[i + 1]
    )
    for altered in (swapped, code[:-1], code[:50] + code[51:], code[:50] + "7" + code[50:], code + "0"):
        with pytest.raises(InvalidCode, match="Signature invalide"):
            decode(altered)


def test_a_tampered_amount_cannot_be_signed_without_the_key():
    payload = small_payload()
    forged = encode({**payload, "claims": [{**payload["claims"][0], "amount": "80000.00"}]})
    # Splice the genuine signature onto the forged content: refused.
    with pytest.raises(InvalidCode, match="Signature invalide : le code a été modifié"):
        decode(forged[:-20] + encode(payload)[-20:])


def test_a_code_signed_with_another_key_is_refused(settings):
    code = encode(small_payload())
    settings.REQUISITION_SIGNING_KEY = "another office or a forger"
    with pytest.raises(InvalidCode) as refused:
        decode(code)
    assert refused.value.reason == "signature"
    assert str(refused.value) == "Signature invalide : le code a été modifié ou n'a pas été émis par l'office."


def test_an_unknown_version_is_refused_even_when_signed():
    code = encode(small_payload())
    body = "9102" + code[4:-20]
    with pytest.raises(InvalidCode) as refused:
        decode(body + codec._signature(body))
    assert refused.value.reason == "version"
    assert str(refused.value) == "Version de code non prise en charge (v2)."


@pytest.mark.parametrize(
    "text",
    ["", "   \n", "9101ABC", "91-01-1234", "OCPRQ0112345", "9101", "12" + "0" * 60, "٩١٠١" + "1" * 40],
)
def test_unreadable_text_is_refused_as_such(text):
    with pytest.raises(InvalidCode, match="^Code illisible") as refused:
        decode(text)
    assert refused.value.reason == "format"


def test_a_signed_code_with_a_malformed_content_is_unreadable():
    body = "9101" + codec._bytes_to_digits(b"not deflate at all")
    with pytest.raises(InvalidCode, match="Code illisible : son contenu est invalide."):
        decode(body + codec._signature(body))


@pytest.mark.parametrize(
    "changes",
    [
        {"v": 2},
        {"id": "not-a-uuid"},
        {"d": "15.01.2026"},
        {"kind": "saisie"},
        {"claims": []},
        {"claims": [{"amount": "1.00", "rate": "", "from": "", "title": "x"}] * 11},
        {"claims": [{"amount": "1.5", "rate": "", "from": "", "title": "x"}]},
        {"claims": [{"amount": "1.00", "rate": "", "title": "x"}]},
        {"debtor": {**PARTY, "kind": "société"}},
        {"creditor": PARTY},
        {"notes": None},
    ],
)
def test_encode_refuses_a_malformed_payload(changes):
    with pytest.raises(ValueError, match="invalid réquisition payload"):
        encode(maximal_payload(**changes))


def test_build_payload_gives_each_printed_form_its_own_id():
    draft = {key: value for key, value in small_payload().items() if key not in ("v", "id", "d")}
    first, second = codec.build_payload(draft), codec.build_payload(draft)
    assert first["id"] != second["id"]
    assert re.fullmatch(r"[0-9a-f]{32}", first["id"])
    assert first["d"] == today().isoformat()
    assert {**first, "id": second["id"]} == second
    assert decode(encode(first)) == first
    assert codec.short_reference("3f2a91c0" + "0" * 24) == "3F2A-91C0"


@given(st.binary(max_size=64))
def test_bytes_to_digits_is_reversible(data):
    digits = codec._bytes_to_digits(data)
    assert digits.isdigit() or data == b""
    assert codec._digits_to_bytes(digits) == data
