from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyKind(models.TextChoices):
    PHYSIQUE = "physique", _("Personne physique")
    MORALE = "morale", _("Personne morale")


class PoursuiteKind(models.TextChoices):
    SAISIE = "saisie", _("Ordinaire par voie de saisie")
    FAILLITE = "faillite", _("Ordinaire par voie de faillite")
    GAGE = "gage", _("En réalisation de gage")


class PoursuiteStatus(models.TextChoices):
    REQUISITION = "requisition", _("Réquisition enregistrée")
    NOTIFIEE = "notifiee", _("Commandement de payer notifié")
    OPPOSITION_TOTALE = "opposition_totale", _("Opposition totale")
    OPPOSITION_PARTIELLE = "opposition_partielle", _("Opposition partielle")
    OPPOSITION_LEVEE = "opposition_levee", _("Opposition levée (mainlevée)")
    CONTINUATION = "continuation", _("Réquisition de continuer la poursuite")
    SAISIE_ANNONCEE = "saisie_annoncee", _("Avis de saisie")
    SAISIE_EXECUTEE = "saisie_executee", _("Saisie exécutée")
    COMMINATION_FAILLITE = "commination_faillite", _("Commination de faillite")
    REALISATION = "realisation", _("Réalisation")
    ADB_DELIVRE = "adb_delivre", _("Acte de défaut de biens délivré")
    PAYEE = "payee", _("Payée")
    RETIREE = "retiree", _("Retirée par le créancier (contrordre)")
    ANNULEE = "annulee", _("Annulée")


class EventType(models.TextChoices):
    REQUISITION = "requisition", _("Réquisition enregistrée")
    NOTIFICATION = "notification", _("Commandement de payer notifié")
    OPPOSITION_TOTALE = "opposition_totale", _("Opposition totale")
    OPPOSITION_PARTIELLE = "opposition_partielle", _("Opposition partielle")
    MAINLEVEE = "mainlevee", _("Opposition levée (mainlevée)")
    CONTINUATION = "continuation", _("Réquisition de continuer la poursuite")
    AVIS_SAISIE = "avis_saisie", _("Avis de saisie")
    SAISIE_EXECUTEE = "saisie_executee", _("Saisie exécutée")
    COMMINATION_FAILLITE = "commination_faillite", _("Commination de faillite")
    REALISATION = "realisation", _("Réalisation")
    ADB_DELIVRE = "adb_delivre", _("Acte de défaut de biens délivré")
    PAIEMENT = "paiement", _("Paiement")
    CONTRORDRE = "contrordre", _("Contrordre (retrait)")
    ANNULATION = "annulation", _("Annulation")


class ADBState(models.TextChoices):
    OUVERT = "ouvert", _("Ouvert")
    PAYE = "paye", _("Payé")
    RADIE = "radie", _("Radié")


class FeeKind(models.TextChoices):
    COMMANDEMENT = "commandement", _("Émolument du commandement de payer (art. 16 OELP)")
    NOTIFICATION = "notification", _("Tentative de notification")
    DEBOURS = "debours", _("Débours (frais de port)")
    SAISIE = "saisie", _("Émolument de saisie")
    AUTRE = "autre", _("Autre émolument")


# From notification of the commandement de payer (art. 69, 74, 88 LP).
OPPOSITION_DAYS = 10
PAYMENT_DAYS = 20
CONTINUATION_LAPSE_YEARS = 1  # art. 88 al. 2 LP
ADB_PRESCRIPTION_YEARS = 20  # art. 149a al. 1 LP
DEFAULT_INTEREST_RATE = 5  # percent a year, art. 104 CO
EXTRACT_YEARS = 5  # a closed poursuite stays on the extract for 5 years (art. 8a al. 4 LP)


class EtatNonDivulgation(models.TextChoices):
    """Where a non-divulgation request (art. 8a al. 3 let. d LP) stands."""

    ATTENTE_PAIEMENT = "attente_paiement", _("En attente de l'émolument")
    A_EXAMINER = "a_examiner", _("À examiner")
    INTERPELLATION_A_NOTIFIER = "interpellation", _("Interpellation à notifier")
    DELAI_EN_COURS = "delai", _("Délai en cours")
    ACCORDEE = "accordee", _("Accordée")
    REJETEE = "rejetee", _("Rejetée")
    REDIVULGUEE = "redivulguee", _("Accordée, puis à nouveau divulguée")


class PreuveCreancier(models.TextChoices):
    """What the creditor may prove to the office after the interpellation."""

    MAINLEVEE = "mainlevee", _("Demande de mainlevée de l'opposition")
    ACTION = "action", _("Action en reconnaissance de dette (action en justice)")
    PAIEMENT = "paiement", _("Poursuite entièrement payée en mains du créancier")


NON_DISCLOSURE_FEE = Decimal("40.00")  # émolument forfaitaire, art. 12b OELP, owed whatever the outcome
NON_DISCLOSURE_WAIT_MONTHS = 3  # at the earliest 3 months after notification (art. 8a al. 3 let. d LP)
NON_DISCLOSURE_CREDITOR_DAYS = 20  # the creditor's deadline from notification of the interpellation
