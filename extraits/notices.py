"""E-mails to the account: payment and request confirmed, extract ready. Each sent once."""

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ocp_portal.links import absolute_url

from .models import DemandeExtrait, Extrait

log = logging.getLogger(__name__)


def send_payment_confirmation(extract_request_id: int) -> bool:
    with transaction.atomic():
        extract_request = DemandeExtrait.objects.select_for_update().get(pk=extract_request_id)
        if extract_request.paid_at is None or extract_request.confirmation_sent_at:
            return False
        context = {
            "extract_request": extract_request,
            "requests_url": absolute_url(reverse("extraits:requests")),
        }
        send_mail(
            subject=_("Extrait du registre des poursuites : paiement reçu, demande transmise"),
            message=render_to_string("extraits/email/payment_confirmation.txt", context),
            from_email=None,
            recipient_list=[extract_request.account.email],
        )
        extract_request.confirmation_sent_at = timezone.now()
        extract_request.save(update_fields=["confirmation_sent_at"])
    log.info("payment confirmation sent for extract request %s", extract_request.public_id)
    return True


def send_ready_notice(document_id: int) -> bool:
    """Tells the account its extract is ready, with the reference; never the key, never the PDF."""
    with transaction.atomic():
        document = (
            Extrait.objects.select_for_update(of=("self",))
            .select_related("extract_request__account")
            .get(pk=document_id)
        )
        if document.ready_notice_sent_at or document.superseded_at:
            return False
        context = {"document": document, "requests_url": absolute_url(reverse("extraits:requests"))}
        send_mail(
            subject=_("Votre extrait du registre des poursuites est disponible (%(reference)s)")
            % {"reference": document.reference},
            message=render_to_string("extraits/email/ready.txt", context),
            from_email=None,
            recipient_list=[document.extract_request.account.email],
        )
        document.ready_notice_sent_at = timezone.now()
        document.save(update_fields=["ready_notice_sent_at"])
    log.info("ready notice sent for extract %s", document.reference)
    return True
