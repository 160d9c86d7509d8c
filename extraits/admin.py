from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ocp_portal.admin_actions import ObjectAction, ObjectActionsMixin, ObjectPdfMixin, ServiceWrittenAdminMixin
from ocp_portal.admin_amounts import SwissAmountsMixin
from ocp_portal.admin_inlines import ReadOnlyInline
from ocp_portal.pdf import pdf_response
from poursuites.models import Party, Poursuite
from poursuites.numbers import is_valid, parse_number

from . import services
from .constants import RequestState
from .models import CLERK_QUEUE_ORDER, DemandeExtrait, Extrait, VerificationExtrait


class DocumentInline(ReadOnlyInline):
    model = Extrait
    fields = ["reference", "issued_at", "issued_by", "superseded_at", "sha256"]
    show_change_link = True


class DecisionForm(ObjectAction):
    """The clerk's answer for an ambiguous request: which registered parties are the subject, or none."""

    title = _("Vérifier l'identité au registre")
    states = (RequestState.EN_VERIFICATION,)

    NONE, PARTIES = "aucune", "parties"
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            (PARTIES, _("La personne est inscrite : parties cochées ci-dessous")),
            (NONE, _("Aucune inscription")),
        ],
        widget=forms.RadioSelect,
    )
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties proposées"), queryset=Party.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    numbers = forms.CharField(
        label=_("Autres poursuites du même débiteur (numéros)"),
        required=False,
        help_text=_("Numéros séparés par des virgules : leur débiteur est ajouté aux parties retenues."),
    )

    def __init__(self, *args, target: DemandeExtrait, **kwargs):
        super().__init__(*args, target=target, **kwargs)
        reasons = {item["party"]: item["reason"] for item in target.candidates}
        self.fields["parties"].queryset = Party.objects.filter(pk__in=reasons)
        self.fields["parties"].label_from_instance = lambda party: (
            f"{party} · {party.birth_date or party.uid or '—'} · {', '.join(party.address_lines)} ({reasons[party.pk]})"
        )

    def clean(self):
        cleaned = super().clean()
        chosen = list(cleaned.get("parties") or [])
        for chunk in filter(None, (part.strip() for part in cleaned.get("numbers", "").split(","))):
            parsed = parse_number(chunk)
            valid = parsed is not None and parsed[1] is not None and is_valid(*parsed)
            poursuite = Poursuite.objects.filter(number=parsed[0]).select_related("debtor").first() if valid else None
            if poursuite is None:
                self.add_error(
                    "numbers", _("Poursuite introuvable (numéro et lettre clé) : %(number)s") % {"number": chunk}
                )
                return cleaned
            chosen.append(poursuite.debtor)
        if cleaned.get("decision") == self.PARTIES and not chosen:
            raise ValidationError(_("Cochez au moins une partie ou indiquez « Aucune inscription »."))
        if cleaned.get("decision") == self.NONE and chosen:
            raise ValidationError(_("« Aucune inscription » ne va pas avec des parties cochées."))
        cleaned["chosen"] = chosen
        return cleaned

    def perform(self, target, actor):
        return services.decide(target, parties=self.cleaned_data["chosen"], actor=actor)

    def success_message(self, document) -> str:
        return _("Extrait %(ref)s émis.") % {"ref": document.reference}


class ReissueForm(ObjectAction):
    """A new document from today's register; the old one is kept unchanged, marked superseded."""

    title = _("Émettre à nouveau l'extrait (l'ancien sera marqué remplacé)")
    states = (RequestState.DISPONIBLE,)

    def perform(self, target, actor):
        return services.reissue(target, actor=actor)

    def success_message(self, document) -> str:
        return _("Nouvel extrait %(ref)s émis ; l'ancien est marqué remplacé.") % {"ref": document.reference}


@admin.register(DemandeExtrait)
class DemandeExtraitAdmin(SwissAmountsMixin, ServiceWrittenAdminMixin, ObjectActionsMixin, admin.ModelAdmin):
    object_actions = {"decider": DecisionForm, "reemettre": ReissueForm}
    list_display = ["created_at", "display_name", "kind", "account", "state", "match", "current_reference"]
    list_filter = ["state", "match", "kind"]
    search_fields = ["name", "first_name", "uid", "account__email", "documents__reference", "payment_reference"]
    inlines = [DocumentInline]
    readonly_fields = [
        "public_id", "account", "subject", "kind", "name", "first_name", "birth_date", "uid", "street",
        "house_number", "address_extra", "postal_code", "town", "country", "purpose", "fee", "state",
        "payment_reference", "paid_at", "match", "candidate_list", "matched", "decided_by", "decided_at", "created_at",
    ]  # fmt: skip
    exclude = ["matched_parties"]

    ordering = CLERK_QUEUE_ORDER

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("account").prefetch_related("documents")

    @admin.display(description=_("document actuel"))
    def current_reference(self, obj):
        document = obj.current_document
        return document.reference if document else "—"

    @admin.display(description=_("candidats proposés"))
    def candidate_list(self, obj):
        return "; ".join(f"#{item['party']} ({item['reason']})" for item in obj.candidates) or "—"

    @admin.display(description=_("parties retenues"))
    def matched(self, obj):
        return ", ".join(str(party) for party in obj.matched_parties.all()) or "—"


@admin.register(Extrait)
class ExtraitAdmin(SwissAmountsMixin, ServiceWrittenAdminMixin, ObjectPdfMixin, admin.ModelAdmin):
    view_only = True
    list_display = ["reference", "extract_request", "issued_at", "superseded_at", "pdf_link"]
    list_filter = ["superseded_at"]
    search_fields = ["reference", "extract_request__name", "extract_request__account__email"]
    readonly_fields = [
        "reference", "extract_request", "issued_at", "issued_by", "sha256", "size", "superseded_at", "superseded_by",
        "ready_notice_sent_at", "pdf_link",
    ]  # fmt: skip
    exclude = ["pdf", "content", "access_key_hash"]

    pdf_link = ObjectPdfMixin.pdf_column(_("PDF"), _("Ouvrir le PDF"))

    def object_pdf(self, document):
        return pdf_response(document.pdf, f"{document.reference}.pdf", inline=True)


@admin.register(VerificationExtrait)
class VerificationExtraitAdmin(SwissAmountsMixin, ServiceWrittenAdminMixin, admin.ModelAdmin):
    view_only = True
    list_display = ["at", "reference", "method", "success", "throttled", "client", "document"]
    list_filter = ["success", "method", "throttled"]
    search_fields = ["reference", "client"]
    date_hierarchy = "at"
