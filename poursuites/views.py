from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ocp_portal import ratelimit
from ocp_portal.dates import today
from paiements.links import checkout_path, qr_bill_token

from .forms import BalanceLookupForm, MinimumVitalForm
from .lookup import lookup
from .minimum_vital import SUPPLEMENTS, configured_norms, estimate
from .procedure_stage import stage_of

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
    context = {"form": form, "result": result, "stage": stage_of(result.dossier, today()) if result else None}
    purpose = "adb" if result and result.is_adb else "poursuite"
    if result and result.is_payable:
        context["card_payment_url"] = checkout_path(purpose, result.dossier.reference)
    if result and result.fits_a_qr_bill:
        context["qr_bill_token"] = qr_bill_token(purpose, result.dossier.reference, result.on)
    return render(request, "poursuites/balance_lookup.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def minimum_vital(request):
    """The minimum-vital calculator. Its form is posted: income, rent and health costs have no place
    in an address that proxies log and a shared computer's history keeps."""
    form = MinimumVitalForm(request.POST if request.method == "POST" else None)
    norms = configured_norms()
    result = estimate(form.situation(), norms) if form.is_bound and form.is_valid() else None
    return render(
        request,
        "poursuites/minimum_vital.html",
        {"form": form, "result": result, "norms": norms, "supplements": SUPPLEMENTS},
    )
