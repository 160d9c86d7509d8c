"""The register's part of the day's work (ocp_portal.dashboard): réquisitions filed online to check,
and the non-divulgation requests."""

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from ocp_portal.dashboard import admin_changelist, dashboard_item
from ocp_portal.dates import today

from .constants import EtatNonDivulgation
from .non_divulgation.models import DemandeNonDivulgation
from .requisition.models import DepotEnLigne

PERMISSION = "poursuites.view_demandenondivulgation"


def end_of_week(day: date) -> date:
    """The Sunday of `day`'s week."""
    return day + timedelta(days=6 - day.weekday())


@dashboard_item(
    title=_("Interpellations de non-divulgation à notifier"),
    permission=PERMISSION,
    url=lambda: admin_changelist(
        "poursuites", "demandenondivulgation", etat=EtatNonDivulgation.INTERPELLATION_A_NOTIFIER
    ),
    order=20,
)
def letters_to_notify() -> int:
    return DemandeNonDivulgation.objects.filter(state=EtatNonDivulgation.INTERPELLATION_A_NOTIFIER).count()


def _deadlines_filter() -> dict:
    # A deadline already over with no decision yet is still the clerks' work this week.
    return {"state": EtatNonDivulgation.DELAI_EN_COURS, "deadline_on__lte": end_of_week(today())}


@dashboard_item(
    title=_("Délais des créanciers échus ou échéant cette semaine"),
    permission=PERMISSION,
    url=lambda: admin_changelist(
        "poursuites",
        "demandenondivulgation",
        etat=EtatNonDivulgation.DELAI_EN_COURS,
        deadline_on__lte=end_of_week(today()).isoformat(),
    ),
    order=30,
)
def creditor_deadlines_this_week() -> int:
    return DemandeNonDivulgation.objects.filter(**_deadlines_filter()).count()


@dashboard_item(
    title=_("Réquisitions et demandes déposées en ligne à vérifier"),
    permission="poursuites.view_depotenligne",
    url=lambda: admin_changelist("poursuites", "depotenligne", etat="ouvertes"),
    order=15,
)
def online_filings_to_check() -> int:
    return DepotEnLigne.objects.filter(state__in=DepotEnLigne.OPEN_STATES).count()
