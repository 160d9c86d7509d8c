"""Sign-up, e-mail verification and the e-mails they send (their links on PORTAL_URL, see ocp_portal.links).

`next` is the page the visitor was on when asked to log in (e.g. /extraits/commander/): it rides in
the links so that, once the address is confirmed and the owner logged in, they land there. Callers
pass it through `safe_next` first; the login view checks it again.
"""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode, urlsafe_base64_encode

from ocp_portal.links import absolute_url
from ocp_portal.queue import enqueue

from . import tasks
from .models import Compte
from .tokens import verification_token

User = get_user_model()
log = logging.getLogger(__name__)


def _send(template: str, to: str, context: dict) -> None:
    subject = "".join(render_to_string(f"accounts/email/{template}_subject.txt", context).splitlines())
    body = render_to_string(f"accounts/email/{template}_body.txt", context)
    enqueue(tasks.send_message, subject, body, to)


def safe_next(value: str | None) -> str:
    """`value` if it is a path of this portal ("/extraits/commander/"), else "": never another site."""
    if not value or len(value) > 500 or not value.startswith("/"):
        return ""
    return value if url_has_allowed_host_and_scheme(value, allowed_hosts=None) else ""


def verification_url(user, next_url: str = "") -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("comptes:verify", args=[uidb64, verification_token.make_token(user)])
    return absolute_url(path, next=safe_next(next_url))


def send_verification(user, next_url: str = "") -> None:
    _send("verify", user.email, {"user": user, "url": verification_url(user, next_url)})


def sign_up(*, email: str, password: str, kind: str, company_name: str = "", uid: str = "", next_url: str = "") -> None:
    """Create an inactive account and mail it a verification link.

    If the address already has an account, nothing tells the visitor: its owner gets an e-mail instead
    (with a new link when the account still waits for its confirmation). The existing account is left as it is.
    """
    existing = User._default_manager.filter(username__iexact=email).select_related("compte").first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User(username=email, email=email, is_active=False)
                user.set_password(password)
                user.save()
                Compte.objects.create(user=user, kind=kind, company_name=company_name, uid=uid)
        except IntegrityError:  # the same address signed up at the same moment
            existing = User._default_manager.select_related("compte").get(username__iexact=email)
        else:
            log.info("Account %s signed up, waiting for its address to be confirmed", user.pk)
            send_verification(user, next_url)
            return
    make_password(password)  # as long as a new account takes, so that timing reveals nothing either
    compte = getattr(existing, "compte", None)
    pending = compte is not None and not compte.is_verified and not existing.is_active
    _send(
        "signup_exists",
        existing.email or email,
        {
            "user": existing,
            "verify_url": verification_url(existing, next_url) if pending else "",
            "login_url": absolute_url(reverse("comptes:login"), next=safe_next(next_url)),
            "reset_url": absolute_url(reverse("comptes:password_reset")),
        },
    )


def resend_verification(email: str, next_url: str = "") -> None:
    """Mail a new link if the address has an account still waiting for its confirmation; else nothing."""
    user = (
        User._default_manager.filter(username__iexact=email, is_active=False, compte__verified_at__isnull=True)
        .select_related("compte")
        .first()
    )
    if user is not None:
        send_verification(user, next_url)


def user_from_uidb64(uidb64: str):
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        return User._default_manager.select_related("compte").get(pk=pk)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


def confirm_address(user) -> None:
    """The owner proved they read the mailbox: the account becomes active (once)."""
    with transaction.atomic():
        compte = Compte.objects.select_for_update().get(user=user)
        if compte.verified_at is None:
            compte.verified_at = timezone.now()
            compte.save(update_fields=["verified_at"])
            User._default_manager.filter(pk=user.pk).update(is_active=True)
            log.info("Account %s confirmed its address", user.pk)
    user.refresh_from_db()
