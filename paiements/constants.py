from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentState(models.TextChoices):
    CREATED = "created", _("Créé")
    OPEN = "open", _("En cours (page de paiement)")
    AUTHORIZED = "authorized", _("Autorisé (montant réservé)")
    CAPTURED = "captured", _("Encaissé")
    REFUSED = "refused", _("Refusé")
    CANCELLED = "cancelled", _("Annulé")
    EXPIRED = "expired", _("Expiré")
    FAILED = "failed", _("Échec technique")


class IncidentKind(models.TextChoices):
    BAD_SIGNATURE = "bad_signature", _("Signature invalide")
    UNKNOWN_PAYMENT = "unknown_payment", _("Paiement inconnu")
    AMOUNT_MISMATCH = "amount_mismatch", _("Montant différent")
    OVERPAYMENT = "overpayment", _("Trop-perçu à rembourser")
    GATEWAY_ERROR = "gateway_error", _("Erreur du prestataire de paiement")
    CAPTURE_FAILED = "capture_failed", _("Échec de l'encaissement")
    CARD_REFUSED = "card_refused", _("Carte non admise (crédit ou prépayée)")
    NOT_PAYABLE = "not_payable", _("Objet plus payable à l'encaissement")
    ILLEGAL_TRANSITION = "illegal_transition", _("Événement hors séquence")
    RECEIPT_UNDELIVERABLE = "receipt_undeliverable", _("Quittance impossible à envoyer")


class Actor(models.TextChoices):
    PAYER = "payer", _("Payeur")
    GATEWAY = "gateway", _("Prestataire de paiement")
    RECONCILIATION = "reconciliation", _("Rapprochement périodique")
    CLERK = "clerk", _("Guichet")


# Only these cards are accepted (seed 000 §2-3).
ACCEPTED_BRANDS = frozenset({"visa", "mastercard"})
ACCEPTED_FUNDING = frozenset({"debit"})
MIN_INSTALMENT = "10.00"
