from django.apps import AppConfig


class PoursuitesConfig(AppConfig):
    name = "poursuites"
    verbose_name = "Registre des poursuites"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from paiements.purposes import registry

        from .payment_purposes import PURPOSES

        for purpose in PURPOSES:
            registry.register(purpose)
