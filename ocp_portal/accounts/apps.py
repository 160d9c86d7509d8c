from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Accounts of the public (particuliers and personnes morales); clerks stay staff users of the admin."""

    name = "ocp_portal.accounts"
    label = "accounts"
    verbose_name = _("Comptes du public")
