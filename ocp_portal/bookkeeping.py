"""Bookkeeping shared by the dossiers that take money: a poursuite, an ADB, a penal order.

Each domain keeps its own law (which dossier may be paid, when, what settling it changes); the rule
that money is recorded once per external reference lives here, in one place.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .formats import format_chf
from .models import NumberSeries

Dossier = TypeVar("Dossier", bound=models.Model)
Line = TypeVar("Line", bound=models.Model)
POSITIVE = MinValueValidator(Decimal("0.01"))


def _clerk(label) -> models.ForeignKey:
    """The clerk who wrote a bookkeeping row (None for the public and the tasks); no reverse accessor."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=label
    )


class MoneySource(models.TextChoices):
    """Where money received comes from, for every kind of dossier."""

    GUICHET = "guichet", gettext_lazy("Guichet")
    VIREMENT = "virement", gettext_lazy("Virement ou facture QR")
    CARTE_EN_LIGNE = "carte_en_ligne", gettext_lazy("Carte en ligne")


class DatedEvent(models.Model):
    """One dated step in a dossier's history. The concrete model adds the foreign key to its dossier
    and its `type` (each procedure has its own steps)."""

    date = models.DateField(gettext_lazy("date"))
    amount = models.DecimalField(gettext_lazy("montant"), max_digits=12, decimal_places=2, null=True, blank=True)
    late = models.BooleanField(gettext_lazy("tardive"), default=False)
    note = models.CharField(gettext_lazy("remarque"), max_length=255, blank=True)
    recorded_by = _clerk(gettext_lazy("saisi par"))
    recorded_at = models.DateTimeField(gettext_lazy("saisi le"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["date", "id"]

    def __str__(self):
        label = self.get_type_display()
        if self.late:
            label = _("%(label)s (tardive)") % {"label": label}
        return f"{self.date:%d.%m.%Y} {label}"


class FeeCharged(models.Model):
    """A fee charged to a dossier. The concrete model adds the foreign key to its dossier and its
    `kind` (each service has its own tariff)."""

    date = models.DateField(gettext_lazy("date"))
    amount = models.DecimalField(gettext_lazy("montant"), max_digits=12, decimal_places=2, validators=[POSITIVE])
    label = models.CharField(gettext_lazy("libellé"), max_length=140, blank=True)
    created_by = _clerk(gettext_lazy("saisi par"))
    created_at = models.DateTimeField(gettext_lazy("saisi le"), auto_now_add=True)

    class Meta:
        abstract = True
        verbose_name = gettext_lazy("frais")
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.label or self.get_kind_display()} {format_chf(self.amount)}"


class MoneyReceived(models.Model):
    """Money received for a dossier. The concrete model adds the foreign key to its dossier and the
    unique constraint on (source, external_reference) that `record_money_once` relies on."""

    date = models.DateField(gettext_lazy("date"))
    amount = models.DecimalField(gettext_lazy("montant"), max_digits=12, decimal_places=2, validators=[POSITIVE])
    source = models.CharField(gettext_lazy("source"), max_length=16, choices=MoneySource.choices)
    external_reference = models.CharField(
        gettext_lazy("référence externe"),
        max_length=64,
        blank=True,
        help_text=gettext_lazy("Référence du paiement en ligne ou du virement."),
    )
    created_by = _clerk(gettext_lazy("saisi par"))
    created_at = models.DateTimeField(gettext_lazy("saisi le"), auto_now_add=True)

    class Meta:
        abstract = True
        verbose_name = gettext_lazy("paiement reçu")
        verbose_name_plural = gettext_lazy("paiements reçus")
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {format_chf(self.amount)} ({self.get_source_display()})"


@transaction.atomic
def record_money_once(
    *,
    lock: Callable[[], Dossier],
    lines: models.QuerySet,
    belongs_to: Callable[[Line, Dossier], bool],
    amount: Decimal,
    source: str,
    external_reference: str,
    record: Callable[[Dossier], Line],
) -> Line:
    """Record money received once per (source, external reference).

    `lock()` takes the dossier's row lock first; only then is the reference looked up, so that a
    replay waiting on the lock sees the line its twin has just written. A true replay (same dossier,
    same amount) returns that line; a reference already used for other money is refused. `record`
    applies the domain's own law to the locked dossier and returns the new line.
    """
    dossier = lock()
    if external_reference:
        existing = lines.filter(source=source, external_reference=external_reference).first()
        if existing is not None:
            if belongs_to(existing, dossier) and existing.amount == amount:
                return existing  # the same money reported again
            raise _reused(external_reference)
    try:
        with transaction.atomic():
            return record(dossier)
    except IntegrityError:  # the same reference recorded at the same moment for another dossier
        if external_reference and lines.filter(source=source, external_reference=external_reference).exists():
            raise _reused(external_reference) from None
        raise


def allocate(name: str, count: int = 1, *, start: int) -> range:
    """Reserve `count` consecutive numbers of the series `name`; a new series begins after `start`.

    The row lock makes two allocations wait for each other, so no number is handed out twice."""
    with transaction.atomic():
        series, _created = NumberSeries.objects.select_for_update().get_or_create(name=name, defaults={"last": start})
        first = series.last + 1
        series.last = models.F("last") + count
        series.save(update_fields=["last"])
    return range(first, first + count)


def _reused(reference: str) -> ValidationError:
    return ValidationError(
        _("La référence %(reference)s est déjà enregistrée pour un autre paiement."),
        code="reference_reused",
        params={"reference": reference},
    )
