from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule


class PaiementsConfig(AppConfig):
    name = "paiements"
    verbose_name = "Paiements"

    def ready(self):
        """Register the purposes each app offers in its `payment_purposes.PURPOSES` (the admin's
        autodiscovery, for payments): paiements names no domain app."""
        from .purposes import registry

        for app in apps.get_app_configs():
            if module_has_submodule(app.module, "payment_purposes"):
                for purpose in import_module(f"{app.name}.payment_purposes").PURPOSES:
                    registry.register(purpose)
