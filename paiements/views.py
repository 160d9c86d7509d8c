import logging

from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocp_portal import ratelimit
from ocp_portal.dates import today
from ocp_portal.pdf import pdf_response, render_pdf
from ocp_portal.qrcodes import qr_svg_data_uri

from . import links, services
from .constants import Actor, PaymentState
from .forms import CheckoutForm
from .gateways.base import BadSignature, GatewayError
from .models import Payment
from .payment_part import payment_part, screen_svg
from .purposes import Purpose, registry
from .qrbill import build_qr_bill
from .receipts import receipt_filename, receipt_pdf

log = logging.getLogger(__name__)
PAYER_SESSION_KEY = "paiements_started"  # the payments this browser started (their public ids)
PAYER_SESSION_MAX = 20


def remember_payer(request, payment: Payment) -> None:
    started = [value for value in request.session.get(PAYER_SESSION_KEY, []) if value != str(payment.public_id)]
    request.session[PAYER_SESSION_KEY] = [*started, str(payment.public_id)][-PAYER_SESSION_MAX:]


def is_payer(request, payment: Payment) -> bool:
    """The transaction number is printed on the page and in URLs: only the browser that started the
    payment sees who paid what, and only it may abandon the payment."""
    return str(payment.public_id) in request.session.get(PAYER_SESSION_KEY, [])


def _qr_bill(token: str):
    """The purpose, its QR-bill's content and the bill behind a signed link; 404 when the link is
    forged or old, or when the object no longer takes a QR-bill (paid, withdrawn...)."""
    target = links.read_qr_bill_token(token)
    purpose = registry.get(target[0]) if target else None
    obj = purpose.resolve(target[1]) if purpose else None
    content = purpose.qr_bill(obj, target[2]) if obj is not None else None
    if content is None:
        raise Http404
    bill = build_qr_bill(
        amount=content.amount,
        reference=content.reference,
        additional_information=content.additional_information,
        issuer=purpose.issuer,
    )
    return purpose, content, bill


@require_GET
def qr_bill_svg_view(request, token):
    _purpose, _content, bill = _qr_bill(token)
    response = HttpResponse(screen_svg(payment_part(bill)), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def qr_bill_pdf_view(request, token):
    """The bill on an A4 page headed by its issuer, with what the purpose says above the payment part."""
    purpose, content, bill = _qr_bill(token)
    if not ratelimit.render_allowed(request):
        return ratelimit.too_many_renders(request, issuer=purpose.issuer)
    context = {
        **content.summary_context,
        "office": purpose.issuer,
        "title": content.title,
        "summary_template": content.summary_template,
        "part": payment_part(bill),
    }
    return pdf_response(render_pdf("pdf/qr_bill.html", context), content.filename)


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
    version, blocks = purpose.issuer.conditions()
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
        remember_payer(request, payment)
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
        "issuer": purpose.issuer,
        "phone_qr": qr_svg_data_uri(request.build_absolute_uri()),
        "unavailable": unavailable,
    }
    return render(request, "paiements/start.html", context, status=503 if unavailable else 200)


def _outcome_page(request, payment, *, problem: str = "", interrupted: bool = False):
    retry = links.checkout_path(payment.purpose, payment.object_reference)
    follow_up = back_link = None
    purpose = registry.get(payment.purpose)
    if payment.state == PaymentState.CAPTURED and purpose is not None:
        obj = purpose.resolve(payment.object_reference)
        if obj is not None:
            follow_up, back_link = purpose.follow_up(obj), purpose.back_link(obj)
    context = {
        "payment": payment,
        "issuer": (purpose or Purpose()).issuer,
        "payer": is_payer(request, payment),
        "retry_url": retry,
        "problem": problem,
        "interrupted": interrupted,
        "follow_up": follow_up,
        "back_link": back_link,
    }
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


@require_http_methods(["GET", "POST"])
def abandon(request, public_id):
    """The PSP's cancel link (GET) shows where the payment stands; only the payer's POST closes it."""
    payment = get_object_or_404(Payment, public_id=public_id)
    problem = ""
    try:
        if request.method == "GET":
            payment = services.refresh_from_gateway(payment, actor=Actor.PAYER)
        elif is_payer(request, payment):
            payment = services.abandon(payment)
        else:
            return HttpResponseForbidden(_("Seul le navigateur qui a commencé ce paiement peut l'abandonner."))
    except GatewayError:
        problem = "gateway"
    return _outcome_page(request, payment, problem=problem, interrupted=request.method == "GET")


@require_GET
def receipt(request, public_id):
    """The receipt of a captured payment, for the browser that paid only: it names what was paid and
    the card's last digits, and the transaction number it is reached by is no secret."""
    payment = get_object_or_404(Payment, public_id=public_id, state=PaymentState.CAPTURED)
    if not is_payer(request, payment):
        return HttpResponseForbidden(
            _("Seul le navigateur qui a effectué ce paiement peut télécharger sa quittance, envoyée aussi par e-mail.")
        )
    return pdf_response(receipt_pdf(payment), receipt_filename(payment))


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
