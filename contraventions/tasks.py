from celery import shared_task

from ocp_portal.dates import today

from . import arrangements, recovery


@shared_task
def daily_recovery() -> dict:
    """Propose the recovery steps now due and flag missed instalments; running it twice the
    same day changes nothing (both services record each thing once)."""
    on = today()
    return {
        "proposed": recovery.propose_due_steps(on=on),
        "missed_instalments": arrangements.flag_missed_instalments(on=on),
    }
