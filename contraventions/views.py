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

from . import arrangements, documents
from .constants import EtatArrangement
from .emoluments import (
    FORMAL_NOTICE_FEE,
    MIN_MONTHLY_INSTALMENT,
    PHOTO_FEE,
    REMINDER_FEE,
    emoluments_rows,
    report_copy_fee,
)
from .forms import ArrangementRequestForm, ReferenceForm, ReportCopyForm
from .lookup import find_order, lookup
from .models import ArrangementPaiement
from .payment_purposes import OrdonnancePenalePurpose

NOT_FOUND = gettext_lazy(
    "Aucune ordonnance pénale payable ne correspond à cette référence. Vérifiez les 27 chiffres sur la facture QR "
    "ou adressez-vous au Service des contraventions."
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
    if result and result.is_payable:
        context["card_payment_url"] = checkout_path(OrdonnancePenalePurpose.code, result.order.qr_reference)
    if result and result.fits_a_qr_bill:
        context["qr_bill_token"] = qr_bill_token(OrdonnancePenalePurpose.code, result.order.qr_reference, today())
    if result and result.arrangement and result.is_payable:
        context["schedule_token"] = signed_links.sign("arrangement-schedule", {"a": result.arrangement.pk})
    return render(request, "contraventions/pay.html", context, status=status)


def _signed(token: str, kind: str, key: str) -> int:
    try:
        return int(signed_links.unsign(kind, token)[key])
    except (KeyError, ValueError, TypeError):
        raise Http404 from None


@require_GET
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
    status = 200
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
                else:
                    return render(request, "contraventions/arrangement_done.html", {"arrangement": arrangement})
    context = {"form": form, "minimum": MIN_MONTHLY_INSTALMENT, "service": settings.CONTRAVENTIONS}
    return render(request, "contraventions/arrangement_request.html", context, status=status)


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
