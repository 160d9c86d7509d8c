"""Tasks shared by every app."""

from smtplib import SMTPException

from celery import shared_task
from django.core.mail import EmailMessage


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_kwargs={"max_retries": 6})
def send_email(*, to: list[str], subject: str, body: str) -> None:
    """Send one plain-text e-mail; retried with backoff while the mail server is unreachable."""
    EmailMessage(subject=subject, body=body, to=to).send()
