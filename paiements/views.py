import logging

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ocp_portal.dates import today
from ocp_portal.qrcodes import qr_svg_data_uri

from . import conditions, links, services
from .constants import Actor, PaymentState
from .forms import CheckoutForm
from .gateways.base import BadSignature, GatewayError
from .models import Payment
from .purposes import registry

log = logging.getLogger(__name__)


@require_http_methods(["GET", "POST"])
def start(request, token):
    """Choose balance or instalment, give the e-mail, accept the conditions, go to the PSP."""
    target = links.read_token(token)
    purpose = registry.get(target[0]) if target else None
    obj = purpose.resolve(target[1]) if purpose else None
    if obj is None:
        raise Http404
    initial = {"email": request.user.email} if request.user.is_authenticated else None
    form = CheckoutForm(request.POST or None, purpose=purpose, obj=obj, initial=initial)
    version, blocks = conditions.current()
    unavailable = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        payment = services.create_payment(
            purpose_code=purpose.code,
            reference=target[1],
            instalment=data["instalment_amount"],
            email=data["email"],
            conditions_version=version,
        )
        try:
            url = services.open_checkout(
                payment,
                return_url=request.build_absolute_uri(reverse("paiements:return", args=[payment.public_id])),
                cancel_url=request.build_absolute_uri(reverse("paiements:abandon", args=[payment.public_id])),
            )
        except GatewayError:
            unavailable = True
        else:
            return redirect(url)
    context = {
        "form": form,
        "label": purpose.describe(obj),
        "due": purpose.amount_due(obj, today()),
        "conditions": blocks,
        "conditions_version": version,
        "phone_qr": qr_svg_data_uri(request.build_absolute_uri()),
        "unavailable": unavailable,
    }
    return render(request, "paiements/start.html", context, status=503 if unavailable else 200)


def _outcome_page(request, payment, *, problem: str = ""):
    retry = links.checkout_path(payment.purpose, payment.object_reference)
    follow_up = None
    purpose = registry.get(payment.purpose)
    if payment.state == PaymentState.CAPTURED and purpose is not None:
        obj = purpose.resolve(payment.object_reference)
        follow_up = purpose.follow_up(obj) if obj is not None else None
    context = {"payment": payment, "retry_url": retry, "problem": problem, "follow_up": follow_up}
    return render(request, "paiements/outcome.html", context)


@require_http_methods(["GET"])
def checkout_return(request, public_id):
    """Back from the PSP: read the state from the PSP itself, never from the URL."""
    payment = get_object_or_404(Payment, public_id=public_id)
    problem = ""
    try:
        payment = services.refresh_from_gateway(payment, actor=Actor.PAYER)
    except GatewayError:
        problem = "gateway"
    return _outcome_page(request, payment, problem=problem)


@require_http_methods(["GET"])
def abandon(request, public_id):
    payment = get_object_or_404(Payment, public_id=public_id)
    problem = ""
    try:
        payment = services.abandon(payment)
    except GatewayError:
        problem = "gateway"
    return _outcome_page(request, payment, problem=problem)


@csrf_exempt
@require_POST
def webhook(request, gateway):
    if gateway not in ("stripe", "sandbox"):
        raise Http404
    try:
        services.handle_notification(gateway, request.body, request.headers)
    except BadSignature:
        return HttpResponseBadRequest(_("Signature invalide."))
    except GatewayError:
        return HttpResponse(status=503)  # the PSP retries later
    return HttpResponse(status=200)
