from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from stdnum import iban

from ocp_portal import ratelimit, signed_links
from ocp_portal.dates import today
from paiements.links import checkout_path, qr_bill_token

from . import arrangements, documents, notices
from .constants import EtatArrangement
from .emoluments import (
    FORMAL_NOTICE_FEE,
    MIN_MONTHLY_INSTALMENT,
    PHOTO_FEE,
    REMINDER_FEE,
    emoluments_rows,
    report_copy_fee,
)
from .forms import ArrangementRequestForm, ArrangementStatusForm, ReferenceForm, ReportCopyForm
from .instalment_payments import InstalmentPurpose
from .lookup import LookupResult, find_order, lookup
from .models import ArrangementPaiement
from .payment_purposes import OrdonnancePenalePurpose

NOT_FOUND = gettext_lazy(
    "Aucune ordonnance pénale payable ne correspond à cette référence. Vérifiez les 27 chiffres sur la facture QR "
    "ou adressez-vous au Service des contraventions."
)
REQUEST_NOT_FOUND = gettext_lazy(
    "Aucune demande d'arrangement ne correspond à ces références. Vérifiez la référence de la demande, reçue par "
    "e-mail, et les 27 chiffres de l'ordonnance pénale."
)


@require_http_methods(["GET", "POST"])
def pay(request):
    """« Payer une ordonnance pénale »: the reference, then the amount due and three ways to pay."""
    form = ReferenceForm(request.POST or None)
    result, status = ratelimit.limited_lookup(
        request, form, "contraventions-lookup", lambda data: lookup(data["reference"]), NOT_FOUND
    )
    context = {
        "form": form,
        "result": result,
        "service": settings.CONTRAVENTIONS,
        "qr_iban": iban.format(settings.CONTRAVENTIONS["qr_iban"]),
    }
    if result:
        context.update(payment_links(result))
    return render(request, "contraventions/pay.html", context, status=status)


def payment_links(result: LookupResult) -> dict:
    """The signed links of a looked-up order: its balance (card, QR-bill), and under a granted
    arrangement the schedule and the next instalment's own card payment and QR-bill."""
    links = {}
    if result.is_payable:
        links["card_payment_url"] = checkout_path(OrdonnancePenalePurpose.code, result.order.qr_reference)
    if result.fits_a_qr_bill:
        links["qr_bill_token"] = qr_bill_token(OrdonnancePenalePurpose.code, result.order.qr_reference, today())
    if result.arrangement and result.is_payable:
        links["schedule_token"] = signed_links.sign("arrangement-schedule", {"a": result.arrangement.pk})
    if instalment := result.next_instalment:
        reference = instalment.instalment.qr_reference
        links["instalment_card_url"] = checkout_path(InstalmentPurpose.code, reference)
        links["instalment_qr_bill_token"] = qr_bill_token(InstalmentPurpose.code, reference, today())
    return links


def _signed(token: str, kind: str, key: str) -> int:
    try:
        return int(signed_links.unsign(kind, token)[key])
    except (KeyError, ValueError, TypeError):
        raise Http404 from None


@require_GET
@ratelimit.limit_renders
def schedule_pdf_view(request, token):
    """The schedule of a running arrangement; once honoured or broken its QR-bills are moot."""
    arrangement = ArrangementPaiement.objects.filter(
        pk=_signed(token, "arrangement-schedule", "a"), state=EtatArrangement.ACCEPTE
    ).first()
    if arrangement is None:
        raise Http404
    return documents.schedule_download(arrangement)


@require_http_methods(["GET", "POST"])
def arrangement_request(request):
    """The offender proposes monthly instalments; the request is recorded for a clerk."""
    form = ArrangementRequestForm(request.POST or None)
    status, granted = 200, None
    if request.method == "POST":
        if ratelimit.lookup_refused(request, form, "contraventions-lookup"):
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            order = find_order(data["reference"])
            if order is None:
                form.add_error("reference", NOT_FOUND)
            else:
                try:
                    arrangement = arrangements.request_arrangement(
                        order=order,
                        monthly_amount=data["monthly_amount"],
                        email=data["email"],
                        phone=data["phone"],
                        message=data["message"],
                        on=today(),
                    )
                except ValidationError as error:
                    form.add_error("monthly_amount" if error.code in arrangements.AMOUNT_REFUSALS else None, error)
                    if error.code == "granted":
                        granted = lookup(order.qr_reference)
                else:
                    context = {"arrangement": arrangement, "status_url": notices.status_link(arrangement)}
                    return render(request, "contraventions/arrangement_done.html", context)
    context = {"form": form, "minimum": MIN_MONTHLY_INSTALMENT, "service": settings.CONTRAVENTIONS}
    if granted:
        context.update(result=granted, **payment_links(granted))
    return render(request, "contraventions/arrangement_request.html", context, status=status)


def _status_page(request, arrangement: ArrangementPaiement | None, form=None, status: int = 200):
    context = {"form": form, "arrangement": arrangement, "service": settings.CONTRAVENTIONS}
    if arrangement is not None:
        result = lookup(arrangement.ordonnance.qr_reference)
        context.update(result=result, status=arrangements.request_status(arrangement, today()))
        if arrangement.state == EtatArrangement.ACCEPTE:
            context.update(payment_links(result))
    return render(request, "contraventions/arrangement_status.html", context, status=status)


def _find_request(data) -> ArrangementPaiement | None:
    order = find_order(data["reference"])
    if order is None:
        return None
    return order.arrangements.filter(reference=data["request_reference"]).select_related("ordonnance").first()


@require_http_methods(["GET", "POST"])
def arrangement_status(request):
    """« Suivre une demande d'arrangement »: by the request's reference and the order's 27 digits."""
    form = ArrangementStatusForm(request.POST or None)
    found, status = ratelimit.limited_lookup(request, form, "contraventions-lookup", _find_request, REQUEST_NOT_FOUND)
    return _status_page(request, found, form, status)


@require_GET
def arrangement_status_link(request, token):
    """The same page behind the signed link of the acknowledgement e-mail."""
    arrangement = ArrangementPaiement.objects.filter(pk=_signed(token, "arrangement-status", "a")).first()
    if arrangement is None:
        raise Http404
    return _status_page(request, arrangement)


@require_GET
def information(request):
    """Opposition, revision, photo, copy of the report (with its calculator) and the émoluments."""
    form = ReportCopyForm(request.GET if "pages" in request.GET else None)
    copy_fee = report_copy_fee(form.cleaned_data["pages"]) if form.is_bound and form.is_valid() else None
    context = {
        "form": form,
        "copy_fee": copy_fee,
        "emoluments_rows": emoluments_rows(),
        "reminder_fee": REMINDER_FEE,
        "notice_fee": FORMAL_NOTICE_FEE,
        "photo_fee": PHOTO_FEE,
        "minimum": MIN_MONTHLY_INSTALMENT,
        "service": settings.CONTRAVENTIONS,
    }
    return render(request, "contraventions/information.html", context)
