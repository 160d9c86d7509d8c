"""The accounts' e-mails leave through the worker: an SMTP outage delays them, never fails the page."""

from smtplib import SMTPException

from celery import shared_task
from django.core.mail import send_mail


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_kwargs={"max_retries": 8})
def send_message(subject: str, body: str, to: str) -> None:
    send_mail(subject, body, None, [to])
