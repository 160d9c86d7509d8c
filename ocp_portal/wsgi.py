import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocp_portal.settings")
application = get_wsgi_application()

from ocp_portal.celery import app  # noqa: E402  (after Django's set-up)
from ocp_portal.queue import run_in_background  # noqa: E402

if app.conf.task_always_eager:
    # The embedded default (no broker): tasks run beside the requests, not inside them.
    run_in_background()
