"""What `seed_demo` points at for the extract: a person of the register with several poursuites."""

from django.db.models import Count

from ocp_portal.dates import today
from poursuites.constants import PartyKind
from poursuites.models import Party, Poursuite


def example_subject() -> tuple[Party, int] | None:
    shown = (
        Poursuite.objects.visible_to_third_parties(today())
        .filter(debtor__kind=PartyKind.PHYSIQUE, debtor__birth_date__isnull=False)
        .values("debtor")
        .annotate(count=Count("pk"))
        .order_by("-count", "debtor")
        .first()
    )
    return (Party.objects.get(pk=shown["debtor"]), shown["count"]) if shown else None
