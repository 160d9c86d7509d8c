"""`make run`'s demo data: each app's part comes from its `demo` module (see ocp_portal.demo)."""

from django.core.management.base import BaseCommand

from ocp_portal import demo


class Command(BaseCommand):
    help = "Remplit le registre de données de démonstration et crée les comptes du guichet."

    def add_arguments(self, parser):
        for part in demo.parts():
            if part.add_arguments:
                part.add_arguments(parser)

    def handle(self, *args, **options):
        for part in demo.parts():
            part.seed(self, **options)
        self.stdout.write("Paiement par carte (PSP de test) : Visa Debit 4000 0566 5566 5556, code 123.")
