from django.apps import AppConfig


class ExtraitsConfig(AppConfig):
    name = "extraits"
    verbose_name = "Extraits du registre"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from paiements.purposes import registry

        from .payment_purposes import PURPOSE

        registry.register(PURPOSE)
