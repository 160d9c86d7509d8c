from datetime import date, timedelta
from decimal import Decimal

import factory

from ocp_portal.dates import today
from poursuites import services
from poursuites.constants import EventType, PartyKind, PoursuiteKind
from poursuites.models import Party


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    kind = PartyKind.PHYSIQUE
    name = factory.Faker("last_name", locale="fr_CH")
    first_name = factory.Faker("first_name", locale="fr_CH")
    birth_date = date(1980, 5, 17)
    street = "Rue de Carouge"
    house_number = "12"
    postal_code = "1205"
    town = "Genève"


def private_person():
    """A debtor or offender whose name and street are words no page uses, for the tests that check they
    are never shown: a generated name may be a word of the page (« Comman » is in « Commandement »)."""
    return PersonFactory(name="Quarzwyler", first_name="Ottilie", street="Chemin des Xérophytes")


class CompanyFactory(PersonFactory):
    kind = PartyKind.MORALE
    name = factory.Sequence(lambda n: f"Créancière {n} SA")
    first_name = ""
    birth_date = None
    uid = "CHE-116.281.710"


def make_poursuite(
    *,
    claim=Decimal("1000.00"),
    kind=PoursuiteKind.SAISIE,
    requisition_date=None,
    notified_on=None,
    rate=Decimal("5"),
    interest_from=None,
    debtor=None,
):
    """A poursuite registered through the services, optionally notified."""
    if requisition_date is None:
        requisition_date = today() - timedelta(days=90)
        if notified_on:
            requisition_date = min(requisition_date, notified_on - timedelta(days=5))
    poursuite = services.register_poursuite(
        creditor=CompanyFactory(),
        debtor=debtor or PersonFactory(),
        kind=kind,
        claims=[
            {
                "amount": claim,
                "title": "Facture n° 2026-17 du 3 février",
                "interest_rate": rate,
                "interest_from": interest_from or (requisition_date if rate else None),
            }
        ],
        requisition_date=requisition_date,
    )
    if notified_on:
        services.record_event(poursuite=poursuite, type=EventType.NOTIFICATION, on=notified_on)
        poursuite.refresh_from_db()
    return poursuite


class AccountFactory(factory.django.DjangoModelFactory):
    """A public account, active and with its address verified; password "motdepasse-ocp-2026".

    AccountFactory(compte__kind="personne_morale", compte__company_name="Exemple SA", compte__uid="CHE-116.281.710")
    makes one of a personne morale.
    """

    class Meta:
        model = "auth.User"
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"compte{n}@exemple.ch")
    username = factory.LazyAttribute(lambda account: account.email.lower())
    is_active = True
    password = factory.django.Password("motdepasse-ocp-2026")

    @factory.post_generation
    def compte(user, create, extracted, **kwargs):
        from django.utils import timezone

        from ocp_portal.accounts.models import AccountKind, Compte

        kwargs.setdefault("kind", AccountKind.PARTICULIER)
        kwargs.setdefault("verified_at", timezone.now())
        compte = Compte(user=user, **kwargs)
        if create:
            compte.save()
        user.compte = compte
