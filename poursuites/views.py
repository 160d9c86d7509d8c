from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ocp_portal import ratelimit
from paiements.links import checkout_path, qr_bill_token

from .forms import BalanceLookupForm
from .lookup import lookup

NOT_FOUND = _(
    "Aucun dossier ne correspond à ce numéro et à cette lettre clé. Vérifiez les deux sur le document reçu de l'office."
)


@require_http_methods(["GET", "POST"])
def balance_lookup(request):
    form = BalanceLookupForm(request.POST or None)
    result, status = ratelimit.limited_lookup(
        request,
        form,
        "balance-lookup",
        lambda data: lookup(data["number"], data["key_letter"], data["payment_date"]),
        NOT_FOUND,
    )
    context = {"form": form, "result": result}
    purpose = "adb" if result and result.is_adb else "poursuite"
    if result and result.is_payable:
        context["card_payment_url"] = checkout_path(purpose, result.dossier.reference)
    if result and result.fits_a_qr_bill:
        context["qr_bill_token"] = qr_bill_token(purpose, result.dossier.reference, result.on)
    return render(request, "poursuites/balance_lookup.html", context, status=status)
