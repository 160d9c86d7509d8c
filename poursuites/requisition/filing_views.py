"""Filing a réquisition online from its summary, and « Mes poursuites », the creditor's follow-up.

Each page is the account's own: a filing of another account is a 404."""

import hashlib
import json
import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from ocp_portal import ratelimit
from ocp_portal.accounts.decorators import account_required
from ocp_portal.dates import today
from ocp_portal.pdf import pdf_response
from ocp_portal.uploads import MaxSizeUploadHandler

from ..procedure_stage import poursuite_stage
from . import codec, document, draft, filing, follow, follow_up
from .filing_forms import FilingForm, FollowUpForm
from .models import DepotEnLigne, DepotKind, DepotState, SignatureWay
from .views import error_links

log = logging.getLogger(__name__)
SESSION_CODE = "requisition_filing_code"


def _draft_fingerprint(current: dict) -> str:
    return hashlib.sha256(json.dumps(current, sort_keys=True).encode()).hexdigest()


def issued_code(session) -> str | None:
    """The code of the form to sign for the draft of this session, made once per version of the
    draft (so that the PDF downloaded and the scan filed carry the same one); None without a
    complete draft, or one too long for its QR code."""
    current = draft.load(session)
    if not draft.is_complete(current):
        return None
    fingerprint = _draft_fingerprint(current)
    stored = session.get(SESSION_CODE) or {}
    if stored.get("draft") == fingerprint:
        return stored["code"]
    code = codec.encode(codec.build_payload(current))
    if not codec.fits_in_qr_code(code):
        return None
    session[SESSION_CODE] = {"draft": fingerprint, "code": code}
    return code


def _megabytes() -> str:
    return f"{settings.REQUISITION_UPLOAD_MAX_BYTES / (1024 * 1024):g}"


def _upload(file) -> filing.Upload | None:
    return filing.Upload(file.name, file.read()) if file else None


@csrf_exempt  # protected below, once the size guard reads the body first
@never_cache
@account_required
@require_http_methods(["GET", "POST"])
def file_view(request):
    """Step 1: download the form to sign; 2: say in what capacity; 3: upload it, signed one way or the other."""
    guard = None
    if request.method == "POST":
        # Two files at most (the form and a procuration), each checked against the limit afterwards.
        guard = MaxSizeUploadHandler(request, max_bytes=2 * settings.REQUISITION_UPLOAD_MAX_BYTES + 64 * 1024)
        request.upload_handlers.insert(0, guard)
    return _file_view(request, guard)


@csrf_protect
def _file_view(request, guard):
    code = issued_code(request.session)
    compte = request.user.compte
    initial = {"uid": compte.uid} if compte.uid else {}
    form = FilingForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={**initial, "code": code or ""},
        max_megabytes=_megabytes(),
    )
    status = 200
    if not compte.is_verified:
        status = 403  # the page says why, and shows no form
    elif request.method == "POST":
        status = _submit(request, form, guard)
        if isinstance(status, DepotEnLigne):
            draft.clear(request.session)
            request.session.pop(SESSION_CODE, None)
            messages.success(
                request,
                _(
                    "Votre réquisition est déposée (formulaire n° %(reference)s). L'office la vérifie puis "
                    "l'enregistre ; vous recevez un e-mail à chaque étape."
                )
                % {"reference": status.reference},
            )
            return redirect("poursuites:requisition:mine_detail", public_id=status.public_id)
    context = {
        "form": form,
        "errors": error_links(form),
        "code": code,
        "reference": codec.short_reference(codec.decode(code)["id"]) if code else "",
        "max_megabytes": _megabytes(),
        "anchors_configured": bool(settings.REQUISITION_SIGNATURE_TRUST_ANCHORS),
        "unconfirmed": not compte.is_verified,
    }
    return render(request, "poursuites/requisition/file.html", context, status=status)


def _refused(request, form, guard) -> int | None:
    """The HTTP status of a filing refused before it is read (too large, too many from this account,
    an invalid form), with the reason on the form; None when it may be submitted."""
    if guard is not None and guard.exceeded:
        form.is_valid()
        form.errors.clear()
        form.add_error(None, filing.too_large_message())
        return 413
    limit, window = settings.REQUISITION_FILING_RATE_LIMIT, settings.REQUISITION_FILING_RATE_WINDOW
    if not ratelimit.reserve({f"ratelimit:requisition-filing:{request.user.pk}": limit}, window=window):
        form.is_valid()
        form.add_error(
            None,
            _("Trop de dépôts depuis ce compte : %(limit)s au plus en %(hours)s heures. Réessayez plus tard.")
            % {"limit": limit, "hours": window // 3600},
        )
        return 429
    return None if form.is_valid() else 400


def _submit(request, form, guard) -> DepotEnLigne | int:
    """The filing made, or the HTTP status of the page showing why not."""
    if refused := _refused(request, form, guard):
        return refused
    data = form.cleaned_data
    try:
        return filing.submit(
            user=request.user,
            qualite=data["qualite"],
            uid=data["uid"].strip(),
            signed_pdf=_upload(data["signed_pdf"]),
            scan=_upload(data["scan"]),
            scan_code=data["code"],
            procuration=_upload(data["procuration"]),
        )
    except filing.FilingRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, str(refusal))
        return 400


@never_cache
@account_required
@require_GET
@ratelimit.limit_renders
def file_pdf(request):
    """The form to sign, with the code this session's filing page shows."""
    code = issued_code(request.session)
    if code is None:
        raise Http404
    context = document.document_context(codec.decode(code))
    content = document.render_document(context)
    return pdf_response(content, f"requisition-de-poursuite-{context['reference']}.pdf")


@never_cache
@account_required
@require_GET
def mine(request):
    """« Mes poursuites »: the account's filings and the poursuites they became."""
    filings = DepotEnLigne.objects.filter(user=request.user, kind=DepotKind.REQUISITION).select_related("poursuite")
    on = today()
    rows = [(item, follow.filing_state(item, on)) for item in filings]
    return render(request, "poursuites/requisition/mine.html", {"rows": rows})


def _own_filing(request, public_id) -> DepotEnLigne:
    return get_object_or_404(
        DepotEnLigne.objects.select_related("poursuite", "target"), public_id=public_id, user=request.user
    )


@never_cache
@account_required
@require_GET
def mine_detail(request, public_id):
    item = _own_filing(request, public_id)
    if not item.is_requisition:  # a contrordre or continuation is followed on its poursuite's page
        return redirect("poursuites:requisition:mine_detail", public_id=item.target.depot_en_ligne.public_id)
    on = today()
    poursuite = item.poursuite
    requests = list(DepotEnLigne.objects.filter(target=poursuite).order_by("-received_at")) if poursuite else []
    next_steps = [
        {
            "kind": kind,
            "label": DepotKind(kind).label,
            "obstacle": follow_up.obstacle(item, kind, on),
            "url": reverse("poursuites:requisition:follow_up", args=[item.public_id, kind]),
        }
        for kind in follow_up.KINDS
    ]
    context = {
        "filing": item,
        "state": follow.filing_state(item, on),
        "stage": poursuite_stage(poursuite, on) if poursuite else None,
        "description": document.describe(item.payload),
        "registered": item.state == DepotState.ENREGISTREE,
        "electronic": item.way == SignatureWay.ELECTRONIQUE,
        "requests": requests,
        "next_steps": next_steps if poursuite else [],
    }
    return render(request, "poursuites/requisition/mine_detail.html", context)


# --- Contrordre and réquisition de continuer -------------------------------------------------------


def _registered_origin(request, public_id, kind) -> DepotEnLigne:
    origin = _own_filing(request, public_id)
    if kind not in follow_up.KINDS or not origin.is_requisition or origin.poursuite is None:
        raise Http404
    return origin


def _follow_up_token(session, origin: DepotEnLigne, kind: str) -> str:
    """One document to sign per poursuite and kind in this session, so that the PDF downloaded
    and the scan filed carry the same token."""
    key = f"requisition_follow_up:{origin.pk}:{kind}"
    if not session.get(key):
        session[key] = follow_up.issue(origin, kind)
    return session[key]


@csrf_exempt  # protected below, once the size guard reads the body first
@never_cache
@account_required
@require_http_methods(["GET", "POST"])
def follow_up_view(request, public_id, kind):
    guard = None
    if request.method == "POST":
        guard = MaxSizeUploadHandler(request, max_bytes=settings.REQUISITION_UPLOAD_MAX_BYTES + 64 * 1024)
        request.upload_handlers.insert(0, guard)
    return _follow_up_view(request, public_id, kind, guard)


@csrf_protect
def _follow_up_view(request, public_id, kind, guard):
    origin = _registered_origin(request, public_id, kind)
    obstacle = follow_up.obstacle(origin, kind, today())
    token = _follow_up_token(request.session, origin, kind)
    form = FollowUpForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"code": token},
        max_megabytes=_megabytes(),
    )
    status = 200
    if request.method == "POST" and obstacle is None:
        status = _submit_follow_up(request, form, guard, origin, kind)
        if isinstance(status, DepotEnLigne):
            request.session.pop(f"requisition_follow_up:{origin.pk}:{kind}", None)
            messages.success(
                request,
                _("Votre demande est déposée (formulaire n° %(reference)s). L'office la vérifie puis l'enregistre.")
                % {"reference": status.reference},
            )
            return redirect("poursuites:requisition:mine_detail", public_id=origin.public_id)
    elif request.method == "POST":
        status = 409
    context = {
        "origin": origin,
        "poursuite": origin.poursuite,
        "kind": kind,
        "title": DepotKind(kind).label,
        "obstacle": obstacle,
        "form": form,
        "errors": error_links(form),
        "reference": codec.short_reference(follow_up.read(token)["id"]),
        "anchors_configured": bool(settings.REQUISITION_SIGNATURE_TRUST_ANCHORS),
    }
    return render(request, "poursuites/requisition/follow_up.html", context, status=status)


def _submit_follow_up(request, form, guard, origin, kind) -> DepotEnLigne | int:
    if refused := _refused(request, form, guard):
        return refused
    data = form.cleaned_data
    try:
        return filing.submit_follow_up(
            origin=origin,
            kind=kind,
            signed_pdf=_upload(data["signed_pdf"]),
            scan=_upload(data["scan"]),
            scan_code=data["code"],
        )
    except filing.FilingRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, str(refusal))
        return 400


@never_cache
@account_required
@require_GET
@ratelimit.limit_renders
def follow_up_pdf(request, public_id, kind):
    origin = _registered_origin(request, public_id, kind)
    token = _follow_up_token(request.session, origin, kind)
    content = follow_up.render(origin, token)
    reference = codec.short_reference(follow_up.read(token)["id"])
    return pdf_response(content, f"{kind}-{origin.poursuite.number:08d}-{reference}.pdf")
