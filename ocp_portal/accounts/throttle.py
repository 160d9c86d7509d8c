"""Hooks of django-axes (login throttling): the client's address, the username, the lockout page."""

import ipaddress
import math

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.shortcuts import render
from django.utils import timezone

from ocp_portal import ratelimit


def client_ip(request) -> str | None:
    """The address rate limits use (ratelimit.client_ip, trusting TRUSTED_PROXY_COUNT proxies).

    None rather than text that is no IP address: axes stores it in a GenericIPAddressField.
    """
    address = ratelimit.client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        fallback = request.META.get("REMOTE_ADDR", "")
        try:
            return str(ipaddress.ip_address(fallback))
        except ValueError:
            return None


def username(request, credentials) -> str | None:
    """The username tried, as the accounts store it: e-mail addresses are lower-cased."""
    source = credentials or getattr(request, "data", request.POST)
    value = source.get("username")
    return value.strip().lower() if isinstance(value, str) else value


def lockout(request, original_response=None, credentials=None):
    """A French page (429) that tells when logging in is possible again."""
    now = timezone.now()
    cool_off = get_cool_off(request)
    retry_at = now + cool_off
    last = (
        AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), ip_address=getattr(request, "axes_ip_address", None)
        )
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    if last is not None:
        retry_at = min(retry_at, last + cool_off)
    seconds = max(0, (retry_at - now).total_seconds())
    context = {"retry_at": retry_at, "minutes": max(1, math.ceil(seconds / 60))}
    response = render(request, "accounts/lockout.html", context, status=429)
    response["Retry-After"] = str(math.ceil(seconds))
    return response
