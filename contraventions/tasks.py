from smtplib import SMTPException

from celery import shared_task

from ocp_portal.dates import today
from ocp_portal.queue import enqueue

from . import arrangements, notices, recovery

RETRY = {"retry_backoff": True, "retry_kwargs": {"max_retries": 8}}


@shared_task
def daily_recovery() -> dict:
    """Propose the recovery steps now due, flag missed instalments and send the acknowledgements a
    lost message left unsent; running it twice the same day changes nothing (each service records
    each thing once)."""
    on = today()
    unsent = notices.unacknowledged(on=on)
    for arrangement_id in unsent:
        enqueue(send_arrangement_acknowledgement, arrangement_id)
    return {
        "proposed": recovery.propose_due_steps(on=on),
        "missed_instalments": arrangements.flag_missed_instalments(on=on),
        "acknowledgements": len(unsent),
    }


@shared_task(autoretry_for=(SMTPException, OSError), **RETRY)
def send_arrangement_acknowledgement(arrangement_id: int) -> bool:
    return notices.send_acknowledgement(arrangement_id)
