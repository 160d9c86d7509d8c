"""Réquisitions filed online by a creditor's account, and the e-mails that follow them.

A filing holds the signed code of the réquisition (the same as the printed QR code), its payload
already decoded, and the written form the LP asks for: a PDF signed with a qualified electronic
signature, or a scan of the form signed by hand. Its state is moved only by ``filing``."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import Poursuite
from . import codec


class DepotState(models.TextChoices):
    RECUE = "recue", _("Reçue")
    EN_VERIFICATION = "en_verification", _("En vérification")
    ENREGISTREE = "enregistree", _("Enregistrée")
    REFUSEE = "refusee", _("Refusée")


class DepotKind(models.TextChoices):
    """What is filed: a réquisition de poursuite, or a next step of a poursuite it became."""

    REQUISITION = "requisition", _("Réquisition de poursuite")
    CONTRORDRE = "contrordre", _("Contrordre (retrait de la poursuite)")
    CONTINUATION = "continuation", _("Réquisition de continuer la poursuite")


class SignatureWay(models.TextChoices):
    ELECTRONIQUE = "electronique", _("Signature électronique qualifiée")
    SCAN = "scan", _("Scan du formulaire signé à la main")


class Qualite(models.TextChoices):
    """In whose name the account files."""

    PROPRE_NOM = "propre_nom", _("En mon propre nom (je suis le créancier)")
    ENTREPRISE = "entreprise", _("Pour une entreprise que je représente (IDE)")
    REPRESENTANT = "representant", _("En tant que représentant professionnel, avec une procuration")


def _document_path(filing, filename: str) -> str:
    return f"depots/{filing.public_id}/{filename}"


class DepotEnLigne(models.Model):
    OPEN_STATES = (DepotState.RECUE, DepotState.EN_VERIFICATION)

    public_id = models.UUIDField(_("identifiant public"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="depots_en_ligne", verbose_name=_("compte")
    )
    state = models.CharField(
        _("état"), max_length=16, choices=DepotState.choices, default=DepotState.RECUE, editable=False, db_index=True
    )
    kind = models.CharField(
        _("demande"), max_length=16, choices=DepotKind.choices, default=DepotKind.REQUISITION, editable=False
    )
    target = models.ForeignKey(
        Poursuite,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="demandes_en_ligne",
        verbose_name=_("poursuite visée"),
        editable=False,
        help_text=_("Pour un contrordre ou une réquisition de continuer : la poursuite qu'ils visent."),
    )
    qualite = models.CharField(_("qualité du déposant"), max_length=16, choices=Qualite.choices)
    uid = models.CharField(_("IDE de l'entreprise"), max_length=15, blank=True)
    procuration = models.FileField(_("procuration"), upload_to=_document_path, blank=True)
    code_id = models.CharField(_("identifiant du formulaire"), max_length=32, unique=True, editable=False)
    code = models.TextField(_("code signé de la réquisition"), editable=False)
    payload = models.JSONField(_("réquisition décodée"), editable=False)
    way = models.CharField(_("forme écrite"), max_length=16, choices=SignatureWay.choices)
    document = models.FileField(_("réquisition signée"), upload_to=_document_path)
    document_type = models.CharField(_("type du fichier"), max_length=40)
    signer_name = models.CharField(_("signataire (certificat)"), max_length=300, blank=True)
    signer_issuer = models.CharField(_("émetteur du certificat"), max_length=300, blank=True)
    signer_fingerprint = models.CharField(_("empreinte SHA-256 du certificat"), max_length=95, blank=True)
    signer_certificate = models.TextField(_("certificat du signataire (PEM)"), blank=True)
    signed_at = models.DateTimeField(_("signé le (selon le signataire)"), null=True, blank=True)
    received_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("en vérification par"),
    )
    check_started_at = models.DateTimeField(_("vérification commencée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traitée par"),
    )
    decided_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    poursuite = models.OneToOneField(
        Poursuite,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="depot_en_ligne",
        verbose_name=_("poursuite"),
        editable=False,
    )

    class Meta:
        verbose_name = _("réquisition déposée en ligne")
        verbose_name_plural = _("réquisitions déposées en ligne")
        ordering = ["-received_at"]
        constraints = [
            # A réquisition has a poursuite once registered, and only then; a next step names its poursuite.
            models.CheckConstraint(
                name="depot_registered_has_poursuite",
                condition=(
                    models.Q(kind=DepotKind.REQUISITION, target__isnull=True)
                    & (
                        models.Q(state=DepotState.ENREGISTREE, poursuite__isnull=False)
                        | (~models.Q(state=DepotState.ENREGISTREE) & models.Q(poursuite__isnull=True))
                    )
                )
                | (~models.Q(kind=DepotKind.REQUISITION) & models.Q(target__isnull=False, poursuite__isnull=True)),
            ),
            # One request of a kind at a time in the clerks' queue for a poursuite.
            models.UniqueConstraint(
                fields=["target", "kind"],
                condition=models.Q(state__in=["recue", "en_verification"]),
                name="depot_one_open_request_per_poursuite",
            ),
        ]

    def __str__(self):
        if self.kind == DepotKind.REQUISITION:
            return _("Réquisition en ligne n° %(reference)s") % {"reference": self.reference}
        return _("%(kind)s en ligne n° %(reference)s") % {"kind": self.get_kind_display(), "reference": self.reference}

    @property
    def is_requisition(self) -> bool:
        return self.kind == DepotKind.REQUISITION

    @property
    def reference(self) -> str:
        """The form's number as printed under its QR code: 3F2A-91C0."""
        return codec.short_reference(self.code_id)

    @property
    def requisition_payload(self) -> dict:
        """The réquisition's payload: this one's, or for a next step the one of the poursuite's filing."""
        return self.payload if self.is_requisition else self.target.depot_en_ligne.payload

    @property
    def claims_total(self) -> Decimal:
        return sum((Decimal(claim["amount"]) for claim in self.requisition_payload["claims"]), Decimal("0.00"))

    @property
    def debtor_name(self) -> str:
        debtor = self.requisition_payload["debtor"]
        return f"{debtor['first_name']} {debtor['name']}".strip()


class AvisCreancier(models.Model):
    """One e-mail to the creditor about a step of its filing, recorded with the step (in the same
    transaction) and sent by a task; a sweep sends again what a lost message left unsent."""

    depot = models.ForeignKey(DepotEnLigne, models.CASCADE, related_name="avis", verbose_name=_("dépôt"))
    step = models.CharField(_("étape"), max_length=32)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("avis au créancier")
        verbose_name_plural = _("avis au créancier")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["depot", "step"], name="avis_creancier_once_per_step")]

    def __str__(self):
        return f"{self.depot.reference} — {self.step}"
