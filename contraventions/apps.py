from django.apps import AppConfig


class ContraventionsConfig(AppConfig):
    name = "contraventions"
    verbose_name = "Contraventions"
    default_auto_field = "django.db.models.BigAutoField"
