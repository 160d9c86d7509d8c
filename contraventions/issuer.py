"""The Service des contraventions as the issuer of its payments: its own name, address, contacts,
QR-IBAN, sender and conditions of payment, never the OCP's."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from paiements.issuers import Issuer, from_settings
from paiements.purposes import DebtPurpose
from paiements.references import parse_qr_reference

# Derived from the OCP's (seed 000) for the Service des contraventions; the service edits this file.
CONDITIONS = Path(__file__).parent / "conditions" / "conditions-paiement.txt"


def service_issuer() -> Issuer:
    return from_settings(settings.CONTRAVENTIONS, sender=settings.CONTRAVENTIONS_FROM_EMAIL, conditions_file=CONDITIONS)


class ServicePurpose(DebtPurpose):
    """What the Service des contraventions' purposes share: its identity, an object found by its own
    27-digit QR reference (in `queryset`), and the way back to its payment page."""

    @property
    def issuer(self) -> Issuer:
        return service_issuer()

    def queryset(self, *, for_update: bool):
        raise NotImplementedError

    def resolve(self, reference: str, *, for_update: bool = False):
        digits = parse_qr_reference(reference)
        if digits is None:
            return None
        return self.queryset(for_update=for_update).filter(qr_reference=digits).first()

    def back_link(self, obj):
        return _("Retour au paiement d'une ordonnance pénale"), reverse("contraventions:pay")
