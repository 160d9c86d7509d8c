import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocp_portal.models import StructuredAddress
from poursuites.constants import PartyKind

from .constants import EXTRACT_FEE, MatchOutcome, RequestState, Subject, VerificationMethod

# The clerks' list: requests waiting for a clerk first, then the newest.
CLERK_QUEUE_ORDER = [
    models.Case(models.When(state=RequestState.EN_VERIFICATION, then=0), default=1).asc(),
    "-created_at",
]


class DemandeExtrait(StructuredAddress):
    """An account's order of an extract of the register about a person or a company (art. 8a LP)."""

    public_id = models.UUIDField(_("identifiant public"), default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="extract_requests", verbose_name=_("compte")
    )
    subject = models.CharField(_("extrait de"), max_length=12, choices=Subject.choices)
    kind = models.CharField(_("type"), max_length=10, choices=PartyKind.choices)
    name = models.CharField(_("nom ou raison sociale"), max_length=140)
    first_name = models.CharField(_("prénom"), max_length=70, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    uid = models.CharField(_("IDE"), max_length=15, blank=True)
    purpose = models.TextField(_("motif de la demande (intérêt, art. 8a LP)"), max_length=500)
    fee = models.DecimalField(_("émolument"), max_digits=6, decimal_places=2, default=EXTRACT_FEE, editable=False)
    state = models.CharField(
        _("état"), max_length=16, choices=RequestState.choices, default=RequestState.A_PAYER, db_index=True
    )
    payment_reference = models.CharField(_("paiement"), max_length=64, blank=True, editable=False)
    paid_at = models.DateTimeField(_("payée le"), null=True, blank=True, editable=False)
    confirmation_sent_at = models.DateTimeField(_("confirmation envoyée le"), null=True, blank=True, editable=False)
    match = models.CharField(_("identification"), max_length=16, choices=MatchOutcome.choices, blank=True)
    matched_parties = models.ManyToManyField(
        "poursuites.Party", blank=True, related_name="+", verbose_name=_("personnes inscrites retenues")
    )
    candidates = models.JSONField(_("candidats proposés"), default=list, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("décidée par"),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("demande d'extrait")
        verbose_name_plural = _("demandes d'extrait")
        ordering = ["-created_at"]

    def __str__(self):
        return _("Extrait du registre : %(who)s") % {"who": self.display_name}

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.name) if part)

    display_name.fget.short_description = _("personne ou entreprise")

    @property
    def current_document(self):
        """The one document not superseded; reads a prefetched `documents` without a query."""
        return next((document for document in self.documents.all() if document.superseded_at is None), None)


class Extrait(models.Model):
    """An issued extract: an immutable PDF, its SHA-256 and the content it shows.

    The access key is never stored, only its keyed hash; a new rendering makes a new
    document and marks this one superseded.
    """

    reference = models.CharField(_("référence du document"), max_length=15, unique=True)
    access_key_hash = models.CharField(_("empreinte de la clé d’accès"), max_length=64, editable=False)
    extract_request = models.ForeignKey(
        DemandeExtrait, models.PROTECT, db_column="request_id", related_name="documents", verbose_name=_("demande")
    )
    issued_at = models.DateTimeField(_("émis le"))
    content = models.JSONField(_("contenu émis"), editable=False)
    pdf = models.FileField(_("PDF"), upload_to="extraits/%Y/%m/", editable=False)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, editable=False)
    size = models.PositiveIntegerField(_("taille (octets)"), editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("établi par"),
    )
    superseded_at = models.DateTimeField(_("remplacé le"), null=True, blank=True, editable=False)
    superseded_by = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        editable=False,
        verbose_name=_("remplacé par"),
    )
    ready_notice_sent_at = models.DateTimeField(
        _("avis de mise à disposition envoyé le"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("extrait émis")
        verbose_name_plural = _("extraits émis")
        ordering = ["-issued_at"]
        constraints = [
            # One current document per request.
            models.UniqueConstraint(
                fields=["extract_request"], condition=models.Q(superseded_at__isnull=True), name="extrait_one_current"
            )
        ]

    def __str__(self):
        return self.reference


class VerificationExtrait(models.Model):
    """Every verification attempt, for the office (when, which reference, success)."""

    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    reference = models.CharField(_("référence saisie"), max_length=40)
    document = models.ForeignKey(
        Extrait, models.SET_NULL, null=True, blank=True, related_name="verifications", verbose_name=_("extrait")
    )
    method = models.CharField(_("méthode"), max_length=8, choices=VerificationMethod.choices)
    success = models.BooleanField(_("réussie"))
    throttled = models.BooleanField(_("bloquée (trop d'essais)"), default=False)
    client = models.CharField(_("adresse IP"), max_length=45, blank=True)

    class Meta:
        verbose_name = _("vérification d'extrait")
        verbose_name_plural = _("vérifications d'extrait")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.reference} {self.at:%d.%m.%Y %H:%M}"
