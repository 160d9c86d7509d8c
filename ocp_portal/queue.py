"""Sending work to the Celery workers without letting a broker outage reach the user.

Whatever must not be lost is recorded in the database before it is enqueued, and a periodic sweep
finds it again (receipts, extracts, letters). So when Redis is down, the message is dropped with an
error in the log, the page goes on, and the sweep does the work once the broker is back.
"""

import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

log = logging.getLogger(__name__)


def enqueue(task, *args) -> bool:
    """Send `task(*args)` to the workers (or run it here in eager mode); False when the broker is
    out of reach."""
    try:
        task.delay(*args)
    except BrokerError as error:
        log.error("broker unreachable, %s%r left to its sweep: %s", task.name, args, error)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """`enqueue` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(partial(enqueue, task, *args))
