from django.apps import AppConfig
from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db.models.signals import post_migrate


def forget_page_chrome(setting, **kwargs):
    """base.html's shared parts (the "chrome" cache) are made of settings, URLs and static files:
    rendered anew after a settings change (tests' override_settings; production restarts). A change
    of CACHES itself is left to Django, whose own receiver rebuilds the caches; settings without
    "chrome" are reported by the check ocp.E007."""
    if setting != "CACHES" and "chrome" in settings.CACHES:
        caches["chrome"].clear()


class OcpPortalConfig(AppConfig):
    """Project-wide pieces shared by every app: money, dates, addresses, PDF, template tags."""

    name = "ocp_portal"
    verbose_name = "Portail OCP"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
        from .converters import register
        from .roles import apply_roles

        register()
        # After every migrate (and every flush of the test database): the clerks' groups, from one table.
        post_migrate.connect(apply_roles, sender=self, dispatch_uid="ocp_portal.roles")
        setting_changed.connect(forget_page_chrome, dispatch_uid="ocp_portal.chrome")
