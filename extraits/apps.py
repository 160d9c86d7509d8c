from django.apps import AppConfig


class ExtraitsConfig(AppConfig):
    name = "extraits"
    verbose_name = "Extraits du registre"
