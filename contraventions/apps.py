from django.apps import AppConfig


class ContraventionsConfig(AppConfig):
    name = "contraventions"
    verbose_name = "Contraventions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from paiements.purposes import registry

        from .payment_purposes import PURPOSES

        for purpose in PURPOSES:
            registry.register(purpose)
