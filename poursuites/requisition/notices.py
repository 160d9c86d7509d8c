"""The e-mails that tell a creditor how its réquisition filed online goes on.

Each step is recorded (``AvisCreancier``) in the transaction that made it, then sent by a task once
it commits; a sweep sends what a lost message left unsent. The e-mail names the poursuite by its
number only: never the debtor, whose data are not to travel by e-mail.
"""

import logging
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ocp_portal.formats import format_date
from ocp_portal.links import absolute_url
from ocp_portal.queue import enqueue_on_commit

from ..constants import PoursuiteStatus
from ..procedure import continuation_from, opposition_deadline, payment_deadline
from .models import AvisCreancier, DepotEnLigne, DepotKind

log = logging.getLogger(__name__)
S = PoursuiteStatus

RECEIVED, CHECKING, REGISTERED, REFUSED = "depot:recue", "depot:en_verification", "depot:enregistree", "depot:refusee"
STATUS_PREFIX = "statut:"
SWEEP_AFTER = timedelta(minutes=10)


def notify(filing: DepotEnLigne, step: str) -> None:
    """Record the e-mail of `step` (once per step) and send it once the transaction commits."""
    notice, created = AvisCreancier.objects.get_or_create(depot=filing, step=step)
    if created:
        from ..tasks import send_creditor_notice

        enqueue_on_commit(send_creditor_notice, notice.pk)


def status_changed(poursuite, previous: str) -> None:
    """Called by poursuites.services when a poursuite's status changes: its creditor is told when
    the poursuite came from a filing online."""
    if poursuite.status == previous or not poursuite.requisition_code:
        return
    filing = DepotEnLigne.objects.filter(poursuite_id=poursuite.pk).first()
    if filing is not None:
        notify(filing, f"{STATUS_PREFIX}{poursuite.status}")


def _status_text(poursuite) -> str:
    number = poursuite.reference
    notified = poursuite.notification_date
    status = S(poursuite.status)
    if status == S.NOTIFIEE and notified:
        return _(
            "Le commandement de payer de la poursuite n° %(number)s a été notifié au débiteur le %(date)s. "
            "Le débiteur peut former opposition jusqu'au %(opposition)s et payer jusqu'au %(payment)s. "
            "Sans opposition ni paiement, vous pourrez requérir la continuation de la poursuite "
            "dès le %(continuation)s."
        ) % {
            "number": number,
            "date": format_date(notified),
            "opposition": format_date(opposition_deadline(notified)),
            "payment": format_date(payment_deadline(notified)),
            "continuation": format_date(continuation_from(notified)),
        }
    texts = {
        S.OPPOSITION_TOTALE: _(
            "Le débiteur a formé opposition totale à la poursuite n° %(number)s. La poursuite est suspendue : "
            "pour la continuer, demandez au tribunal la mainlevée de l'opposition (art. 79 à 84 LP)."
        ),
        S.OPPOSITION_PARTIELLE: _(
            "Le débiteur a formé opposition partielle à la poursuite n° %(number)s. Vous pourrez requérir la "
            "continuation pour la part non contestée ; pour le reste, demandez la mainlevée de l'opposition."
        ),
        S.OPPOSITION_LEVEE: _(
            "L'opposition à la poursuite n° %(number)s a été levée. Vous pouvez requérir la continuation "
            "de la poursuite."
        ),
        S.CONTINUATION: _("La réquisition de continuer la poursuite n° %(number)s a été enregistrée."),
        S.ADB_DELIVRE: _(
            "La poursuite n° %(number)s s'est terminée par un acte de défaut de biens, que l'office vous envoie."
        ),
        S.PAYEE: _("La poursuite n° %(number)s est entièrement payée."),
        S.RETIREE: _("La poursuite n° %(number)s a été retirée (contrordre)."),
        S.ANNULEE: _("La poursuite n° %(number)s a été annulée."),
    }
    if status in texts:
        return texts[status] % {"number": number}
    return _("La poursuite n° %(number)s en est à l'étape : %(step)s.") % {"number": number, "step": status.label}


def _subject(filing: DepotEnLigne, step: str) -> str:
    """« Réquisition n° 3F2A-91C0 reçue », « Contrordre n° … reçu — poursuite n° … »."""
    subjects = {
        DepotKind.REQUISITION: {
            RECEIVED: _("Réquisition n° %(reference)s reçue"),
            CHECKING: _("Réquisition n° %(reference)s en vérification"),
            REFUSED: _("Réquisition n° %(reference)s refusée"),
        },
        DepotKind.CONTRORDRE: {
            RECEIVED: _("Contrordre n° %(reference)s reçu — poursuite n° %(number)s"),
            CHECKING: _("Contrordre n° %(reference)s en vérification — poursuite n° %(number)s"),
            REFUSED: _("Contrordre n° %(reference)s refusé — poursuite n° %(number)s"),
        },
        DepotKind.CONTINUATION: {
            RECEIVED: _("Réquisition de continuer n° %(reference)s reçue — poursuite n° %(number)s"),
            CHECKING: _("Réquisition de continuer n° %(reference)s en vérification — poursuite n° %(number)s"),
            REFUSED: _("Réquisition de continuer n° %(reference)s refusée — poursuite n° %(number)s"),
        },
    }
    number = filing.target.reference if filing.target_id else ""
    return subjects[filing.kind][step] % {"reference": filing.reference, "number": number}


def message_of(notice: AvisCreancier) -> tuple[str, str]:
    """The subject and the sentence of the e-mail of a step."""
    filing = notice.depot
    poursuite = filing.poursuite
    if notice.step == RECEIVED:
        return (
            _subject(filing, RECEIVED),
            _(
                "Nous avons reçu votre %(what)s déposée en ligne. L'office vérifie la signature et les données, "
                "puis l'enregistre."
            )
            % {"what": _("demande") if not filing.is_requisition else _("réquisition de poursuite")},
        )
    if notice.step == CHECKING:
        return _subject(filing, CHECKING), _("L'office vérifie votre demande déposée en ligne.")
    if notice.step == REFUSED:
        return (
            _subject(filing, REFUSED),
            _("L'office n'a pas pu enregistrer votre demande. Motif : %(reason)s") % {"reason": filing.refusal_reason},
        )
    if notice.step == REGISTERED:
        return (
            _("Réquisition n° %(reference)s enregistrée : poursuite n° %(number)s")
            % {"reference": filing.reference, "number": poursuite.reference},
            _(
                "Votre réquisition a été enregistrée sous le n° de poursuite %(number)s. L'office va notifier "
                "le commandement de payer au débiteur. Rappelez ce numéro dans toute correspondance."
            )
            % {"number": poursuite.reference},
        )
    status = S(notice.step.removeprefix(STATUS_PREFIX))
    return (
        _("Poursuite n° %(number)s : %(status)s") % {"number": poursuite.reference, "status": status.label.lower()},
        _status_text(poursuite) if poursuite.status == status else _status_text_for(poursuite, status),
    )


def _status_text_for(poursuite, status) -> str:
    """The poursuite moved on before the e-mail left: say the step it was about, plainly."""
    return _("La poursuite n° %(number)s est passée à l'étape : %(step)s.") % {
        "number": poursuite.reference,
        "step": status.label,
    }


def send(notice_id: int) -> bool:
    """Send the e-mail of one step, once; True when sent now."""
    with transaction.atomic():
        notice = (
            AvisCreancier.objects.select_for_update(of=("self",))
            .select_related("depot__user", "depot__poursuite", "depot__target")
            .get(pk=notice_id)
        )
        if notice.sent_at is not None:
            return False
        filing = notice.depot
        subject, text = message_of(notice)
        context = {
            "text": text,
            "filing": filing,
            "detail_url": absolute_url(reverse("poursuites:requisition:mine_detail", args=[filing.public_id])),
        }
        EmailMessage(
            subject=subject,
            body=render_to_string("poursuites/email/creditor_notice.txt", context),
            to=[filing.user.email],
        ).send()
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
    log.info("creditor notice %s sent for filing %s", notice.step, filing.public_id)
    return True


def unsent(*, now=None) -> list[int]:
    """Notices a lost message left unsent for a while."""
    before = (now or timezone.now()) - SWEEP_AFTER
    return list(AvisCreancier.objects.filter(sent_at__isnull=True, created_at__lt=before).values_list("pk", flat=True))
