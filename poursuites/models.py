from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum import iban
from stdnum.ch import uid as stdnum_uid

from ocp_portal.bookkeeping import DatedEvent, FeeCharged, MoneyReceived
from ocp_portal.dates import today
from ocp_portal.formats import format_chf
from ocp_portal.models import StructuredAddress
from ocp_portal.names import normalize_name
from paiements.references import qr_reference

from .constants import (
    DEFAULT_INTEREST_RATE,
    EXTRACT_YEARS,
    ADBState,
    EventType,
    FeeKind,
    PartyKind,
    PoursuiteKind,
    PoursuiteStatus,
)
from .numbers import NUMBER_MAX, NUMBER_MIN, format_number, key_letter

POSITIVE = MinValueValidator(Decimal("0.01"))
# First digit of the payload of a QR reference: what the payment is for.
QR_PREFIX_POURSUITE = "1"
QR_PREFIX_ADB = "2"
NUMBER_VALIDATORS = [MinValueValidator(NUMBER_MIN), MaxValueValidator(NUMBER_MAX)]


class Party(StructuredAddress):
    """A creditor, debtor or representative: a person (personne physique) or a company."""

    kind = models.CharField(_("type"), max_length=10, choices=PartyKind.choices)
    name = models.CharField(_("nom ou raison sociale"), max_length=140)
    first_name = models.CharField(_("prénom"), max_length=70, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    uid = models.CharField(_("IDE (CHE-xxx.xxx.xxx)"), max_length=15, blank=True)
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("Pour envoyer aussi par e-mail les lettres de l'office (créancier).")
    )
    name_key = models.CharField(
        _("clé du nom"), max_length=140, editable=False, default=""
    )  # normalize_name(name), kept by save()
    # normalize_name(first name and name), kept by save(): the clerks' search (poursuites.search).
    search_key = models.CharField(_("clé de recherche"), max_length=220, editable=False, default="")

    class Meta:
        verbose_name = _("partie")
        verbose_name_plural = _("parties")
        ordering = ["name", "first_name"]
        # The extract's matching looks parties up by birth date or UID (extraits.matching).
        indexes = [
            models.Index(fields=["name", "first_name"]),
            models.Index(fields=["birth_date"], name="party_birth_date"),
            models.Index(fields=["uid"], name="party_uid", condition=~models.Q(uid="")),
            # Equality and prefix (LIKE 'x%') searches on PostgreSQL; other databases ignore opclasses.
            models.Index(fields=["name_key"], name="party_name_key", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return f"{self.name} {self.first_name}".strip()

    def save(self, *args, **kwargs):
        self.name_key, self.search_key = normalize_name(self.name), search_key(self.first_name, self.name)
        if kwargs.get("update_fields") is not None and {"name", "first_name"} & set(kwargs["update_fields"]):
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key", "search_key"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == PartyKind.PHYSIQUE:
            if not self.first_name:
                errors["first_name"] = _("Le prénom d'une personne physique est requis.")
            if self.uid:
                errors["uid"] = _("Seule une personne morale a un IDE.")
        elif self.kind == PartyKind.MORALE:
            if self.first_name or self.birth_date:
                errors["first_name"] = _("Une personne morale n'a ni prénom ni date de naissance.")
            if self.uid:
                if stdnum_uid.is_valid(self.uid):
                    self.uid = stdnum_uid.format(self.uid)
                else:
                    errors["uid"] = _("IDE invalide : attendu CHE-123.456.789 avec sa clé de contrôle.")
        if errors:
            raise ValidationError(errors)


def search_key(first_name: str, name: str) -> str:
    return normalize_name(f"{first_name} {name}")


class Numbered:
    """A poursuite or an ADB: 8 digits and a key letter, and the QR reference to pay it."""

    qr_prefix = ""

    @property
    def key_letter(self) -> str:
        return key_letter(self.number)

    @property
    def reference(self) -> str:
        return format_number(self.number)

    @property
    def qr_reference(self) -> str:
        return qr_reference(f"{self.qr_prefix}{self.number:08d}")


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class PoursuiteQuerySet(models.QuerySet):
    def visible_to_third_parties(self, on: date):
        """The extract's inclusion rule (art. 8a LP): open, or closed less than 5 years ago;
        never annulled, withdrawn (contrordre) or under non-divulgation (art. 8a al. 3 LP).
        A paid poursuite stays, marked paid."""
        return (
            self.exclude(status__in=[PoursuiteStatus.ANNULEE, PoursuiteStatus.RETIREE])
            .filter(non_disclosure_since__isnull=True)
            .filter(models.Q(closed_on__isnull=True) | models.Q(closed_on__gt=years_before(on, EXTRACT_YEARS)))
        )


class Poursuite(Numbered, models.Model):
    number = models.PositiveIntegerField(_("numéro"), unique=True, validators=NUMBER_VALIDATORS)
    kind = models.CharField(_("type de poursuite"), max_length=10, choices=PoursuiteKind.choices)
    status = models.CharField(
        _("statut"),
        max_length=24,
        choices=PoursuiteStatus.choices,
        default=PoursuiteStatus.REQUISITION,
        editable=False,
        db_index=True,
    )
    creditor = models.ForeignKey(
        Party, models.PROTECT, related_name="poursuites_as_creditor", verbose_name=_("créancier")
    )
    debtor = models.ForeignKey(Party, models.PROTECT, related_name="poursuites_as_debtor", verbose_name=_("débiteur"))
    representative = models.ForeignKey(
        Party,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="poursuites_as_representative",
        verbose_name=_("représentant du créancier"),
    )
    claim_amount = models.DecimalField(
        _("montant du commandement de payer"),
        max_digits=12,
        decimal_places=2,
        validators=[POSITIVE],
        editable=False,
        help_text=_("Total des créances, tenu par le registre."),
    )
    creditor_iban = models.CharField(_("IBAN du créancier"), max_length=34, blank=True)
    notes = models.TextField(_("remarques"), blank=True)
    requisition_code = models.CharField(_("code de la réquisition en ligne"), max_length=32, blank=True, editable=False)
    requisition_date = models.DateField(_("date de la réquisition"))
    notification_date = models.DateField(_("date de notification"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("close le"), null=True, blank=True, editable=False)
    non_disclosure_since = models.DateTimeField(
        _("non divulguée aux tiers depuis"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Art. 8a al. 3 let. d LP : tenue par la procédure de non-divulgation."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = PoursuiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("poursuite")
        verbose_name_plural = _("poursuites")
        ordering = ["-number"]
        permissions = [("annul_poursuite", _("Peut enregistrer l'annulation d'une poursuite"))]
        constraints = [
            models.CheckConstraint(condition=models.Q(claim_amount__gt=0), name="poursuite_claim_positive"),
            # A réquisition printed from the portal is registered once.
            models.UniqueConstraint(
                fields=["requisition_code"],
                condition=~models.Q(requisition_code=""),
                name="poursuite_unique_requisition_code",
            ),
        ]

    def __str__(self):
        return _("Poursuite n° %(number)s") % {"number": self.reference}

    qr_prefix = QR_PREFIX_POURSUITE

    def clean(self):
        if self.requisition_date and self.requisition_date > today():
            raise ValidationError({"requisition_date": _("La date de la réquisition ne peut pas être dans le futur.")})
        if self.creditor_id and self.creditor_id == self.debtor_id:
            raise ValidationError(_("Le créancier et le débiteur doivent être distincts."))
        if self.creditor_iban:
            if not iban.is_valid(self.creditor_iban):
                raise ValidationError({"creditor_iban": _("IBAN invalide.")})
            self.creditor_iban = iban.compact(self.creditor_iban)


class Claim(models.Model):
    """One claim of a poursuite (art. 67 LP: amount, interest, title or cause)."""

    MAX_PER_POURSUITE = 10
    MAX_TOTAL = Decimal("9999999999.99")  # what claim_amount (12 digits) holds

    poursuite = models.ForeignKey(Poursuite, models.CASCADE, related_name="claims", verbose_name=_("poursuite"))
    position = models.PositiveSmallIntegerField(_("n°"))
    amount = models.DecimalField(_("montant"), max_digits=12, decimal_places=2, validators=[POSITIVE])
    interest_rate = models.DecimalField(
        _("taux d'intérêt (% l'an)"),
        max_digits=5,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    interest_from = models.DateField(_("intérêts dès le"), null=True, blank=True)
    title = models.TextField(_("titre ou cause de la créance"), max_length=640)

    class Meta:
        verbose_name = _("créance")
        verbose_name_plural = _("créances")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["poursuite", "position"], name="claim_unique_position"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="claim_amount_positive"),
        ]

    def __str__(self):
        return f"{self.position}. {format_chf(self.amount)}"

    def clean(self):
        if self.interest_rate and not self.interest_from:
            raise ValidationError({"interest_from": _("Indiquez la date dès laquelle l'intérêt court.")})
        if self.interest_from and self.interest_rate is None:
            self.interest_rate = DEFAULT_INTEREST_RATE  # art. 104 CO


class PoursuiteEvent(DatedEvent):
    """One dated step in the history of a poursuite; written only by poursuites.services."""

    poursuite = models.ForeignKey(Poursuite, models.CASCADE, related_name="events", verbose_name=_("poursuite"))
    type = models.CharField(_("étape"), max_length=24, choices=EventType.choices)

    class Meta(DatedEvent.Meta):
        verbose_name = _("étape de la procédure")
        verbose_name_plural = _("historique de la procédure")


class ActeDefautBiens(Numbered, models.Model):
    number = models.PositiveIntegerField(_("numéro"), unique=True, validators=NUMBER_VALIDATORS)
    poursuite = models.ForeignKey(
        Poursuite, models.PROTECT, related_name="actes_defaut_biens", verbose_name=_("poursuite")
    )
    amount = models.DecimalField(_("montant"), max_digits=12, decimal_places=2, validators=[POSITIVE])
    issued_on = models.DateField(_("délivré le"))
    state = models.CharField(
        _("état"), max_length=10, choices=ADBState.choices, default=ADBState.OUVERT, editable=False
    )
    closed_on = models.DateField(_("clos le"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("acte de défaut de biens")
        verbose_name_plural = _("actes de défaut de biens")
        ordering = ["-number"]

    def __str__(self):
        return _("ADB n° %(number)s") % {"number": self.reference}

    qr_prefix = QR_PREFIX_ADB


class FeeLine(FeeCharged):
    poursuite = models.ForeignKey(Poursuite, models.CASCADE, related_name="fees", verbose_name=_("poursuite"))
    kind = models.CharField(_("nature"), max_length=16, choices=FeeKind.choices)

    class Meta(FeeCharged.Meta):
        verbose_name_plural = _("frais")


class PaymentLine(MoneyReceived):
    """Money received for a poursuite or an ADB (exactly one of the two)."""

    poursuite = models.ForeignKey(
        Poursuite, models.PROTECT, null=True, blank=True, related_name="payments", verbose_name=_("poursuite")
    )
    adb = models.ForeignKey(
        ActeDefautBiens,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("acte de défaut de biens"),
    )

    class Meta(MoneyReceived.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(poursuite__isnull=False, adb__isnull=True)
                | models.Q(poursuite__isnull=True, adb__isnull=False),
                name="payment_line_one_target",
            ),
            # An online payment or a bank transfer lands once, whatever replays.
            models.UniqueConstraint(
                fields=["source", "external_reference"],
                condition=~models.Q(external_reference=""),
                name="payment_line_unique_external_reference",
            ),
        ]


class HistoryEntry(models.Model):
    """Who changed what on a poursuite or ADB (its fees and payments included), and when."""

    poursuite = models.ForeignKey(
        Poursuite, models.CASCADE, null=True, blank=True, related_name="history_entries", verbose_name=_("poursuite")
    )
    adb = models.ForeignKey(
        ActeDefautBiens, models.CASCADE, null=True, blank=True, related_name="history_entries", verbose_name=_("ADB")
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("par"))
    actor_label = models.CharField(_("par (système)"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=500)
    changes = models.JSONField(_("modifications"), default=dict, blank=True)

    class Meta:
        verbose_name = _("modification")
        verbose_name_plural = _("historique des modifications")
        ordering = ["-at", "-id"]

    def __str__(self):
        return self.action


# The request of non-divulgation lives with its rules; imported here so that the app finds it.
from .non_divulgation.models import DemandeNonDivulgation  # noqa: E402, F401

# Réquisitions filed online by creditors' accounts (poursuites.requisition.filing).
from .requisition.models import AvisCreancier, DepotEnLigne  # noqa: E402, F401
