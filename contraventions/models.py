from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.ch import esr

from ocp_portal.bookkeeping import DatedEvent, FeeCharged, MoneyReceived
from ocp_portal.formats import format_chf

from .constants import (
    CASE_NUMBER_MAX,
    CASE_NUMBER_MIN,
    Etape,
    EtatArrangement,
    EtatOrdonnance,
    Genre,
    MotifConversion,
    TypeEvenement,
    TypeFrais,
)
from .references import new_request_reference

MONEY = {"max_digits": 12, "decimal_places": 2}
POSITIVE = MinValueValidator(Decimal("0.01"))


def validate_qr_reference(value: str) -> None:
    if len(value) != 27 or not value.isdigit() or not esr.is_valid(value):
        raise ValidationError(_("Une référence QR compte 27 chiffres dont un chiffre de contrôle valable."))


class OrdonnancePenaleQuerySet(models.QuerySet):
    def ordinaires(self):
        return self.filter(genre=Genre.ORDINAIRE)

    def conversions(self):
        return self.filter(genre=Genre.CONVERSION)


class OrdonnancePenale(models.Model):
    """A penal order or a conversion order of the Service des contraventions, with the
    offender, the amounts and the procedure's state; written only by contraventions.services."""

    genre = models.CharField(_("genre"), max_length=12, choices=Genre.choices, default=Genre.ORDINAIRE, editable=False)
    case_number = models.PositiveIntegerField(
        _("n° d'affaire"),
        unique=True,
        editable=False,
        validators=[MinValueValidator(CASE_NUMBER_MIN), MaxValueValidator(CASE_NUMBER_MAX)],
    )
    qr_reference = models.CharField(
        _("référence QR"), max_length=27, unique=True, editable=False, validators=[validate_qr_reference]
    )
    offender = models.ForeignKey(
        "poursuites.Party", models.PROTECT, related_name="ordonnances_penales", verbose_name=_("contrevenant")
    )
    offence = models.TextField(_("faits reprochés"), max_length=1000)
    fine = models.DecimalField(_("amende"), validators=[POSITIVE], **MONEY)
    emoluments = models.DecimalField(_("émoluments"), editable=False, **MONEY)
    notification_date = models.DateField(_("date de notification"))
    due_date = models.DateField(_("à payer au plus tard le"), editable=False)
    state = models.CharField(
        _("état"),
        max_length=16,
        choices=EtatOrdonnance.choices,
        default=EtatOrdonnance.NOTIFIEE,
        editable=False,
        db_index=True,
    )
    address_invalid_since = models.DateField(
        _("adresse non valable depuis"), null=True, blank=True, editable=False, help_text=_("Courrier en retour.")
    )
    conversion = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="converted_orders",
        verbose_name=_("convertie par"),
    )
    conversion_ground = models.CharField(
        _("motif de la conversion"), max_length=16, choices=MotifConversion.choices, blank=True, editable=False
    )
    conversion_note = models.CharField(_("pièce justificative"), max_length=255, blank=True, editable=False)
    poursuite = models.ForeignKey(
        "poursuites.Poursuite",
        models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="ordonnances_penales",
        verbose_name=_("poursuite"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = OrdonnancePenaleQuerySet.as_manager()

    class Meta:
        verbose_name = _("ordonnance pénale")
        verbose_name_plural = _("ordonnances pénales")
        ordering = ["-case_number"]
        constraints = [
            models.CheckConstraint(condition=models.Q(fine__gt=0), name="ordonnance_fine_positive"),
            models.CheckConstraint(condition=models.Q(emoluments__gte=0), name="ordonnance_emoluments_positive"),
        ]

    def __str__(self):
        return _("%(genre)s n° %(number)s") % {"genre": self.get_genre_display(), "number": self.case_number}

    @property
    def is_conversion(self) -> bool:
        return self.genre == Genre.CONVERSION


class OrdonnancePenaleConversion(OrdonnancePenale):
    """The conversion orders, for their own admin page."""

    class Meta:
        proxy = True
        verbose_name = _("ordonnance pénale de conversion")
        verbose_name_plural = _("ordonnances pénales de conversion")


class OrderEvent(DatedEvent):
    ordonnance = models.ForeignKey(
        OrdonnancePenale, models.CASCADE, related_name="events", verbose_name=_("ordonnance pénale")
    )
    type = models.CharField(_("événement"), max_length=20, choices=TypeEvenement.choices)

    class Meta(DatedEvent.Meta):
        db_table = "contraventions_evenement"
        verbose_name = _("événement")
        verbose_name_plural = _("historique")


class FeeLine(FeeCharged):
    ordonnance = models.ForeignKey(
        OrdonnancePenale, models.CASCADE, related_name="fees", verbose_name=_("ordonnance pénale")
    )
    kind = models.CharField(_("nature"), max_length=16, choices=TypeFrais.choices)

    class Meta(FeeCharged.Meta):
        db_table = "contraventions_frais"
        verbose_name_plural = _("frais de recouvrement")


class PaymentLine(MoneyReceived):
    ordonnance = models.ForeignKey(
        OrdonnancePenale, models.PROTECT, related_name="payments", verbose_name=_("ordonnance pénale")
    )

    class Meta(MoneyReceived.Meta):
        db_table = "contraventions_paiement"
        constraints = [
            # An online payment or a bank transfer lands once, whatever replays.
            models.UniqueConstraint(
                fields=["source", "external_reference"],
                condition=~models.Q(external_reference=""),
                name="contraventions_paiement_unique_external_reference",
            ),
        ]


class EtapeRecouvrement(models.Model):
    """A recovery step of an order: proposed by the daily job, performed by a clerk. One row per
    order and step, so neither the job nor two clerks ever do a step twice."""

    ordonnance = models.ForeignKey(
        OrdonnancePenale, models.CASCADE, related_name="recovery_steps", verbose_name=_("ordonnance pénale")
    )
    etape = models.CharField(_("étape"), max_length=16, choices=Etape.choices)
    proposed_on = models.DateField(_("proposée le"), null=True, blank=True)
    performed_on = models.DateField(_("effectuée le"), null=True, blank=True)
    deadline = models.DateField(_("délai de paiement"), null=True, blank=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("par")
    )

    class Meta:
        verbose_name = _("étape de recouvrement")
        verbose_name_plural = _("étapes de recouvrement")
        ordering = ["proposed_on", "id"]
        constraints = [models.UniqueConstraint(fields=["ordonnance", "etape"], name="recouvrement_unique_etape")]

    def __str__(self):
        return f"{self.ordonnance.case_number} — {self.get_etape_display()}"


class ArrangementPaiement(models.Model):
    """A payment arrangement asked for on the portal, decided by a clerk. Its `reference` is the
    requester's: with the order's 27-digit reference it opens the request's status page."""

    reference = models.CharField(
        _("référence de la demande"), max_length=12, unique=True, editable=False, default=new_request_reference
    )
    ordonnance = models.ForeignKey(
        OrdonnancePenale, models.PROTECT, related_name="arrangements", verbose_name=_("ordonnance pénale")
    )
    state = models.CharField(
        _("état"), max_length=8, choices=EtatArrangement.choices, default=EtatArrangement.DEMANDE, editable=False
    )
    monthly_amount = models.DecimalField(_("mensualité proposée"), **MONEY)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("téléphone"), max_length=32, blank=True)
    message = models.TextField(_("situation financière"), max_length=2000, blank=True)
    requested_on = models.DateField(_("demandé le"))
    decided_on = models.DateField(_("décidé le"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, editable=False, verbose_name=_("par")
    )
    refusal_reason = models.CharField(_("motif du refus"), max_length=255, blank=True, editable=False)
    broken_on = models.DateField(_("rompu le"), null=True, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(_("accusé de réception envoyé le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("arrangement de paiement")
        verbose_name_plural = _("arrangements de paiement")
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(monthly_amount__gte=50), name="arrangement_monthly_minimum"),
        ]

    def __str__(self):
        return _("Arrangement de %(amount)s par mois — %(order)s") % {
            "amount": format_chf(self.monthly_amount),
            "order": self.ordonnance,
        }


class Echeance(models.Model):
    """One monthly instalment of an accepted arrangement, with its own QR reference."""

    arrangement = models.ForeignKey(
        ArrangementPaiement, models.CASCADE, related_name="instalments", verbose_name=_("arrangement")
    )
    position = models.PositiveSmallIntegerField(_("n°"))
    due_date = models.DateField(_("échéance"))
    amount = models.DecimalField(_("montant"), validators=[POSITIVE], **MONEY)
    qr_reference = models.CharField(_("référence QR"), max_length=27, unique=True, validators=[validate_qr_reference])
    missed_on = models.DateField(_("signalée manquée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("échéance")
        verbose_name_plural = _("échéancier")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["arrangement", "position"], name="echeance_unique_position")]

    def __str__(self):
        return f"{self.position}. {self.due_date:%d.%m.%Y} {format_chf(self.amount)}"
