"""Who takes the money: the Office cantonal des poursuites, or the Service des contraventions.

A purpose names its issuer; the payment page shows the issuer's conditions of payment, and the outcome
page, the receipt and its e-mail carry the issuer's name, address, contact and sender, never another's.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from . import conditions


@dataclass(frozen=True)
class Issuer:
    name: str
    street: str
    house_number: str
    postal_code: str
    town: str
    phone: str
    email: str  # where a payer writes about a payment ("" when the service publishes no address)
    sender: str  # the From: of its receipts
    conditions_file: Path
    qr_iban: str = ""  # the account its QR-bills credit
    iban: str = ""  # the account for transfers without a QR-bill (from abroad), with its bank's BIC
    bic: str = ""
    creditor_name: str = ""  # its name as a QR-bill's creditor, when longer than `name`
    post_box: str = ""
    country: str = "CH"

    def conditions(self) -> tuple[str, tuple[conditions.Block, ...]]:
        """(version, blocks) of the conditions of payment in force."""
        return conditions.read(self.conditions_file)

    def qr_creditor(self) -> dict:
        """Its structured (type S) address, as the creditor of a QR-bill."""
        return {
            "name": self.creditor_name or self.name,
            "street": self.street,
            "house_num": self.house_number,
            "pcode": self.postal_code,
            "city": self.town,
            "country": self.country,
        }


def from_settings(data: dict, *, sender: str, conditions_file: Path, qr_iban: str = "") -> Issuer:
    """An issuer from an address block of the settings (settings.OFFICE, settings.CONTRAVENTIONS)."""
    fields = ("name", "street", "house_number", "postal_code", "town", "phone", "post_box", "country", "creditor_name")
    return Issuer(
        **{field: data[field] for field in fields if field in data and data[field]},
        qr_iban=data.get("qr_iban") or qr_iban,
        iban=data.get("bank", {}).get("iban", ""),
        bic=data.get("bank", {}).get("bic", ""),
        email=data.get("email", ""),
        sender=sender,
        conditions_file=conditions_file,
    )


def office() -> Issuer:
    """The Office cantonal des poursuites, the issuer of every purpose that names no other."""
    return from_settings(
        settings.OFFICE,
        sender=settings.DEFAULT_FROM_EMAIL,
        conditions_file=conditions.TEXT_FILE,
        qr_iban=settings.OFFICE_QR_IBAN,
    )
