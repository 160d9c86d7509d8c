from datetime import date

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ocp_portal import ratelimit, signed_links
from ocp_portal.pdf import pdf_response, render_pdf
from paiements.links import checkout_path
from paiements.qrbill import build_qr_bill, qr_bill_data_uri, qr_bill_svg

from .forms import BalanceLookupForm
from .lookup import lookup
from .models import ActeDefautBiens, Poursuite
from .numbers import key_letter

NOT_FOUND = _(
    "Aucun dossier ne correspond à ce numéro et à cette lettre clé. Vérifiez les deux sur le document reçu de l'office."
)


@require_http_methods(["GET", "POST"])
def balance_lookup(request):
    form = BalanceLookupForm(request.POST or None)
    result, status = None, 200
    if request.method == "POST":
        if ratelimit.lookup_refused(request, form, "balance-lookup"):
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            result = lookup(data["number"], data["key_letter"], data["payment_date"])
            if result is None:
                form.add_error(None, NOT_FOUND)
    context = {"form": form, "result": result}
    if result and result.is_payable:
        context["card_payment_url"] = checkout_path("adb" if result.is_adb else "poursuite", result.dossier.reference)
    if result and result.fits_a_qr_bill:
        context["qr_bill_token"] = signed_links.sign(
            "poursuite-qr-bill",
            {"k": "a" if result.is_adb else "p", "id": result.dossier.pk, "d": result.on.isoformat()},
        )
    return render(request, "poursuites/balance_lookup.html", context, status=status)


def _payable_result(token: str):
    """The lookup behind a signed QR-bill link; 404 when the link is forged, old or moot."""
    data = signed_links.unsign("poursuite-qr-bill", token)
    try:
        model = ActeDefautBiens if data["k"] == "a" else Poursuite
        number = model.objects.values_list("number", flat=True).get(pk=data["id"])
        on = date.fromisoformat(data["d"])
    except (KeyError, ValueError, TypeError, ObjectDoesNotExist):
        raise Http404 from None
    result = lookup(number, key_letter(number), on)
    if result is None or not result.fits_a_qr_bill:
        raise Http404
    bill = build_qr_bill(
        amount=result.balance.total,
        reference=result.dossier.qr_reference,
        additional_information=str(result.dossier),
    )
    return result, bill


@require_GET
def qr_bill_svg_view(request, token):
    _result, bill = _payable_result(token)
    response = HttpResponse(qr_bill_svg(bill), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def qr_bill_pdf_view(request, token):
    result, bill = _payable_result(token)
    pdf = render_pdf("pdf/qr_bill.html", {"result": result, "qr_bill_uri": qr_bill_data_uri(bill)})
    return pdf_response(pdf, f"facture-qr-{result.dossier.number:08d}{result.dossier.key_letter}.pdf")
