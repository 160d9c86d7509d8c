"""Sending work to the Celery workers without letting a broker outage reach the user.

Whatever must not be lost is recorded in the database before it is enqueued, and a periodic sweep
finds it again (receipts, extracts, letters). So when Redis is down, the message is dropped with an
error in the log, the page goes on, and the sweep does the work once the broker is back.

On the embedded default there is no broker: Celery runs a task in the process that sends it. A web
process (ocp_portal.wsgi: `make run`, or gunicorn without a broker) runs them in one background
thread instead (`run_in_background`), one after the other as a worker would, so that no page waits
for a receipt or an extract being made. That thread also runs the beat schedule, as `celery beat`
would: the sweeps from its start, so that a task a stop of the process interrupted is done again.
"""

import logging
import threading
from datetime import UTC, datetime
from functools import partial
from queue import Empty, SimpleQueue

from celery.exceptions import Retry
from django.conf import settings
from django.db import connections, transaction
from kombu.exceptions import OperationalError as BrokerError

log = logging.getLogger(__name__)

_background: SimpleQueue | None = None  # the background thread's tasks, once it runs
_thread: threading.Thread | None = None
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def enqueue(task, *args) -> bool:
    """Send `task(*args)` to the workers (or run it here in eager mode, in the background thread
    when it runs); False when the broker is out of reach."""
    if _background is not None and task.app.conf.task_always_eager:
        _background.put((task.name, args))
        return True
    try:
        task.delay(*args)
    except BrokerError as error:
        log.error("broker unreachable, %s%r left to its sweep: %s", task.name, args, error)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    """`enqueue` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(partial(enqueue, task, *args))


def run_in_background() -> None:
    """From now on, tasks sent in eager mode run in this process's background thread (started once),
    which first loads the PDF machinery (ocp_portal.pdf.warm_up)."""
    global _background, _thread
    if _background is None:
        _background = SimpleQueue()
        _thread = threading.Thread(target=_work, args=(_background,), name="ocp-tasks", daemon=True)
        _thread.start()


def stop_background(timeout: float = 60) -> None:
    """Tasks run in the sender again; the background thread ends after those sent so far (waited for)."""
    global _background, _thread
    if _background is not None:
        tasks, thread, _background, _thread = _background, _thread, None, None
        tasks.put(None)
        thread.join(timeout)


def _beat_schedule() -> dict:
    """Task name -> its schedule in the beat schedule (an interval, or hours as a crontab)."""
    from celery.schedules import maybe_schedule

    from .celery import app

    return {
        entry["task"]: maybe_schedule(entry["schedule"], app=app) for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }


def _work(tasks: SimpleQueue) -> None:
    from celery.schedules import schedule as interval

    from .celery import app
    from .pdf import warm_up

    warm_up()
    schedules = _beat_schedule()
    # What runs at an interval (the sweeps, the reconciliation) runs at once, for what a stop left
    # undone; what runs at an hour waits for it.
    last_run = {name: LONG_AGO if type(when) is interval else app.now() for name, when in schedules.items()}
    while True:
        wait = 60.0
        for name, when in schedules.items():
            due, next_check = when.is_due(last_run[name])
            if due:
                tasks.put((name, ()))
                last_run[name] = app.now()
            wait = min(wait, next_check)
        try:
            job = tasks.get(timeout=max(wait, 0.1))
        except Empty:
            continue
        if job is None:
            return
        run_task(*job)


def task_named(name: str):
    """The task of that name; a web process has imported only the tasks' modules it has used so far,
    so the others are imported first, as a worker does when it starts."""
    from .celery import app

    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def run_task(name: str, args: tuple, attempt: int = 0) -> None:
    """Run a task here, as a worker would: a task that asks to be retried (its `autoretry_for`, an
    SMTP server down) is sent again later, with the task's own backoff and retry count; any other
    failure is logged (its sweep does it again). The database connections it opened are closed."""
    task = task_named(name)
    try:
        task.apply(args=args, throw=True)
    except Retry:
        retries = task.max_retries if task.max_retries is not None else 3
        if attempt < retries and _background is not None:
            later = threading.Timer(min(2**attempt, 600), _background.put, args=((name, args, attempt + 1),))
            later.daemon = True
            later.start()
            log.warning("task %s%r asked to be retried (%s of %s)", name, args, attempt + 1, retries)
        else:
            log.error("task %s%r gave up after %s tries in the background thread", name, args, attempt + 1)
    except Exception:
        log.exception("task %s%r failed in the background thread; left to its sweep", name, args)
    finally:
        connections.close_all()  # this thread's own
