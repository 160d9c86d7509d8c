"""The ground floor's e-mails leave through the worker: an SMTP outage delays them, never fails the page."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=True, retry_kwargs={"max_retries": 8})
def send_feedback(subject: str, body: str, reply_to: str) -> None:
    """A report from the accessibility statement's form, to the office (see ocp_portal.feedback)."""
    EmailMessage(
        subject=subject,
        body=body,
        to=[settings.ACCESSIBILITY_FEEDBACK_EMAIL],
        reply_to=[reply_to] if reply_to else None,
    ).send()
