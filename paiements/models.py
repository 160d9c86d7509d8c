import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocp_portal.formats import format_chf

from .constants import Actor, IncidentKind, PaymentState

MONEY = {"max_digits": 12, "decimal_places": 2}


class Payment(models.Model):
    """One attempt to pay a purpose's object by card. Of the card it keeps brand, funding and last 4 only."""

    public_id = models.UUIDField(_("identifiant public"), default=uuid.uuid4, unique=True, editable=False)
    purpose = models.CharField(_("objet"), max_length=32)
    object_reference = models.CharField(_("référence de l'objet"), max_length=64, db_index=True)
    label = models.CharField(_("libellé"), max_length=200)
    amount = models.DecimalField(_("montant"), **MONEY)
    is_instalment = models.BooleanField(_("acompte"), default=False)
    email = models.EmailField(_("e-mail du payeur"))
    conditions_version = models.CharField(_("version des conditions acceptées"), max_length=32)
    state = models.CharField(
        _("état"), max_length=12, choices=PaymentState.choices, default=PaymentState.CREATED, db_index=True
    )
    gateway = models.CharField(_("prestataire"), max_length=16)
    gateway_session_id = models.CharField(_("id de session PSP"), max_length=255, blank=True)
    gateway_payment_id = models.CharField(_("id de paiement PSP"), max_length=255, blank=True, db_index=True)
    card_brand = models.CharField(_("marque de carte"), max_length=16, blank=True)
    card_funding = models.CharField(_("type de carte"), max_length=16, blank=True)
    card_last4 = models.CharField(_("4 derniers chiffres"), max_length=4, blank=True)
    failure_reason = models.CharField(_("motif d'échec"), max_length=32, blank=True)
    applied_amount = models.DecimalField(_("montant imputé"), null=True, blank=True, **MONEY)
    surplus = models.DecimalField(_("trop-perçu"), null=True, blank=True, **MONEY)
    balance_after = models.DecimalField(_("solde après paiement"), null=True, blank=True, **MONEY)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    captured_at = models.DateTimeField(_("encaissé le"), null=True, blank=True)
    receipt_sent_at = models.DateTimeField(_("quittance envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("paiement par carte")
        verbose_name_plural = _("paiements par carte")
        ordering = ["-created_at"]
        permissions = [("cancel_payment", _("Peut annuler un paiement autorisé"))]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "gateway_session_id"],
                condition=~models.Q(gateway_session_id=""),
                name="payment_unique_gateway_session",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [models.Index(fields=["state", "expires_at"])]

    def __str__(self):
        return f"{self.label} — {format_chf(self.amount)} ({self.get_state_display()})"

    @property
    def is_final(self) -> bool:
        from .state import FINAL_STATES

        return self.state in FINAL_STATES


class PaymentEvent(models.Model):
    """A move of a payment from one state to another: who or what, when, from which PSP event."""

    payment = models.ForeignKey(Payment, models.CASCADE, related_name="events", verbose_name=_("paiement"))
    from_state = models.CharField(_("de"), max_length=12, choices=PaymentState.choices)
    to_state = models.CharField(_("vers"), max_length=12, choices=PaymentState.choices)
    actor = models.CharField(_("par"), max_length=16, choices=Actor.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("utilisateur")
    )
    psp_event_id = models.CharField(_("événement PSP"), max_length=255, blank=True)
    detail = models.CharField(_("détail"), max_length=255, blank=True)
    at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("événement de paiement")
        verbose_name_plural = _("événements de paiement")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_state} → {self.to_state}"


class GatewayEvent(models.Model):
    """A PSP notification already handled: the same event id is never processed twice."""

    gateway = models.CharField(_("prestataire"), max_length=16)
    event_id = models.CharField(_("identifiant de l’événement"), max_length=255)
    type = models.CharField(_("type"), max_length=64)
    received_at = models.DateTimeField(_("reçu le"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification PSP")
        verbose_name_plural = _("notifications PSP")
        constraints = [models.UniqueConstraint(fields=["gateway", "event_id"], name="gateway_event_unique")]

    def __str__(self):
        return f"{self.gateway}:{self.event_id}"


class Incident(models.Model):
    """An anomaly for the office to handle (seed 000 §7)."""

    kind = models.CharField(_("nature"), max_length=24, choices=IncidentKind.choices)
    payment = models.ForeignKey(
        Payment, models.SET_NULL, null=True, blank=True, related_name="incidents", verbose_name=_("paiement")
    )
    detail = models.TextField(_("ce qui s'est passé"))
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    closed_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("traité par")
    )
    resolution = models.TextField(_("suite donnée"), blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%d.%m.%Y %H:%M})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Refund(models.Model):
    """A refund decided by the office (e.g. an overpayment), recorded by a clerk."""

    payment = models.ForeignKey(Payment, models.PROTECT, related_name="refunds", verbose_name=_("paiement"))
    amount = models.DecimalField(_("montant"), **MONEY)
    note = models.CharField(_("motif"), max_length=255)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("saisi par")
    )
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("remboursement")
        verbose_name_plural = _("remboursements")

    def __str__(self):
        return f"{format_chf(self.amount)} — {self.note}"


class SandboxSession(models.Model):
    """The built-in sandbox PSP's own record of a checkout (it plays Stripe's database).

    Card numbers typed on the sandbox page are never stored: only brand, funding and last 4.
    """

    session_id = models.CharField(_("session"), max_length=64, unique=True)
    payment_public_id = models.UUIDField(_("identifiant public du paiement"))
    label = models.CharField(_("libellé"), max_length=200)
    amount_centimes = models.PositiveIntegerField(_("montant (centimes)"))
    return_url = models.CharField(_("adresse de retour"), max_length=500)
    cancel_url = models.CharField(_("adresse d’abandon"), max_length=500)
    status = models.CharField(_("état"), max_length=12, choices=PaymentState.choices, default=PaymentState.OPEN)
    card_brand = models.CharField(_("marque de carte"), max_length=16, blank=True)
    card_funding = models.CharField(_("type de carte"), max_length=16, blank=True)
    card_last4 = models.CharField(_("4 derniers chiffres"), max_length=4, blank=True)
    failure_reason = models.CharField(_("motif d'échec"), max_length=32, blank=True)
    expires_at = models.DateTimeField(_("expire le"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("session du PSP de test")
        verbose_name_plural = _("sessions du PSP de test")

    def __str__(self):
        return self.session_id
