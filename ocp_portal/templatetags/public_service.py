from django import template
from django.utils import timezone

from ocp_portal import public_services

register = template.Library()


@register.simple_tag(takes_context=True)
def page_service(context):
    """`{% page_service as site %}`: the service the page speaks for (public_services.for_page), from
    the request's URL namespace and the `issuer` a payment page puts in its context."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is not None:
        namespace = match.namespace
    else:  # a page not found: the service whose URLs it was looked for under
        namespace = public_services.namespace_of_path(getattr(request, "path", ""))
    return public_services.for_page(namespace, context.get("issuer"))


@register.simple_tag(takes_context=True)
def reported_page(context) -> str:
    """The page a report of a barrier is about: its route (`paiements/payer/<signed:token>/`) rather
    than its address, which for a signed link holds the token, not to travel in an e-mail or a log."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:
        return getattr(request, "path", "")
    return "/" + match.route if match.kwargs else request.path


@register.simple_tag
def printed_at() -> str:
    """`30.11.2026 14:05`, now, on a printed page: what `{% now "d.m.Y H:i" %}` wrote, without
    Django's localised formatter (45 us on every page, issue 17)."""
    return timezone.localtime().strftime("%d.%m.%Y %H:%M")
