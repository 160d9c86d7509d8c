from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# The fields of a StructuredAddress, in the order forms and payloads list them.
ADDRESS_FIELDS = ("street", "house_number", "address_extra", "postal_code", "town", "country")


class StructuredAddress(models.Model):
    """A structured (type S) postal address, Swiss or foreign, as QR-bills require."""

    street = models.CharField(_("rue"), max_length=70, blank=True)
    house_number = models.CharField(_("numéro"), max_length=16, blank=True)
    address_extra = models.CharField(_("complément (case postale, c/o)"), max_length=70, blank=True)
    postal_code = models.CharField(_("NPA"), max_length=16)
    town = models.CharField(_("localité"), max_length=35)
    country = models.CharField(_("pays (code ISO)"), max_length=2, default="CH")

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self.country = (self.country or "").upper()
        if self.country == "CH" and not (len(self.postal_code) == 4 and self.postal_code.isdigit()):
            raise ValidationError({"postal_code": _("Un NPA suisse compte 4 chiffres.")})

    @property
    def address_lines(self) -> list[str]:
        street = " ".join(part for part in (self.street, self.house_number) if part)
        town = f"{self.postal_code} {self.town}"
        if self.country != "CH":
            town = f"{self.country}-{town}"
        return [line for line in (street, self.address_extra, town) if line]


class NumberSeries(models.Model):
    """The last number handed out in a series of dossier numbers (see bookkeeping.allocate)."""

    name = models.CharField(_("série"), max_length=32, primary_key=True)
    last = models.PositiveBigIntegerField(_("dernier numéro attribué"))

    class Meta:
        verbose_name = _("série de numéros")
        verbose_name_plural = _("séries de numéros")

    def __str__(self):
        return f"{self.name}: {self.last}"
