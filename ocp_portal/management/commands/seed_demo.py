import time

from django.core.management.base import BaseCommand
from django.db import transaction

from contraventions import demo as contraventions_demo
from extraits import demo as extraits_demo
from poursuites import bulk_demo, demo
from poursuites.models import Poursuite

# Above this count the register is written in bulk (poursuites.bulk_demo) rather than
# through the services one poursuite at a time.
BULK_THRESHOLD = 5000


class Command(BaseCommand):
    help = "Remplit le registre de données de démonstration et crée les comptes du guichet."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=300, help="Nombre de poursuites (300 par défaut).")
        parser.add_argument("--force", action="store_true", help="Ajouter des poursuites même si le registre en a.")
        parser.add_argument(
            "--bulk",
            action="store_true",
            help=f"Écrire en masse (COPY sur PostgreSQL), d'office au-delà de {BULK_THRESHOLD} poursuites.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Graine du générateur (2026 par défaut).")

    def handle(self, *args, count, force, bulk, seed, **options):
        clerks = demo.create_clerks()
        if Poursuite.objects.exists() and not force:
            self.stdout.write("Le registre contient déjà des poursuites : rien n'est ajouté (--force pour en ajouter).")
        elif bulk or count > BULK_THRESHOLD:
            started = time.monotonic()
            bulk_demo.build_register(count, seed=seed, progress=self._progress(count, started))
            elapsed = time.monotonic() - started
            self.stdout.write(
                self.style.SUCCESS(f"{count} poursuites de démonstration créées en masse en {elapsed:.0f} s.")
            )
        else:
            with transaction.atomic():
                demo.build_register(count, seed=seed)
            self.stdout.write(self.style.SUCCESS(f"{count} poursuites de démonstration créées."))
        self.stdout.write(
            f"Guichet : http://127.0.0.1:8000/guichet/  comptes {', '.join(clerks)}, mot de passe {demo.DEMO_PASSWORD}"
        )
        self.stdout.write("À essayer sur http://127.0.0.1:8000/poursuites/solde/ :")
        for label, dossier in self._examples():
            self.stdout.write(f"  {dossier.reference}  {label}")
        self.stdout.write("Ordonnances pénales, sur http://127.0.0.1:8000/contraventions/ (référence à 27 chiffres) :")
        for label, order in contraventions_demo.build_demo():
            self.stdout.write(f"  {order.qr_reference}  n° {order.case_number}, {label}")
        self.stdout.write("Paiement par carte (PSP de test) : Visa Debit 4000 0566 5566 5556, code 123.")
        self._extract_example()
        poursuite, email = demo.non_disclosure_case()
        debtor = poursuite.debtor
        self.stdout.write(
            f"Non-divulgation : connexion sur http://127.0.0.1:8000/compte/connexion/ ({email}, mot de passe "
            f"{demo.DEMO_PASSWORD}), puis http://127.0.0.1:8000/poursuites/non-divulgation/ : poursuite "
            f"{poursuite.reference}, débitrice {debtor.first_name} {debtor.name} née le {debtor.birth_date:%d.%m.%Y}."
        )

    def _extract_example(self):
        self.stdout.write(
            "Extrait du registre : créer un compte sur http://127.0.0.1:8000/compte/inscription/ (le lien de "
            "confirmation arrive dans var/mail/), puis http://127.0.0.1:8000/extraits/commander/"
        )
        example = extraits_demo.example_subject()
        if example:
            party, count = example
            self.stdout.write(
                f"  par exemple {party.first_name} {party.name}, né(e) le {party.birth_date:%d.%m.%Y}, "
                f"{', '.join(party.address_lines)} ({count} poursuites au registre) ;"
            )
        self.stdout.write("  vérifier un extrait (tiers) : http://127.0.0.1:8000/extraits/verifier/")

    def _progress(self, count, started):
        step = max(count // 20, 1)

        def report(done):
            if done % step < bulk_demo.BATCH_SIZE or done == count:
                rate = done / max(time.monotonic() - started, 1e-6)
                self.stdout.write(f"  {done}/{count} poursuites ({rate:.0f}/s)")
                self.stdout.flush()

        return report

    def _examples(self):
        """A few dossiers of the register worth a look, with their number and key letter."""
        wanted = {
            "notifiee": "commandement de payer notifié, intérêts en cours",
            "opposition_totale": "opposition totale",
            "payee": "payée",
            "adb_delivre": "terminée par un acte de défaut de biens",
        }
        for status, label in wanted.items():
            poursuite = Poursuite.objects.filter(status=status).order_by("number").first()
            if poursuite:
                yield label, poursuite
                adb = poursuite.actes_defaut_biens.first()
                if adb:
                    yield "acte de défaut de biens (payable par carte)", adb
