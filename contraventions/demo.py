"""Demo penal orders for `make run`, built through the same services as the guichet."""

from datetime import timedelta
from decimal import Decimal

from ocp_portal.dates import today
from ocp_portal.demo import demo_part
from poursuites.constants import PartyKind
from poursuites.models import Party

from . import arrangements, recovery, services
from .models import OrdonnancePenale

OFFENCES = [
    "Stationnement sur une place réservée aux livraisons, rue du Rhône, le 3 mars à 10h12",
    "Excès de vitesse de 8 km/h en localité (marge déduite), route de Chêne",
    "Stationnement sur un parking privé ouvert au public sans autorisation",
]


def _offender(name: str, first_name: str, street: str, number: str, postal_code: str, town: str) -> Party:
    # Created, not looked up by name: the demo register may hold namesakes (they are other people).
    return Party.objects.create(
        kind=PartyKind.PHYSIQUE,
        name=name,
        first_name=first_name,
        street=street,
        house_number=number,
        postal_code=postal_code,
        town=town,
    )


@demo_part
def seed_demo(command, **options):
    command.stdout.write("Ordonnances pénales, sur http://127.0.0.1:8000/contraventions/ (référence à 27 chiffres) :")
    for label, order in build_demo():
        command.stdout.write(f"  {order.qr_reference}  n° {order.case_number}, {label}")


def build_demo() -> list[tuple[str, OrdonnancePenale]]:
    """A few orders worth a look (label, order); nothing is added if there already are some."""
    if not OrdonnancePenale.objects.exists():
        _build()
    examples = []
    for label, state in (
        ("notifiée, payable (carte, facture QR, virement)", "notifiee"),
        ("en rappel, émolument de rappel compris", "en_rappel"),
        ("en opposition", "opposition"),
    ):
        order = OrdonnancePenale.objects.ordinaires().filter(state=state).order_by("case_number").first()
        if order:
            examples.append((label, order))
    with_arrangement = OrdonnancePenale.objects.filter(arrangements__state="accepte").first()
    if with_arrangement:
        examples.append(("arrangement de paiement accordé (échéancier PDF)", with_arrangement))
    return examples


def _build():
    day = today()
    rochat = _offender("Rochat", "Léa", "Rue de Carouge", "12", "1205", "Genève")
    favre = _offender("Favre", "Marco", "Avenue de France", "40", "1202", "Genève")
    berisha = _offender("Berisha", "Nadia", "Route de Chêne", "81", "1224", "Chêne-Bougeries")

    services.register_order(
        offender=rochat, offence=OFFENCES[0], fine=Decimal("120.00"), notification_date=day - timedelta(days=6)
    )
    late = services.register_order(
        offender=favre, offence=OFFENCES[1], fine=Decimal("250.00"), notification_date=day - timedelta(days=60)
    )
    recovery.send_reminder(order=late, on=day - timedelta(days=20))
    contested = services.register_order(
        offender=berisha, offence=OFFENCES[2], fine=Decimal("40.00"), notification_date=day - timedelta(days=8)
    )
    services.record_opposition(order=contested, on=day - timedelta(days=2))
    instalments = services.register_order(
        offender=berisha, offence=OFFENCES[1], fine=Decimal("600.00"), notification_date=day - timedelta(days=12)
    )
    request = arrangements.request_arrangement(
        order=instalments, monthly_amount=Decimal("150.00"), email="nadia.berisha@example.ch", on=day
    )
    arrangements.accept(arrangement=request, first_due_date=day + timedelta(days=20), on=day)
