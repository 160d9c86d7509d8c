"""What `seed_demo` points at for the extract: a person of the register with several poursuites."""

from django.db.models import Count

from ocp_portal.dates import today
from ocp_portal.demo import demo_part
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


@demo_part
def seed_demo(command, **options):
    out = command.stdout
    out.write(
        "Extrait du registre : créer un compte sur http://127.0.0.1:8000/compte/inscription/ (le lien de "
        "confirmation arrive dans var/mail/), puis http://127.0.0.1:8000/extraits/commander/"
    )
    example = example_subject()
    if example:
        party, count = example
        out.write(
            f"  par exemple {party.first_name} {party.name}, né(e) le {party.birth_date:%d.%m.%Y}, "
            f"{', '.join(party.address_lines)} ({count} poursuites au registre) ;"
        )
    out.write("  vérifier un extrait (tiers) : http://127.0.0.1:8000/extraits/verifier/")
