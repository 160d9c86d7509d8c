from django.apps import AppConfig


class ExtraitsConfig(AppConfig):
    name = "extraits"
    verbose_name = "Extraits du registre"
    default_auto_field = "django.db.models.BigAutoField"
