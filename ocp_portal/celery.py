import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocp_portal.settings")

app = Celery("ocp_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def warm_up_documents(**kwargs):
    """Each worker process loads WeasyPrint and the seal before its first task (a new process too,
    after `max_tasks_per_child`): no receipt or extract waits for them."""
    from .pdf import warm_up

    warm_up()


def route_task(name, args, kwargs, options, task=None, **kw):
    """What the beat schedule sends (daily recovery, sweeps, reconciliation) goes to the "batch"
    queue; everything else to the default, "urgent" one (settings: CELERY_TASK_QUEUES)."""
    from django.conf import settings

    if name in {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}:
        return {"queue": "batch"}
    return None
