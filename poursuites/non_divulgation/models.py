"""The request of non-divulgation (art. 8a al. 3 let. d LP); its rules are in admissibility.py and services.py."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import EtatNonDivulgation, PartyKind, PreuveCreancier
from ..models import Poursuite


class DemandeNonDivulgation(models.Model):
    """A debtor's request that a poursuite be no longer shown to third parties (art. 8a al. 3
    let. d LP). Its state is moved only by poursuites.non_divulgation.services."""

    ACTIVE_STATES = (
        EtatNonDivulgation.A_EXAMINER,
        EtatNonDivulgation.INTERPELLATION_A_NOTIFIER,
        EtatNonDivulgation.DELAI_EN_COURS,
        EtatNonDivulgation.ACCORDEE,
        EtatNonDivulgation.REDIVULGUEE,
    )

    public_id = models.UUIDField(_("identifiant public"), default=uuid.uuid4, unique=True, editable=False)
    poursuite = models.ForeignKey(
        Poursuite, models.PROTECT, related_name="demandes_non_divulgation", verbose_name=_("poursuite")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="demandes_non_divulgation",
        verbose_name=_("compte du requérant"),
    )
    email = models.EmailField(_("e-mail du requérant"))
    requester_kind = models.CharField(_("requérant"), max_length=10, choices=PartyKind.choices)
    requester_name = models.CharField(_("nom ou raison sociale déclaré"), max_length=140)
    requester_first_name = models.CharField(_("prénom déclaré"), max_length=70, blank=True)
    requester_birth_date = models.DateField(_("date de naissance déclarée"), null=True, blank=True)
    requester_uid = models.CharField(_("IDE déclaré"), max_length=15, blank=True)
    declared_at = models.DateTimeField(_("déclarations faites le"))
    state = models.CharField(
        _("état"),
        max_length=20,
        choices=EtatNonDivulgation.choices,
        default=EtatNonDivulgation.ATTENTE_PAIEMENT,
        editable=False,
        db_index=True,
    )
    payment = models.ForeignKey(
        "paiements.Payment", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("paiement")
    )
    paid_at = models.DateTimeField(_("émolument payé le"), null=True, blank=True)
    letter = models.FileField(_("lettre au créancier"), upload_to="non_divulgation/", blank=True)
    letter_rendered_at = models.DateTimeField(_("lettre établie le"), null=True, blank=True)
    letter_emailed_at = models.DateTimeField(_("lettre envoyée par e-mail le"), null=True, blank=True)
    notified_on = models.DateField(_("interpellation notifiée le"), null=True, blank=True)
    deadline_on = models.DateField(_("délai du créancier au"), null=True, blank=True)
    proof = models.CharField(_("preuve du créancier"), max_length=12, choices=PreuveCreancier.choices, blank=True)
    proof_on = models.DateField(_("preuve reçue le"), null=True, blank=True)
    reason = models.TextField(_("motif"), blank=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    outcome_sent_at = models.DateTimeField(_("requérant informé le"), null=True, blank=True)
    redisclosure_proof = models.CharField(
        _("preuve ultérieure du créancier"), max_length=12, choices=PreuveCreancier.choices, blank=True
    )
    redisclosed_on = models.DateField(_("à nouveau divulguée dès le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("demande de non-divulgation")
        verbose_name_plural = _("demandes de non-divulgation")
        ordering = ["-created_at"]
        constraints = [
            # One request under way or granted per poursuite, whatever races the payments run.
            models.UniqueConstraint(
                fields=["poursuite"],
                condition=models.Q(
                    state__in=[
                        EtatNonDivulgation.INTERPELLATION_A_NOTIFIER,
                        EtatNonDivulgation.DELAI_EN_COURS,
                        EtatNonDivulgation.ACCORDEE,
                        EtatNonDivulgation.REDIVULGUEE,
                    ]
                ),
                name="non_disclosure_one_active_per_poursuite",
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline_on"])]

    def __str__(self):
        return _("Demande de non-divulgation de la poursuite n° %(number)s") % {"number": self.poursuite.reference}

    @property
    def reference(self) -> str:
        return str(self.public_id)

    @property
    def requester_label(self) -> str:
        return f"{self.requester_name} {self.requester_first_name}".strip()
