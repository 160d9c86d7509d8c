from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocp_portal import ratelimit
from paiements.links import checkout_path
from poursuites.constants import PartyKind

from . import keys, services
from .constants import EXTRACT_FEE, RequestState, VerificationMethod
from .content import for_display
from .forms import CompareForm, OrderForm, ReferenceForm, VerifyForm
from .models import DemandeExtrait, Extrait

KINDS = {"personne": PartyKind.PHYSIQUE, "entreprise": PartyKind.MORALE}
VERIFIED_SALT = "extraits.verified"
VERIFIED_MAX_AGE = 3600
NOT_FOUND = _(
    "Aucun extrait ne correspond à cette référence et à cette clé d'accès. Copiez-les depuis le PDF "
    "pour éviter les erreurs de saisie : la clé distingue majuscules et minuscules."
)
THROTTLED = _("Trop de tentatives de vérification. Réessayez dans %(minutes)s minutes.")


def _account_kind(user) -> str:
    compte = getattr(user, "compte", None)
    return getattr(compte, "kind", "particulier")


@login_required
@require_GET
def order_start(request):
    return render(request, "extraits/order_start.html", {"fee": EXTRACT_FEE, "kind": _account_kind(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def order(request, kind):
    if kind not in KINDS:
        raise Http404
    initial = {}
    compte = getattr(request.user, "compte", None)
    is_company_account = _account_kind(request.user) == "personne_morale"
    if kind == "entreprise" and is_company_account:
        initial = {"name": getattr(compte, "company_name", "") or "", "uid": getattr(compte, "uid", "") or ""}
    form = OrderForm(request.POST or None, kind=KINDS[kind], initial=initial)
    if request.method == "POST" and form.is_valid():
        subject = "titulaire" if kind == "personne" or is_company_account else "entreprise"
        demande = services.create_request(account=request.user, subject=subject, **form.request_fields())
        return redirect(checkout_path("extrait", str(demande.public_id)))
    return render(request, "extraits/order.html", {"form": form, "kind": kind, "fee": EXTRACT_FEE})


def _rows(user):
    requests = DemandeExtrait.objects.filter(account=user).prefetch_related("documents")
    rows = []
    for demande in requests:
        document = next((doc for doc in demande.documents.all() if doc.superseded_at is None), None)
        rows.append(
            {
                "id": str(demande.public_id),
                "label": demande.display_name,
                "created_at": demande.created_at,
                "state": demande.state,
                "state_label": str(RequestState(demande.state).label),
                "reference": document.reference if document else "",
                "download_url": reverse("extraits:download", args=[document.reference]) if document else "",
                "pay_url": checkout_path("extrait", str(demande.public_id))
                if demande.state == RequestState.A_PAYER
                else "",
            }
        )
    return rows


@login_required
@require_GET
def requests_list(request):
    rows = _rows(request.user)
    pending = any(row["state"] not in (RequestState.DISPONIBLE, RequestState.A_PAYER) for row in rows)
    context = {"rows": rows, "pending": pending, "reference_form": ReferenceForm()}
    return render(request, "extraits/requests.html", context)


@login_required
@require_GET
def requests_status(request):
    """The account's requests and their state, polled by the list page (no reload)."""
    rows = _rows(request.user)
    for row in rows:
        row.pop("created_at")
    return JsonResponse({"requests": rows})


@login_required
@require_GET
def download_by_reference(request):
    form = ReferenceForm(request.GET)
    if not form.is_valid():
        return redirect("extraits:requests")
    return redirect("extraits:download", keys.normalize_reference(form.cleaned_data["reference"]))


def _pdf_response(document: Extrait, *, attachment: bool):
    response = FileResponse(
        document.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=attachment,
        filename=f"{document.reference}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def download(request, reference):
    """Only the account that ordered the extract; any other gets a 404, not a 403."""
    document = get_object_or_404(Extrait, reference=keys.normalize_reference(reference), request__account=request.user)
    return _pdf_response(document, attachment=True)


def _throttled(request, reference: str) -> bool:
    """Per client, every attempt counts; per reference, the failed ones (guessing a key)."""
    if not ratelimit.hit(request, "verify", limit=settings.VERIFY_RATE_LIMIT, window=settings.VERIFY_RATE_WINDOW):
        return True
    return (cache.get(_failures_key(reference)) or 0) >= settings.VERIFY_REFERENCE_LIMIT


def _failures_key(reference: str) -> str:
    return f"verify-failures:{reference}"


def _count_failure(reference: str) -> None:
    key = _failures_key(reference)
    if not cache.add(key, 1, timeout=settings.VERIFY_RATE_WINDOW):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.VERIFY_RATE_WINDOW)


def _verified_page(request, document: Extrait, *, comparison=None, compare_form=None, status=200):
    token = signing.dumps(document.pk, salt=VERIFIED_SALT)
    context = {
        "document": document,
        "content": for_display(document.content),
        "superseding": document.superseded_at is not None,
        "token": token,
        "compare_form": compare_form or CompareForm(),
        "comparison": comparison,
    }
    return render(request, "extraits/verified.html", context, status=status)


@require_http_methods(["GET", "POST"])
def verify(request):
    """Public: reference + access key show the extract as issued."""
    if request.method == "GET":
        form = VerifyForm(initial={"reference": request.GET.get("reference", "")[:40]})
        return render(request, "extraits/verify.html", {"form": form})
    form = VerifyForm(request.POST)
    if not form.is_valid():
        return render(request, "extraits/verify.html", {"form": form})
    reference = keys.normalize_reference(form.cleaned_data["reference"])
    client = ratelimit.client_ip(request)
    if _throttled(request, reference):
        services.log_verification(
            reference=reference, document=None, method=VerificationMethod.KEY, client=client, throttled=True
        )
        form.add_error(None, THROTTLED % {"minutes": settings.VERIFY_RATE_WINDOW // 60})
        return render(request, "extraits/verify.html", {"form": form}, status=429)
    document = services.verify(reference=reference, access_key=form.cleaned_data["access_key"], client=client)
    if document is None:
        _count_failure(reference)
        form.add_error(None, NOT_FOUND)
        return render(request, "extraits/verify.html", {"form": form})
    return _verified_page(request, document)


def _verified_document(token: str) -> Extrait:
    try:
        pk = signing.loads(token, salt=VERIFIED_SALT, max_age=VERIFIED_MAX_AGE)
    except signing.BadSignature as error:
        raise Http404 from error
    return get_object_or_404(Extrait, pk=pk)


@require_GET
def verified_pdf(request, token):
    return _pdf_response(_verified_document(token), attachment=False)


@require_POST
def compare(request, token):
    """Is the visitor's PDF byte for byte the one issued? The upload is read, hashed and dropped."""
    document = _verified_document(token)
    form = CompareForm(request.POST, request.FILES)
    if not form.is_valid():
        return _verified_page(request, document, compare_form=form, status=400)
    identical = services.is_identical(document, form.cleaned_data["file"].read())
    services.log_verification(
        reference=document.reference,
        document=document,
        method=VerificationMethod.FILE,
        client=ratelimit.client_ip(request),
        success=identical,
    )
    return _verified_page(request, document, comparison="identical" if identical else "different")
