from django.apps import AppConfig


class OcpPortalConfig(AppConfig):
    """Project-wide pieces shared by every app: money, dates, addresses, PDF, template tags."""

    name = "ocp_portal"
    verbose_name = "Portail OCP"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
        from .converters import register

        register()
