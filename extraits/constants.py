from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

EXTRACT_FEE = Decimal("17.00")  # online extract, art. 12a OELP

# Document reference AEL-45RX1KL1P2Q: 11 characters without 0/O and I, which readers confuse.
REFERENCE_PREFIX = "AEL-"
REFERENCE_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 11
ACCESS_KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
ACCESS_KEY_LENGTH = 15

# What the seal names the document as (ocp_portal.seal): fixed, not translated, since verifiers read it back.
SEALED_DOCUMENT = "Extrait du registre des poursuites"

# A verified copy may be compared with the PDF the visitor holds, up to this size.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class Subject(models.TextChoices):
    HOLDER = "titulaire", _("Moi-même (titulaire du compte)")
    COMPANY = "entreprise", _("Une entreprise que je représente")


class RequestState(models.TextChoices):
    A_PAYER = "a_payer", _("En attente du paiement")
    PAYEE = "payee", _("Payé")
    EN_TRAITEMENT = "en_traitement", _("En traitement")
    EN_VERIFICATION = "en_verification", _("En vérification au guichet")
    DISPONIBLE = "disponible", _("Disponible")


class MatchOutcome(models.TextChoices):
    CERTAIN = "certain", _("Identification certaine")
    AUCUNE = "aucune", _("Aucune inscription")
    AMBIGU = "ambigu", _("Ambigu : à vérifier au guichet")
    GUICHET = "guichet", _("Personne choisie au guichet")
    GUICHET_AUCUNE = "guichet_aucune", _("Aucune inscription (décision du guichet)")


class VerificationMethod(models.TextChoices):
    KEY = "cle", _("Référence et clé d'accès")
    FILE = "fichier", _("Comparaison du fichier PDF")
    SEAL = "sceau", _("Sceau du fichier PDF")
