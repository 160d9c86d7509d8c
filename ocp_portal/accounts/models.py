from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.ch import uid as stdnum_uid
from stdnum.exceptions import ValidationError as StdnumError


class AccountKind(models.TextChoices):
    PARTICULIER = "particulier", _("Particulier")
    PERSONNE_MORALE = "personne_morale", _("Personne morale")


def format_uid(value: str) -> str:
    """The UID (IDE) in its official form CHE-123.456.789; ValidationError if it is not a valid one."""
    try:
        return stdnum_uid.format(stdnum_uid.validate(value))
    except StdnumError as error:
        raise ValidationError(
            _("Ce numéro IDE n'est pas valable : il s'écrit CHE-123.456.789 (voir le registre du commerce)."),
            code="invalid_uid",
        ) from error


def validate_uid(value: str) -> None:
    format_uid(value)


class Compte(models.Model):
    """The profile of a public account. The user's username and e-mail are the address, lower-cased."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="compte", verbose_name=_("utilisateur")
    )
    kind = models.CharField(_("type de compte"), max_length=16, choices=AccountKind.choices)
    company_name = models.CharField(_("raison sociale"), max_length=200, blank=True)
    uid = models.CharField(_("numéro IDE"), max_length=15, blank=True, validators=[validate_uid])
    verified_at = models.DateTimeField(_("adresse confirmée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="accounts_compte_company_fields_match_kind",
                condition=(
                    models.Q(kind=AccountKind.PARTICULIER, company_name="", uid="")
                    | (models.Q(kind=AccountKind.PERSONNE_MORALE) & ~models.Q(company_name="") & ~models.Q(uid=""))
                ),
                violation_error_message=_(
                    "Une personne morale a une raison sociale et un numéro IDE ; un particulier n'en a pas."
                ),
            ),
        ]

    def __str__(self):
        return self.user.email

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def display_name(self) -> str:
        return self.company_name or self.user.email

    display_name.fget.short_description = _("nom affiché")

    def clean(self):
        if self.kind == AccountKind.PERSONNE_MORALE:
            errors = {}
            if not self.company_name:
                errors["company_name"] = _("Indiquez la raison sociale.")
            if not self.uid:
                errors["uid"] = _("Indiquez le numéro IDE.")
            if errors:
                raise ValidationError(errors)
            self.uid = format_uid(self.uid)
        else:
            self.company_name = ""
            self.uid = ""
