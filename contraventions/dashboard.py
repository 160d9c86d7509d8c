"""The penal orders' part of the day's work (ocp_portal.dashboard)."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from ocp_portal.dashboard import admin_changelist, dashboard_item

from . import recovery
from .constants import EtatArrangement
from .models import ArrangementPaiement, Echeance


@dashboard_item(
    title=_("Ordonnances pénales dues pour leur prochaine étape de recouvrement"),
    permission="contraventions.view_etaperecouvrement",
    url=lambda: admin_changelist("contraventions", "etaperecouvrement", a_effectuer="oui"),
    order=60,
)
def recovery_steps_due() -> int:
    return recovery.pending_proposals().count()


def arrangements_with_missed_instalment():
    missed = Echeance.objects.filter(arrangement=OuterRef("pk"), missed_on__isnull=False)
    return ArrangementPaiement.objects.filter(Exists(missed), state=EtatArrangement.ACCEPTE)


def _missed_url() -> str:
    # The list has no filter on the instalments: the few arrangements are named by id (0, which no
    # row has, when there are none: an empty `id__in` is an error for the admin).
    ids = ",".join(str(pk) for pk in arrangements_with_missed_instalment().values_list("pk", flat=True)) or "0"
    return admin_changelist("contraventions", "arrangementpaiement", state__exact=EtatArrangement.ACCEPTE, id__in=ids)


@dashboard_item(
    title=_("Arrangements de paiement avec une échéance manquée"),
    permission="contraventions.view_arrangementpaiement",
    url=_missed_url,
    order=70,
)
def missed_instalments() -> int:
    return arrangements_with_missed_instalment().count()
