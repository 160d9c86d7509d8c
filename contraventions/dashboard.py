"""The penal orders' part of the day's work (ocp_portal.dashboard)."""

from django.utils.translation import gettext_lazy as _

from ocp_portal.dashboard import admin_changelist, dashboard_item

from . import arrangements, recovery


@dashboard_item(
    title=_("Ordonnances pénales dues pour leur prochaine étape de recouvrement"),
    permission="contraventions.view_etaperecouvrement",
    url=lambda: admin_changelist("contraventions", "etaperecouvrement", a_effectuer="oui"),
    order=60,
)
def recovery_steps_due() -> int:
    return recovery.pending_proposals().count()


@dashboard_item(
    title=_("Arrangements de paiement avec une échéance manquée"),
    permission="contraventions.view_arrangementpaiement",
    url=lambda: admin_changelist("contraventions", "arrangementpaiement", echeance_manquee="oui"),
    order=70,
)
def missed_instalments() -> int:
    return arrangements.with_missed_instalment().count()
