from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocp_portal import ratelimit, signed_links
from ocp_portal.accounts.decorators import account_required
from ocp_portal.accounts.models import AccountKind
from ocp_portal.pdf import pdf_response
from ocp_portal.uploads import MaxSizeUploadHandler
from paiements.links import checkout_path
from poursuites.constants import PartyKind

from . import file_check, keys, selectors, services
from .constants import EXTRACT_FEE, MAX_UPLOAD_BYTES, RequestState, VerificationMethod
from .content import for_display
from .forms import CheckFileForm, CompareForm, OrderForm, ReferenceForm, VerifyForm
from .models import Extrait

KINDS = {"personne": PartyKind.PHYSIQUE, "entreprise": PartyKind.MORALE}
NOT_FOUND = _(
    "Aucun extrait ne correspond à cette référence et à cette clé d'accès. Copiez-les depuis le PDF "
    "pour éviter les erreurs de saisie : la clé distingue majuscules et minuscules."
)
THROTTLED = _("Trop de tentatives de vérification. Réessayez dans %(minutes)s minutes.")


def _is_company_account(user) -> bool:
    return user.compte.kind == AccountKind.PERSONNE_MORALE


@account_required
@require_GET
def order_start(request):
    context = {"fee": EXTRACT_FEE, "company_account": _is_company_account(request.user)}
    return render(request, "extraits/order_start.html", context)


@account_required
@require_http_methods(["GET", "POST"])
def order(request, kind):
    if kind not in KINDS:
        raise Http404
    try:
        services.subject_of(request.user, kind=KINDS[kind])  # whose extract this account may order
    except PermissionDenied as refusal:
        raise Http404 from refusal  # the link is not offered: a personne morale orders about companies
    compte = request.user.compte
    initial = {"name": compte.company_name, "uid": compte.uid} if _is_company_account(request.user) else {}
    form = OrderForm(request.POST or None, kind=KINDS[kind], initial=initial)
    if request.method == "POST" and form.is_valid():
        extract_request = services.create_request(account=request.user, **form.request_fields())
        return redirect(checkout_path("extrait", str(extract_request.public_id)))
    return render(request, "extraits/order.html", {"form": form, "kind": kind, "fee": EXTRACT_FEE})


@account_required
@require_GET
def requests_list(request):
    return _requests_page(request, ReferenceForm())


def _requests_page(request, reference_form):
    rows = selectors.request_rows(request.user)
    pending = any(row["state"] not in (RequestState.DISPONIBLE, RequestState.A_PAYER) for row in rows)
    context = {"rows": rows, "pending": pending, "reference_form": reference_form}
    return render(request, "extraits/requests.html", context)


@account_required
@require_GET
def requests_status(request):
    """The account's requests and their state, polled by the list page (no reload)."""
    rows = selectors.request_rows(request.user)
    for row in rows:
        row.pop("created_at")
    return JsonResponse({"requests": rows})


@account_required
@require_GET
def download_by_reference(request):
    form = ReferenceForm(request.GET)
    if not form.is_valid():
        return _requests_page(request, form)
    return redirect("extraits:download", form.cleaned_data["reference"])


@account_required
@require_GET
def download(request, reference):
    """Only the account that ordered the extract; any other gets a 404, not a 403."""
    reference = keys.normalize_reference(reference)
    if not keys.is_well_formed(reference):
        raise Http404
    document = get_object_or_404(Extrait, reference=reference, extract_request__account=request.user)
    return pdf_response(document.pdf, f"{document.reference}.pdf")


def _failure_limits(request, reference: str) -> dict[str, int]:
    """Failed keys count per reference and client, and per reference from everywhere with a higher
    ceiling: guessing a key is slowed down, while one visitor cannot lock a reference for the others."""
    return {
        f"verify-failures:{reference}:{ratelimit.client_bucket(request)}": settings.VERIFY_REFERENCE_LIMIT,
        f"verify-failures:{reference}:*": settings.VERIFY_REFERENCE_GLOBAL_LIMIT,
    }


def _verified_page(request, document: Extrait, *, comparison=None, compare_form=None, status=200):
    token = signed_links.sign("verified-extract", document.pk)
    context = {
        "document": document,
        "content": for_display(document.content),
        "superseding": document.superseded_at is not None,
        "token": token,
        "compare_form": compare_form or CompareForm(),
        "comparison": comparison,
    }
    return render(request, "extraits/verified.html", context, status=status)


def _verify_page(request, form, *, file_form=None, status=200):
    """The two ways to verify: the file by its seal, or the reference and access key."""
    context = {"form": form, "file_form": file_form or CheckFileForm()}
    return render(request, "extraits/verify.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    """Public: reference + access key show the extract as issued."""
    if request.method == "GET":
        form = VerifyForm(initial={"reference": request.GET.get("reference", "")[:40]})
        return _verify_page(request, form)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        return _verify_page(request, form)
    reference = keys.normalize_reference(form.cleaned_data["reference"])
    client = ratelimit.client_ip(request)
    failures = _failure_limits(request, reference)
    window = settings.VERIFY_RATE_WINDOW
    # Every attempt counts per client; a failed key is reserved before the key is checked.
    allowed = ratelimit.hit(request, "verify", limit=settings.VERIFY_RATE_LIMIT, window=window)
    if not allowed or not ratelimit.reserve(failures, window=window):
        services.log_verification(
            reference=reference, document=None, method=VerificationMethod.KEY, client=client, throttled=True
        )
        form.add_error(None, THROTTLED % {"minutes": settings.VERIFY_RATE_WINDOW // 60})
        return _verify_page(request, form, status=429)
    document = services.verify(reference=reference, access_key=form.cleaned_data["access_key"], client=client)
    if document is None:
        form.add_error(None, NOT_FOUND)
        return _verify_page(request, form)
    ratelimit.uncount(*failures)  # the right key: the reserved failures are given back
    return _verified_page(request, document)


def _verified_document(token: str) -> Extrait:
    pk = signed_links.unsign("verified-extract", token)
    if not isinstance(pk, int):
        raise Http404
    return get_object_or_404(Extrait, pk=pk)


@never_cache
@require_GET
def verified_pdf(request, token):
    document = _verified_document(token)
    return pdf_response(document.pdf, f"{document.reference}.pdf", inline=True)


@csrf_exempt  # protected below, once the size guard reads the body first
@never_cache
@require_POST
def compare(request, token):
    """Is the visitor's PDF byte for byte the one issued? The upload is read, hashed and dropped."""
    guard = MaxSizeUploadHandler(request, max_bytes=MAX_UPLOAD_BYTES)
    request.upload_handlers.insert(0, guard)
    return _compare(request, token, guard)


def _compare_error(field, message, form_class=CompareForm) -> CompareForm:
    """A comparison form showing only `message` (the upload was cut short or refused)."""
    form = form_class(data={}, files={})
    form.is_valid()
    form.errors.clear()
    form.add_error(field, message)
    return form


@csrf_protect
def _compare(request, token, guard):
    document = _verified_document(token)
    form = CompareForm(request.POST, request.FILES)
    if guard.exceeded:
        return _verified_page(request, document, compare_form=_compare_error("file", CompareForm.TOO_LARGE), status=413)
    if not ratelimit.hit(
        request, "verify-compare", limit=settings.VERIFY_RATE_LIMIT, window=settings.VERIFY_RATE_WINDOW
    ):
        error = _compare_error(None, THROTTLED % {"minutes": settings.VERIFY_RATE_WINDOW // 60})
        return _verified_page(request, document, compare_form=error, status=429)
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


@csrf_exempt  # protected below, once the size guard reads the body first
@never_cache
@require_POST
def verify_file(request):
    """Public: the PDF a third party was given, checked by its seal. The upload is read and dropped."""
    guard = MaxSizeUploadHandler(request, max_bytes=MAX_UPLOAD_BYTES)
    request.upload_handlers.insert(0, guard)
    return _verify_file(request, guard)


@csrf_protect
def _verify_file(request, guard):
    empty, form = VerifyForm(), CheckFileForm(request.POST, request.FILES)  # reads the body: the guard knows
    if guard.exceeded:
        error = _compare_error("file", CheckFileForm.TOO_LARGE, CheckFileForm)
        return _verify_page(request, empty, file_form=error, status=413)
    if not ratelimit.hit(request, "verify-file", limit=settings.VERIFY_RATE_LIMIT, window=settings.VERIFY_RATE_WINDOW):
        error = _compare_error(None, THROTTLED % {"minutes": settings.VERIFY_RATE_WINDOW // 60}, CheckFileForm)
        return _verify_page(request, empty, file_form=error, status=429)
    if not form.is_valid():
        return _verify_page(request, empty, file_form=form, status=400)
    result = file_check.check_file(form.cleaned_data["file"].read())
    file_check.log_check(result, client=ratelimit.client_ip(request))
    return render(request, "extraits/file_verdict.html", {"result": result, "file_form": CheckFileForm()})
