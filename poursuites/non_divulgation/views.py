from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from ocp_portal import ratelimit
from ocp_portal.accounts.decorators import account_required
from ocp_portal.dates import today
from paiements.links import checkout_path

from ..constants import NON_DISCLOSURE_FEE, EtatNonDivulgation, PartyKind
from ..models import Poursuite
from ..numbers import is_valid
from . import services
from .admissibility import recheck
from .forms import NonDivulgationForm
from .models import DemandeNonDivulgation
from .progress import public_status

NOT_FOUND = gettext_lazy(
    "Aucune poursuite ne correspond à ce numéro et à cette lettre clé. Vérifiez les deux sur le commandement de payer."
)


def _initial(user) -> dict:
    compte = getattr(user, "compte", None)
    if compte is not None and compte.company_name:
        return {"kind": PartyKind.MORALE, "name": compte.company_name, "uid": compte.uid}
    return {}


@account_required
@require_http_methods(["GET", "POST"])
def request_view(request):
    """The debtor names the poursuite, says who they are, declares, and goes on to pay the fee."""
    form = NonDivulgationForm(request.POST or None, initial=_initial(request.user))
    reasons, status = [], 200
    if request.method == "POST":
        if ratelimit.lookup_refused(request, form, "non-divulgation"):
            status = 429
        elif form.is_valid():
            number, letter = form.cleaned_data["number"], form.cleaned_data["key_letter"]
            poursuite = (
                Poursuite.objects.select_related("debtor").filter(number=number).first()
                if is_valid(number, letter)
                else None
            )
            if poursuite is None:
                form.add_error("number", NOT_FOUND)
            else:
                try:
                    demande = services.submit_request(
                        poursuite=poursuite, user=request.user, identity=form.identity(), on=today()
                    )
                except services.Inadmissible as refusal:
                    reasons = refusal.admissibility.reasons
                    form.add_error(None, reasons)
                else:
                    return redirect(checkout_path("non_divulgation", demande.reference))
    context = {"form": form, "reasons": reasons, "fee": NON_DISCLOSURE_FEE}
    return render(request, "poursuites/non_divulgation/request.html", context, status=status)


@account_required
@require_GET
def list_view(request):
    demandes = DemandeNonDivulgation.objects.filter(user=request.user).select_related("poursuite")
    on = today()
    rows = [(demande, public_status(demande, on=on)) for demande in demandes]
    return render(request, "poursuites/non_divulgation/list.html", {"rows": rows})


@account_required
@require_GET
def detail_view(request, public_id):
    demande = get_object_or_404(
        DemandeNonDivulgation.objects.select_related("poursuite"), public_id=public_id, user=request.user
    )
    unpaid = demande.state == EtatNonDivulgation.ATTENTE_PAIEMENT
    context = {
        "demande": demande,
        "status": public_status(demande, on=today()),
        "fee": NON_DISCLOSURE_FEE,
        "reasons": recheck(demande, on=today()).reasons if unpaid else [],
        "pay_url": checkout_path("non_divulgation", demande.reference)
        if services.fee_due(demande, on=today())
        else None,
    }
    return render(request, "poursuites/non_divulgation/detail.html", context)
