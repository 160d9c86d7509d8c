from django.core.management.base import BaseCommand
from django.db import transaction

from poursuites import demo
from poursuites.lookup import LookupResult, lookup
from poursuites.models import Poursuite


class Command(BaseCommand):
    help = "Remplit le registre de données de démonstration et crée les comptes du guichet."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=300, help="Nombre de poursuites (300 par défaut).")
        parser.add_argument("--force", action="store_true", help="Ajouter des poursuites même si le registre en a.")

    def handle(self, *args, count, force, **options):
        clerks = demo.create_clerks()
        if Poursuite.objects.exists() and not force:
            self.stdout.write("Le registre contient déjà des poursuites : rien n'est ajouté (--force pour en ajouter).")
        else:
            with transaction.atomic():
                demo.build_register(count)
            self.stdout.write(self.style.SUCCESS(f"{count} poursuites de démonstration créées."))
        self.stdout.write(
            f"Guichet : http://127.0.0.1:8000/guichet/  comptes {', '.join(clerks)}, mot de passe {demo.DEMO_PASSWORD}"
        )
        self.stdout.write("À essayer sur http://127.0.0.1:8000/poursuites/solde/ :")
        for label, result in self._examples():
            self.stdout.write(f"  {result.dossier.reference}  {label}")

    def _examples(self):
        from ocp_portal.dates import today

        wanted = {
            "notifiee": "commandement de payer notifié, intérêts en cours",
            "opposition_totale": "opposition totale",
            "payee": "payée",
            "adb_delivre": "terminée par un acte de défaut de biens",
        }
        for status, label in wanted.items():
            poursuite = Poursuite.objects.filter(status=status).order_by("number").first()
            if poursuite:
                yield label, lookup(poursuite.number, poursuite.key_letter, today())
                if status == "adb_delivre":
                    adb = poursuite.actes_defaut_biens.first()
                    yield "acte de défaut de biens", LookupResult(adb, today(), None)
