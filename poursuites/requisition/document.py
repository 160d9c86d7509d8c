"""The réquisition as the creditor reads it: on the summary page and on the printed PDF."""

from datetime import date
from decimal import Decimal

import qrcode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from stdnum import iban as stdnum_iban

from ocp_portal.formats import format_date
from ocp_portal.pdf import render_pdf
from ocp_portal.qrcodes import qr_svg_data_uri

from ..constants import PartyKind
from . import codec
from .forms import KINDS

# The kinds as the printed form shows them, shorter than the choices of the online form.
PRINTED_KINDS = [
    ("ordinaire", _lazy("Poursuite ordinaire (par voie de saisie ou de faillite)")),
    ("gage", _lazy("Poursuite en réalisation de gage")),
]
QR_BORDER = 2  # modules of quiet zone drawn by ocp_portal.qrcodes
QR_MODULE_MM, QR_MIN_MM, QR_MAX_MM = 0.45, 38, 80


def _day(value: str) -> str:
    return format_date(date.fromisoformat(value)) if value else ""


def party_lines(party: dict) -> list[str]:
    """Name, identification and postal address of a party, one line each."""
    name = f"{party['first_name']} {party['name']}".strip() if party["kind"] == PartyKind.PHYSIQUE else party["name"]
    lines = [name]
    if party.get("birth_date"):
        lines.append(_("date de naissance : %(date)s") % {"date": _day(party["birth_date"])})
    if party.get("uid"):
        lines.append(_("IDE %(uid)s") % {"uid": party["uid"]})
    street = " ".join(part for part in (party["street"], party["house_number"]) if part)
    town = f"{party['postal_code']} {party['town']}"
    if party["country"] != "CH":
        town = f"{party['country']}-{town}"
    return [*lines, *(line for line in (street, party["address_extra"], town) if line)]


def describe(draft: dict) -> dict:
    """What the summary page and the PDF show of a complete draft or payload."""
    claims = [
        {
            "number": number,
            "amount": Decimal(claim["amount"]),
            "rate": claim["rate"],
            "from": _day(claim["from"]),
            "title": claim["title"],
        }
        for number, claim in enumerate(draft["claims"], start=1)
    ]
    representative = draft.get("representative")
    return {
        "debtor": {"kind": PartyKind(draft["debtor"]["kind"]).label, "lines": party_lines(draft["debtor"])},
        "creditor": {"kind": PartyKind(draft["creditor"]["kind"]).label, "lines": party_lines(draft["creditor"])},
        "representative": (
            {"kind": PartyKind(representative["kind"]).label, "lines": party_lines(representative)}
            if representative
            else None
        ),
        "iban": stdnum_iban.format(draft["creditor"]["iban"]),
        "kind": draft["kind"],
        "printed_kinds": [
            {"value": value, "label": label, "chosen": value == draft["kind"]} for value, label in PRINTED_KINDS
        ],
        "kind_label": dict(KINDS)[draft["kind"]],
        "claims": claims,
        "total": sum((claim["amount"] for claim in claims), Decimal("0.00")),
        "notes": draft.get("notes", ""),
    }


def qr_width_mm(code: str) -> int:
    """Printed width of the QR code: modules of 0.45 mm (0.44 mm at the largest), for a hand scanner."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)  # as ocp_portal.qrcodes makes it
    qr.add_data(code)
    modules = 17 + 4 * qr.best_fit() + 2 * QR_BORDER
    return max(QR_MIN_MM, min(QR_MAX_MM, round(modules * QR_MODULE_MM)))


def document_context(payload: dict) -> dict:
    """The context of ``pdf/requisition.html``; ``code`` is the text of the QR code."""
    code = codec.encode(payload)
    return {
        **describe(payload),
        "code": code,
        "qr_uri": qr_svg_data_uri(code),
        "qr_width_mm": qr_width_mm(code),
        "reference": codec.short_reference(payload["id"]),
        "made_on": date.fromisoformat(payload["d"]),
    }


def render_document(context: dict) -> bytes:
    return render_pdf("pdf/requisition.html", context)
