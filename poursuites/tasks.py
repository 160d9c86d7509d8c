"""Celery tasks of the register: ids in, one service each, idempotent, retried."""

from smtplib import SMTPException

from celery import shared_task

from ocp_portal.dates import today
from ocp_portal.queue import enqueue

from .non_divulgation import letters, services
from .requisition import notices

RETRY = {"autoretry_for": (SMTPException, OSError), "retry_backoff": True, "retry_kwargs": {"max_retries": 8}}


@shared_task(**RETRY)
def prepare_interpellation(demande_id: int) -> bool:
    """Render the letter to the creditor, then e-mail it when the creditor has an address."""
    rendered = letters.render_letter(demande_id)
    emailed = letters.email_letter(demande_id)
    return rendered or emailed


@shared_task(**RETRY)
def send_outcome(demande_id: int) -> bool:
    return letters.send_outcome(demande_id)


@shared_task
def non_disclosure_daily() -> dict:
    """Daily (beat): grant the requests whose creditor deadline is past without proof, then
    redo the letters and e-mails a lost message left undone."""
    granted = services.grant_expired(on=today())
    letter_ids, outcome_ids = letters.unfinished_work()
    for demande_id in letter_ids:
        enqueue(prepare_interpellation, demande_id)
    for demande_id in outcome_ids:
        enqueue(send_outcome, demande_id)
    return {"granted": granted, "letters": len(letter_ids), "outcomes": len(outcome_ids)}


@shared_task(**RETRY)
def send_creditor_notice(notice_id: int) -> bool:
    """The e-mail telling a creditor a step of its réquisition filed online."""
    return notices.send(notice_id)


@shared_task
def creditor_notices_sweep() -> int:
    """Periodic (beat): send again the creditors' e-mails a lost message left unsent."""
    notice_ids = notices.unsent()
    for notice_id in notice_ids:
        enqueue(send_creditor_notice, notice_id)
    return len(notice_ids)
