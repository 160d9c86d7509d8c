"""A realistic demo register, built through the same services as the guichet."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from ocp_portal.bookkeeping import MoneySource
from ocp_portal.dates import today

from . import services
from .balance import poursuite_balance
from .constants import EventType, PartyKind, PoursuiteKind
from .models import Party

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
    step = notified + timedelta(days=25)

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
