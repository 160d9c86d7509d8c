"""The extracts' part of the day's work (ocp_portal.dashboard)."""

from django.utils.translation import gettext_lazy as _

from ocp_portal.dashboard import admin_changelist, dashboard_item

from .constants import RequestState
from .models import DemandeExtrait


@dashboard_item(
    title=_("Demandes d'extrait à vérifier au guichet"),
    permission="extraits.view_demandeextrait",
    url=lambda: admin_changelist("extraits", "demandeextrait", state__exact=RequestState.EN_VERIFICATION),
    order=10,
)
def extracts_to_check() -> int:
    return DemandeExtrait.objects.filter(state=RequestState.EN_VERIFICATION).count()
