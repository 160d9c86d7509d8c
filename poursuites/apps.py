from django.apps import AppConfig


class PoursuitesConfig(AppConfig):
    name = "poursuites"
    verbose_name = "Registre des poursuites"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers the check of the minimum-vital figures)
