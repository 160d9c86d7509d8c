"""The Service des contraventions as the issuer of its payments: its own name, address, contacts,
QR-IBAN, sender and conditions of payment, never the OCP's."""

from pathlib import Path

from django.conf import settings

from paiements.issuers import Issuer, from_settings

# Derived from the OCP's (seed 000) for the Service des contraventions; the service edits this file.
CONDITIONS = Path(__file__).parent / "conditions" / "conditions-paiement.txt"


def service_issuer() -> Issuer:
    return from_settings(settings.CONTRAVENTIONS, sender=settings.CONTRAVENTIONS_FROM_EMAIL, conditions_file=CONDITIONS)
