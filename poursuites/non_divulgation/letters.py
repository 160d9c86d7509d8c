"""The documents of the procedure: the interpellation of the creditor (PDF, also e-mailed when
the creditor has an address) and the e-mail telling the requester the outcome. Each is made
once, under the request's row lock; a failure rolls back and the task or the sweep retries."""

import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ocp_portal.links import absolute_url
from ocp_portal.pdf import render_pdf

from ..constants import NON_DISCLOSURE_CREDITOR_DAYS, NON_DISCLOSURE_FEE, EtatNonDivulgation
from ..services import record_history
from .models import DemandeNonDivulgation

log = logging.getLogger(__name__)
E = EtatNonDivulgation
LETTER_STATES = (E.INTERPELLATION_A_NOTIFIER, E.DELAI_EN_COURS)
SWEEP_AFTER = timedelta(minutes=10)
PORTAL = "Portail"


def _locked(demande_id: int) -> DemandeNonDivulgation:
    return (
        DemandeNonDivulgation.objects.select_for_update(of=("self",))
        .select_related("poursuite__creditor", "poursuite__debtor", "poursuite__representative")
        .get(pk=demande_id)
    )


def _done(demande: DemandeNonDivulgation, timestamp_field: str, action: str, *, fields=()) -> None:
    """Stamp the step as done on the locked request and write it in the poursuite's history."""
    setattr(demande, timestamp_field, timezone.now())
    demande.save(update_fields=[timestamp_field, "updated_at", *fields])
    record_history(
        poursuite=demande.poursuite, actor_label=PORTAL, action=action, changes={"demande": demande.reference}
    )


def letter_context(demande: DemandeNonDivulgation) -> dict:
    poursuite = demande.poursuite
    return {
        "demande": demande,
        "poursuite": poursuite,
        "addressee": poursuite.representative or poursuite.creditor,
        "creditor": poursuite.creditor,
        "debtor": poursuite.debtor,
        "days": NON_DISCLOSURE_CREDITOR_DAYS,
        "letter_date": timezone.localdate(),
    }


def render_letter(demande_id: int) -> bool:
    """Render the interpellation of the creditor once; True when rendered now."""
    with transaction.atomic():
        demande = _locked(demande_id)
        if demande.state not in LETTER_STATES or demande.letter:
            return False
        pdf = render_pdf("pdf/non_divulgation_letter.html", letter_context(demande))
        demande.letter.save(
            f"interpellation-{demande.poursuite.number:08d}-{demande.pk}.pdf", ContentFile(pdf), save=False
        )
        _done(
            demande,
            "letter_rendered_at",
            _("Interpellation du créancier établie (non-divulgation), à notifier"),
            fields=["letter"],
        )
    log.info("interpellation letter rendered for non-disclosure request %s", demande.public_id)
    return True


def creditor_email(demande: DemandeNonDivulgation) -> str:
    poursuite = demande.poursuite
    return (poursuite.representative and poursuite.representative.email) or poursuite.creditor.email


def email_letter(demande_id: int) -> bool:
    """E-mail the rendered letter to the creditor (or its representative) once, when it has an address."""
    with transaction.atomic():
        demande = _locked(demande_id)
        to = creditor_email(demande)
        if demande.state not in LETTER_STATES or not demande.letter or demande.letter_emailed_at or not to:
            return False
        message = EmailMessage(
            subject=_("Interpellation — demande de non-divulgation, poursuite n° %(number)s")
            % {"number": demande.poursuite.reference},
            body=render_to_string("poursuites/email/non_divulgation_interpellation.txt", letter_context(demande)),
            to=[to],
        )
        with demande.letter.open("rb") as letter:
            message.attach(f"interpellation-{demande.poursuite.number:08d}.pdf", letter.read(), "application/pdf")
        message.send()
        _done(demande, "letter_emailed_at", _("Interpellation envoyée par e-mail au créancier"))
    return True


def send_outcome(demande_id: int) -> bool:
    """Tell the requester the outcome (granted or rejected) once."""
    with transaction.atomic():
        demande = _locked(demande_id)
        if demande.state not in (E.ACCORDEE, E.REJETEE) or demande.outcome_sent_at:
            return False
        context = {
            "demande": demande,
            "poursuite": demande.poursuite,
            "granted": demande.state == E.ACCORDEE,
            "fee": NON_DISCLOSURE_FEE,
            "detail_url": absolute_url(reverse("poursuites:non_divulgation_detail", args=[demande.public_id])),
        }
        EmailMessage(
            subject=_("Votre demande de non-divulgation — poursuite n° %(number)s : %(state)s")
            % {"number": demande.poursuite.reference, "state": demande.get_state_display().lower()},
            body=render_to_string("poursuites/email/non_divulgation_outcome.txt", context),
            to=[demande.email],
        ).send()
        _done(demande, "outcome_sent_at", _("Requérant informé de l'issue de sa demande de non-divulgation"))
    return True


def unfinished_work(*, now=None) -> tuple[list[int], list[int]]:
    """Requests whose letter (rendering or e-mail) or outcome e-mail a lost message left undone."""
    stale = (now or timezone.now()) - SWEEP_AFTER
    in_letter_state = Q(state__in=LETTER_STATES, updated_at__lt=stale)
    has_address = Q(poursuite__creditor__email__gt="") | Q(poursuite__representative__email__gt="")
    letters = DemandeNonDivulgation.objects.filter(
        in_letter_state & (Q(letter="") | (Q(letter_emailed_at__isnull=True) & has_address))
    )
    outcomes = DemandeNonDivulgation.objects.filter(
        state__in=[E.ACCORDEE, E.REJETEE], outcome_sent_at__isnull=True, updated_at__lt=stale
    )
    return sorted(set(letters.values_list("pk", flat=True))), list(outcomes.values_list("pk", flat=True))
