"""The e-mail acknowledging an arrangement request: sent once, from the Service des
contraventions' own sender, with the order's number and the amounts, nothing else of the
requester's (no name, no message, no phone)."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ocp_portal import signed_links
from ocp_portal.links import absolute_url
from ocp_portal.text import one_line

from .balance import order_balance
from .models import ArrangementPaiement

log = logging.getLogger(__name__)
SWEEP_DAYS = 7


def status_link(arrangement: ArrangementPaiement) -> str:
    """The signed path of the request's status page (no reference to type)."""
    token = signed_links.sign("arrangement-status", {"a": arrangement.pk})
    return reverse("contraventions:arrangement_status_link", args=[token])


def send_acknowledgement(arrangement_id: int) -> bool:
    """Acknowledge the request once; True when sent now. The row stays locked while sending."""
    with transaction.atomic():
        arrangement = (
            ArrangementPaiement.objects.select_for_update(of=("self",))
            .select_related("ordonnance")
            .get(pk=arrangement_id)
        )
        if arrangement.acknowledged_at:
            return False
        order = arrangement.ordonnance
        context = {
            "arrangement": arrangement,
            "order": order,
            "balance": order_balance(order),
            "service": settings.CONTRAVENTIONS,
            "status_url": absolute_url(status_link(arrangement)),
            "lookup_url": absolute_url(reverse("contraventions:arrangement_status")),
        }
        EmailMessage(
            subject=one_line(
                _("Demande d'arrangement de paiement %(reference)s reçue — %(order)s")
                % {"reference": arrangement.reference, "order": order}
            ),
            body=render_to_string("contraventions/email/arrangement_acknowledgement.txt", context),
            from_email=settings.CONTRAVENTIONS_FROM_EMAIL,
            to=[arrangement.email],
        ).send()
        arrangement.acknowledged_at = timezone.now()
        arrangement.save(update_fields=["acknowledged_at"])
    log.info("arrangement request %s acknowledged", arrangement.reference)
    return True


def unacknowledged(*, on: date) -> list[int]:
    """Recent requests whose acknowledgement a lost broker message left unsent (sending is
    idempotent, so the sweep may meet the task; requests older than the sweep are left alone)."""
    since = on - timedelta(days=SWEEP_DAYS)
    unsent = ArrangementPaiement.objects.filter(acknowledged_at__isnull=True, requested_on__gte=since)
    return list(unsent.values_list("pk", flat=True))
