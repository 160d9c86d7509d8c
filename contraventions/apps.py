from django.apps import AppConfig


class ContraventionsConfig(AppConfig):
    name = "contraventions"
    verbose_name = "Contraventions"
