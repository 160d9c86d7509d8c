from django.db import models
from django.utils.translation import gettext_lazy as _


class Genre(models.TextChoices):
    ORDINAIRE = "ordinaire", _("Ordonnance pénale")
    CONVERSION = "conversion", _("Ordonnance pénale de conversion")


class EtatOrdonnance(models.TextChoices):
    NOTIFIEE = "notifiee", _("Notifiée")
    OPPOSITION = "opposition", _("Opposition")
    MAINTENUE = "maintenue", _("Maintenue (transmise au Tribunal de police)")
    CLASSEE = "classee", _("Classée")
    PAYEE = "payee", _("Payée")
    EN_RAPPEL = "en_rappel", _("En rappel")
    MISE_EN_DEMEURE = "mise_en_demeure", _("Mise en demeure")
    EN_POURSUITE = "en_poursuite", _("En poursuite")
    CONVERTIE = "convertie", _("Convertie")


class TypeEvenement(models.TextChoices):
    NOTIFICATION = "notification", _("Notification")
    OPPOSITION = "opposition", _("Opposition")
    MAINTIEN = "maintien", _("Maintien et transmission au Tribunal de police")
    CLASSEMENT = "classement", _("Classement")
    JUGEMENT = "jugement", _("Jugement entré en force")
    REVISION = "revision", _("Révision du montant de l'amende")
    RAPPEL = "rappel", _("Rappel")
    MISE_EN_DEMEURE = "mise_en_demeure", _("Mise en demeure")
    POURSUITE = "poursuite", _("Réquisition de poursuite")
    CONVERSION = "conversion", _("Conversion")
    PAIEMENT = "paiement", _("Paiement")
    ADRESSE_INVALIDE = "adresse_invalide", _("Adresse non valable")


class TypeFrais(models.TextChoices):
    RAPPEL = "rappel", _("Émolument de rappel")
    MISE_EN_DEMEURE = "mise_en_demeure", _("Frais de mise en demeure")


class Etape(models.TextChoices):
    """The recovery steps after the order itself (seed 001 art. 5 let. b-d), in their order."""

    RAPPEL_1 = "rappel_1", _("Premier rappel")
    RAPPEL_2 = "rappel_2", _("Second rappel")
    MISE_EN_DEMEURE = "mise_en_demeure", _("Mise en demeure")
    POURSUITE = "poursuite", _("Réquisition de poursuite")


class MotifConversion(models.TextChoices):
    """Why recovery by poursuite has no prospect (seed 002)."""

    ADB = "adb", _("Acte de défaut de biens délivré")
    FAILLITE = "faillite", _("Procédure de faillite en cours")
    SANS_ADRESSE = "sans_adresse", _("Pas d'adresse valable en Suisse")


class EtatArrangement(models.TextChoices):
    DEMANDE = "demande", _("Demandé")
    ACCEPTE = "accepte", _("Accepté")
    REFUSE = "refuse", _("Refusé")
    ROMPU = "rompu", _("Rompu (non respecté)")
    HONORE = "honore", _("Honoré")


# Days counted from notification (seeds 002, 003); the end moves to the next working day.
PAYMENT_DAYS = 30
OPPOSITION_DAYS = 10
REVISION_DAYS = 10
# Days to pay given by a reminder or the formal notice: not fixed by the seeds (office decision).
RECOVERY_STEP_DAYS = 10
# An instalment is flagged missed when still unpaid this many days after its due date.
INSTALMENT_GRACE_DAYS = 5
# Longest schedule: 5 years of monthly instalments, as for the State's payment conventions
# (seed 001 art. 15 al. 2); the first instalment falls within a year of the decision.
# Neither is fixed for penal orders by the seeds (office decision).
MAX_INSTALMENTS = 60
MAX_FIRST_DUE_DAYS = 365
# First digit of the payload of a contraventions QR reference (order or instalment).
QR_PREFIX_ORDONNANCE = "7"
QR_PREFIX_ECHEANCE = "8"
CASE_NUMBER_MIN = 2_300_000
CASE_NUMBER_MAX = 9_999_999
CASE_NUMBER_SERIES = "ordonnances-penales"  # ocp_portal.NumberSeries: orders and conversion orders share it
