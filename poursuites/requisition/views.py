"""The réquisition de poursuite form, step by step (post, redirect, get), then its PDF.

The entered data live in the session only (``draft``); nothing is written to the register.
"""

import logging

from django.forms import RadioSelect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocp_portal import ratelimit
from ocp_portal.pdf import pdf_response

from . import codec, document, draft
from .forms import ClaimForm, ClaimFormSet, CreditorForm, DebtorForm, NotesForm, PoursuiteForm, RepresentativeForm
from .geneva import FEDERAL_FORMS_URL, FEDERAL_PORTAL_URL

logger = logging.getLogger(__name__)

STEP_TITLES = {
    "debtor": gettext_lazy("Débiteur"),
    "creditor": gettext_lazy("Créancier"),
    "claims": gettext_lazy("Poursuite et créances"),
    "notes": gettext_lazy("Remarques"),
    "summary": gettext_lazy("Récapitulatif"),
}
STEPS = list(STEP_TITLES)
URL_NAMES = {step: f"poursuites:requisition:{step}" for step in [*STEPS, "start"]}
BACK_TO_SUMMARY = "recapitulatif"  # ?retour=recapitulatif on the "Modifier" links


def _steps(current_draft: dict, current: str) -> list[dict]:
    complete = draft.is_complete(current_draft)
    return [
        {
            "key": step,
            "number": number,
            "title": title,
            "url": reverse(URL_NAMES[step]),
            "current": step == current,
            "reachable": complete
            if step == "summary"
            else draft.first_missing_step(current_draft, before=step) is None,
        }
        for number, (step, title) in enumerate(STEP_TITLES.items(), start=1)
    ]


def _missing_step_redirect(current_draft: dict, step: str | None):
    """Jumping ahead of an unfinished step leads back to the first step left to fill."""
    missing = draft.first_missing_step(current_draft, before=step)
    return redirect(URL_NAMES[missing]) if missing else None


def _after_save(request, step: str):
    saved = draft.load(request.session)
    if request.GET.get("retour") == BACK_TO_SUMMARY and draft.is_complete(saved):
        return redirect(URL_NAMES["summary"])
    return redirect(URL_NAMES[STEPS[STEPS.index(step) + 1]])


def error_links(form, prefix: str = "") -> list[dict]:
    """The error summary of a form: each error with a link to its field."""
    links = [{"href": "", "text": str(error)} for error in form.non_field_errors()]
    for field in form.visible_fields():
        anchor = f"{field.auto_id}_0" if isinstance(field.field.widget, RadioSelect) else field.id_for_label
        links += [{"href": f"#{anchor}", "text": f"{prefix}{field.label} : {error}"} for error in field.errors]
    return links


def _render_step(request, step: str, current_draft: dict, context: dict):
    return render(
        request,
        f"poursuites/requisition/{step}.html",
        {
            "step": step,
            "steps": _steps(current_draft, step),
            "step_number": STEPS.index(step) + 1,
            "step_count": len(STEPS),
            "step_title": STEP_TITLES[step],
            "back_url": reverse(URL_NAMES[STEPS[STEPS.index(step) - 1]] if step != STEPS[0] else URL_NAMES["start"]),
            "has_draft": bool(current_draft),
            **context,
        },
    )


@never_cache
@require_GET
def start(request):
    current_draft = draft.load(request.session)
    resume = _missing_step_redirect(current_draft, None)
    return render(
        request,
        "poursuites/requisition/start.html",
        {
            "has_draft": bool(current_draft),
            "resume_url": resume.url if resume else reverse(URL_NAMES["summary"]),
            "federal_portal_url": FEDERAL_PORTAL_URL,
            "federal_forms_url": FEDERAL_FORMS_URL,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def debtor(request):
    current_draft = draft.load(request.session)
    form = DebtorForm(request.POST if request.method == "POST" else None, initial=current_draft.get("debtor"))
    if request.method == "POST" and form.is_valid():
        draft.save(request.session, debtor=form.to_draft())
        return _after_save(request, "debtor")
    return _render_step(
        request,
        "debtor",
        current_draft,
        {"form": form, "errors": error_links(form), "federal_portal_url": FEDERAL_PORTAL_URL},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def creditor(request):
    current_draft = draft.load(request.session)
    if response := _missing_step_redirect(current_draft, "creditor"):
        return response
    data = request.POST if request.method == "POST" else None
    form = CreditorForm(data, initial=current_draft.get("creditor"))
    representative = RepresentativeForm(data, prefix="rep", initial=current_draft.get("representative"))
    if data is not None:
        without_representative = representative.is_blank()
        if without_representative:
            representative = RepresentativeForm(prefix="rep")
        creditor_ok = form.is_valid()
        if creditor_ok and (without_representative or representative.is_valid()):
            draft.save(
                request.session,
                creditor=form.to_draft(),
                representative=None if without_representative else representative.to_draft(),
            )
            return _after_save(request, "creditor")
    errors = error_links(form) + error_links(representative, _("Représentant – ") if representative.is_bound else "")
    return _render_step(
        request,
        "creditor",
        current_draft,
        {"form": form, "representative_form": representative, "errors": errors},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def claims(request):
    current_draft = draft.load(request.session)
    if response := _missing_step_redirect(current_draft, "claims"):
        return response
    data = request.POST if request.method == "POST" else None
    form = PoursuiteForm(data, initial={"kind": current_draft.get("kind")})
    formset = ClaimFormSet(
        data,
        prefix="claims",
        initial=[ClaimForm.initial_from(claim) for claim in current_draft.get("claims", [])],
    )
    if data is not None:
        kind_ok = form.is_valid()
        if formset.is_valid() and kind_ok:
            draft.save(request.session, kind=form.cleaned_data["kind"], claims=formset.to_draft())
            return _after_save(request, "claims")
    errors = error_links(form) + [{"href": "", "text": str(error)} for error in formset.non_form_errors()]
    for claim_form in formset.forms:
        errors += error_links(claim_form, _("Créance %(number)s – ") % {"number": claim_form.number})
    return _render_step(
        request,
        "claims",
        current_draft,
        {
            "form": form,
            "formset": formset,
            "errors": errors,
            "first_claims": formset.forms[:3],
            "more_claims": formset.forms[3:],
            "more_claims_open": any(
                claim.errors or (claim.is_bound and not claim.is_blank()) for claim in formset.forms[3:]
            )
            or len(current_draft.get("claims", [])) > 3,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def notes(request):
    current_draft = draft.load(request.session)
    if response := _missing_step_redirect(current_draft, "notes"):
        return response
    form = NotesForm(
        request.POST if request.method == "POST" else None, initial={"notes": current_draft.get("notes", "")}
    )
    if request.method == "POST" and form.is_valid():
        draft.save(request.session, notes=form.cleaned_data["notes"])
        return _after_save(request, "notes")
    return _render_step(request, "notes", current_draft, {"form": form, "errors": error_links(form)})


@never_cache
@require_GET
def summary(request):
    current_draft = draft.load(request.session)
    if response := _missing_step_redirect(current_draft, None):
        return response
    fits = codec.fits_in_qr_code(codec.encode(codec.build_payload(current_draft)))
    return _render_step(
        request,
        "summary",
        current_draft,
        {**document.describe(current_draft), "fits": fits, "retour": BACK_TO_SUMMARY},
    )


@never_cache
@require_GET
@ratelimit.limit_renders
def pdf(request):
    current_draft = draft.load(request.session)
    if response := _missing_step_redirect(current_draft, None):
        return response
    payload = codec.build_payload(current_draft)
    context = document.document_context(payload)
    if not codec.fits_in_qr_code(context["code"]):
        return redirect(URL_NAMES["summary"])
    content = document.render_document(context)
    logger.info("réquisition PDF issued: id=%s claims=%d", payload["id"], len(payload["claims"]))
    return pdf_response(content, f"requisition-de-poursuite-{context['reference']}.pdf")


@require_POST
def restart(request):
    draft.clear(request.session)
    return redirect(URL_NAMES["start"])
