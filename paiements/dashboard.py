"""The payments' part of the day's work (ocp_portal.dashboard)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocp_portal.dashboard import admin_changelist, dashboard_item

from .constants import PaymentState
from .models import Incident, Payment

# A checkout lives 30 (sandbox) or 33 (Stripe) minutes: an authorization older than this is stuck.
STUCK_AFTER = timedelta(minutes=45)


def stuck_since():
    # Whole seconds, so that the list's link filters exactly what was counted.
    return (timezone.now() - STUCK_AFTER).replace(microsecond=0)


@dashboard_item(
    title=_("Incidents de paiement ouverts"),
    permission="paiements.view_incident",
    url=lambda: admin_changelist("paiements", "incident", closed_at__isnull="True"),
    order=40,
)
def open_incidents() -> int:
    return Incident.objects.filter(closed_at__isnull=True).count()


@dashboard_item(
    title=_("Paiements autorisés non encaissés depuis plus de 45 minutes"),
    permission="paiements.view_payment",
    url=lambda: admin_changelist(
        "paiements",
        "payment",
        state__exact=PaymentState.AUTHORIZED,
        created_at__lt=timezone.localtime(stuck_since()).isoformat(),
    ),
    order=50,
)
def stuck_authorizations() -> int:
    return Payment.objects.filter(state=PaymentState.AUTHORIZED, created_at__lt=stuck_since()).count()
