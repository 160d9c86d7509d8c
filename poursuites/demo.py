"""A realistic demo register, built through the same services as the guichet."""

import random
import time
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from ocp_portal.bookkeeping import MoneySource
from ocp_portal.dates import today
from ocp_portal.demo import demo_part

from . import services
from .balance import poursuite_balance
from .constants import EventType, PartyKind, PoursuiteKind
from .models import Party, Poursuite
from .procedure import continuation_from

FIRST_NAMES = ["Jean", "Marie", "Luca", "Sofia", "Ahmed", "Nadia", "Pierre", "Chloé", "Marco", "Léa", "João", "Fatima"]
LAST_NAMES = ["Dupont", "Rochat", "Favre", "Müller", "Rossi", "Da Silva", "Nguyen", "Berisha", "Martin", "Bonvin"]
STREETS = [
    "Rue de Carouge",
    "Boulevard Carl-Vogt",
    "Route de Chêne",
    "Avenue de France",
    "Rue de Lausanne",
    "Quai du Seujet",
]
TOWNS = [("1205", "Genève"), ("1227", "Carouge"), ("1220", "Les Avanchets"), ("1213", "Onex"), ("1203", "Genève")]
COMPANIES = [
    ("Swisscom (Suisse) SA", "CHE-116.281.710"),
    ("Assura-Basis SA", "CHE-105.936.547"),
    ("Régie du Rhône SA", ""),
    ("Services industriels de Genève", ""),
    ("Helsana Assurances SA", ""),
]
TITLES = [
    "Primes d'assurance-maladie impayées, janvier à juin",
    "Facture n° 2024-118 du 12 mars, abonnement téléphonique",
    "Loyers impayés, appartement 4 pièces",
    "Contrat de prêt du 3 mai, remboursement échu",
    "Facture d'électricité et de gaz",
]
# Where each demo poursuite's procedure ends: (weight, steps after notification).
SCENARIOS = [
    (6, "requisition"),
    (14, "notifiee"),
    (10, "opposition_totale"),
    (4, "opposition_partielle"),
    (5, "mainlevee"),
    (6, "continuation"),
    (6, "saisie"),
    (3, "faillite"),
    (3, "gage"),
    (12, "adb"),
    (14, "payee"),
    (5, "acompte"),
    (4, "contrordre"),
    (2, "annulation"),
]
CLERKS = [("guichet", "Guichet"), ("superviseur", "Supervision")]
DEMO_PASSWORD = "ocp-demo-2026"  # noqa: S105  (local demo only, printed by seed_demo)
# Above this count the register is written in bulk (bulk_demo) rather than through the services
# one poursuite at a time.
BULK_THRESHOLD = 5000


def create_clerks():
    User = get_user_model()
    for username, group in CLERKS:
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=group))
    return [username for username, _group in CLERKS]


def _person(rng):
    town = rng.choice(TOWNS)
    party = Party(
        kind=PartyKind.PHYSIQUE,
        name=rng.choice(LAST_NAMES),
        first_name=rng.choice(FIRST_NAMES),
        birth_date=date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        street=rng.choice(STREETS),
        house_number=str(rng.randint(1, 120)),
        postal_code=town[0],
        town=town[1],
    )
    party.full_clean()
    party.save()
    return party


def _companies():
    parties = []
    for name, uid in COMPANIES:
        party, _created = Party.objects.get_or_create(
            kind=PartyKind.MORALE,
            name=name,
            defaults={
                "uid": uid,
                "street": "Rue du Rhône",
                "house_number": "10",
                "postal_code": "1204",
                "town": "Genève",
            },
        )
        parties.append(party)
    return parties


def build_register(count: int, seed: int = 2026) -> list:
    rng = random.Random(seed)
    creditors = _companies()
    debtors = [_person(rng) for _ in range(max(5, count // 3))]
    scenarios = [name for weight, name in SCENARIOS for _ in range(weight)]
    made = []
    for index in range(count):
        scenario = scenarios[index % len(scenarios)]
        made.append(_poursuite(rng, scenario, rng.choice(creditors), rng.choice(debtors)))
    return made


def _poursuite(rng, scenario, creditor, debtor):
    kind = {"faillite": PoursuiteKind.FAILLITE, "gage": PoursuiteKind.GAGE}.get(scenario, PoursuiteKind.SAISIE)
    start = today() - timedelta(
        days=rng.randint(400, 700) if scenario not in ("requisition", "notifiee") else rng.randint(5, 60)
    )
    claim = Decimal(rng.choice([85, 240, 780, 1250, 3400, 8800, 15600, 48000])) + Decimal(rng.randint(0, 99)) / 100
    claims = [
        {
            "amount": claim,
            "title": rng.choice(TITLES),
            "interest_rate": Decimal(rng.choice(["5", "5", "3.5", "0"])),
            "interest_from": start - timedelta(days=rng.randint(30, 200)),
        }
    ]
    if rng.random() < 0.2:  # a second claim: the costs of the reminders
        claims.append(
            {"amount": Decimal("40.00"), "title": "Frais de rappel", "interest_rate": None, "interest_from": None}
        )
    poursuite = services.register_poursuite(
        creditor=creditor, debtor=debtor, kind=kind, claims=claims, requisition_date=start
    )
    if scenario == "requisition":
        return poursuite
    notified = start + timedelta(days=rng.randint(3, 12))
    if notified > today():
        return poursuite
    services.record_event(poursuite=poursuite, type=EventType.NOTIFICATION, on=notified)
    step = continuation_from(notified) + timedelta(days=4)  # once the 20 days are over

    def event(type, on, **kwargs):
        return services.record_event(poursuite=poursuite, type=type, on=on, **kwargs)

    if scenario == "opposition_totale":
        event(EventType.OPPOSITION_TOTALE, notified + timedelta(days=rng.randint(0, 9)))
    elif scenario == "opposition_partielle":
        event(
            EventType.OPPOSITION_PARTIELLE, notified + timedelta(days=4), amount=(claim / 3).quantize(Decimal("0.01"))
        )
    elif scenario == "mainlevee":
        event(EventType.OPPOSITION_TOTALE, notified + timedelta(days=2))
        event(EventType.MAINLEVEE, step + timedelta(days=60))
    elif scenario in ("continuation", "saisie", "adb", "faillite", "gage"):
        event(EventType.CONTINUATION, step)
        if scenario in ("saisie", "adb"):
            event(EventType.AVIS_SAISIE, step + timedelta(days=15))
            event(EventType.SAISIE_EXECUTEE, step + timedelta(days=40))
        if scenario == "faillite":
            event(EventType.COMMINATION_FAILLITE, step + timedelta(days=10))
        if scenario == "gage":
            event(EventType.REALISATION, step + timedelta(days=90))
        if scenario == "adb":
            adb = services.issue_adb(poursuite=poursuite, on=step + timedelta(days=120))
            if rng.random() < 0.3:
                services.record_payment(target=adb, on=adb.issued_on + timedelta(days=30), amount=adb.amount / 4)
    elif scenario in ("payee", "acompte"):
        on = notified + timedelta(days=rng.randint(5, 19))
        due = poursuite_balance(poursuite, on).total
        amount = due if scenario == "payee" else (due / 3).quantize(Decimal("0.01"))
        services.record_payment(target=poursuite, on=on, amount=amount, source=rng.choice(list(MoneySource)))
    elif scenario == "contrordre":
        event(EventType.CONTRORDRE, step)
    elif scenario == "annulation":
        event(EventType.ANNULATION, step + timedelta(days=100), note="Jugement du Tribunal de première instance")
    return poursuite


NON_DISCLOSURE_DEBTOR = {"name": "Keller", "first_name": "Nora", "birth_date": date(1985, 5, 17)}
NON_DISCLOSURE_EMAIL = "nora.keller@example.ch"


def non_disclosure_case():
    """A poursuite under total opposition notified 4 months ago, and a verified demo account for
    its debtor: the whole path of a non-divulgation request. Made once; returns (poursuite, e-mail)."""
    from ocp_portal.accounts.models import AccountKind, Compte

    debtor = Party.objects.filter(kind=PartyKind.PHYSIQUE, **NON_DISCLOSURE_DEBTOR).first()
    if debtor is None:
        debtor = Party(
            kind=PartyKind.PHYSIQUE,
            street="Rue des Eaux-Vives",
            house_number="21",
            postal_code="1207",
            town="Genève",
            **NON_DISCLOSURE_DEBTOR,
        )
        debtor.full_clean()
        debtor.save()
    poursuite = debtor.poursuites_as_debtor.order_by("number").first()
    if poursuite is None:
        creditor, _created = Party.objects.get_or_create(
            kind=PartyKind.MORALE,
            name="Recouvrements Léman SA",
            defaults={
                "street": "Rue de Lausanne",
                "house_number": "44",
                "postal_code": "1201",
                "town": "Genève",
                "email": "contentieux@recouvrements-leman.example",
            },
        )
        notified = today() - timedelta(days=125)
        poursuite = services.register_poursuite(
            creditor=creditor,
            debtor=debtor,
            kind=PoursuiteKind.SAISIE,
            claims=[{"amount": Decimal("2480.00"), "title": "Facture contestée n° 5521 du 2 février"}],
            requisition_date=notified - timedelta(days=12),
        )
        services.record_event(poursuite=poursuite, type=EventType.NOTIFICATION, on=notified)
        services.record_event(poursuite=poursuite, type=EventType.OPPOSITION_TOTALE, on=notified + timedelta(days=2))
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=NON_DISCLOSURE_EMAIL, defaults={"email": NON_DISCLOSURE_EMAIL, "first_name": "Nora"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    Compte.objects.get_or_create(user=user, defaults={"kind": AccountKind.PARTICULIER, "verified_at": timezone.now()})
    poursuite.refresh_from_db()
    return poursuite, NON_DISCLOSURE_EMAIL


def add_arguments(parser):
    parser.add_argument("--count", type=int, default=300, help="Nombre de poursuites (300 par défaut).")
    parser.add_argument("--force", action="store_true", help="Ajouter des poursuites même si le registre en a.")
    parser.add_argument(
        "--bulk",
        action="store_true",
        help=f"Écrire en masse (COPY sur PostgreSQL), d'office au-delà de {BULK_THRESHOLD} poursuites.",
    )
    parser.add_argument("--seed", type=int, default=2026, help="Graine du générateur (2026 par défaut).")


@demo_part(add_arguments=add_arguments)
def seed_demo(command, *, count, force, bulk, seed, **options):
    """The register and the clerks' accounts, then what to try: balances and non-divulgation."""
    out = command.stdout
    clerks = create_clerks()
    if Poursuite.objects.exists() and not force:
        out.write("Le registre contient déjà des poursuites : rien n'est ajouté (--force pour en ajouter).")
    elif bulk or count > BULK_THRESHOLD:
        from . import bulk_demo  # which reads this module's tables: imported here, not in a cycle

        started = time.monotonic()
        progress = _progress(out, count, started, batch_size=bulk_demo.BATCH_SIZE)
        bulk_demo.build_register(count, seed=seed, progress=progress)
        elapsed = time.monotonic() - started
        out.write(command.style.SUCCESS(f"{count} poursuites de démonstration créées en masse en {elapsed:.0f} s."))
    else:
        with transaction.atomic():
            build_register(count, seed=seed)
        out.write(command.style.SUCCESS(f"{count} poursuites de démonstration créées."))
    out.write(f"Guichet : http://127.0.0.1:8000/guichet/  comptes {', '.join(clerks)}, mot de passe {DEMO_PASSWORD}")
    out.write("À essayer sur http://127.0.0.1:8000/poursuites/solde/ :")
    for label, dossier in _examples():
        out.write(f"  {dossier.reference}  {label}")
    poursuite, email = non_disclosure_case()
    debtor = poursuite.debtor
    out.write(
        f"Non-divulgation : connexion sur http://127.0.0.1:8000/compte/connexion/ ({email}, mot de passe "
        f"{DEMO_PASSWORD}), puis http://127.0.0.1:8000/poursuites/non-divulgation/ : poursuite "
        f"{poursuite.reference}, débitrice {debtor.first_name} {debtor.name} née le {debtor.birth_date:%d.%m.%Y}."
    )


def _progress(out, count, started, *, batch_size):
    step = max(count // 20, 1)

    def report(done):
        if done % step < batch_size or done == count:
            rate = done / max(time.monotonic() - started, 1e-6)
            out.write(f"  {done}/{count} poursuites ({rate:.0f}/s)")
            out.flush()

    return report


def _examples():
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
