from django.apps import AppConfig


class PoursuitesConfig(AppConfig):
    name = "poursuites"
    verbose_name = "Registre des poursuites"
    default_auto_field = "django.db.models.BigAutoField"
