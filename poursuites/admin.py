from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from ocp_portal import admin_inlines
from ocp_portal.admin_actions import (
    CounterReceiptInlineMixin,
    CounterReceiptMixin,
    ObjectActionsMixin,
    ServiceWrittenAdminMixin,
)
from ocp_portal.admin_amounts import SwissAmountsMixin
from ocp_portal.admin_inlines import ReadOnlyInline
from ocp_portal.admin_paging import LargeTableAdminMixin
from ocp_portal.dates import today
from ocp_portal.formats import format_chf

from . import admin_summary, counter_receipts, search, services
from .admin_forms import ADB_ACTIONS, POURSUITE_ACTIONS, RequisitionCodeForm, RequisitionConfirmForm
from .constants import ADBState, PoursuiteStatus
from .models import (
    ActeDefautBiens,
    Claim,
    FeeLine,
    HistoryEntry,
    Party,
    PaymentLine,
    Poursuite,
    PoursuiteEvent,
)
from .procedure import ProcedureError
from .requisition import intake


class ClaimFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        total = sum((form.cleaned_data.get("amount") or 0 for form in self.forms if form.cleaned_data), Decimal(0))
        if total > Claim.MAX_TOTAL:
            raise ValidationError(_("Le total des créances dépasse le montant qu'une poursuite peut porter."))


class ClaimInline(admin.TabularInline):
    """Editable when a clerk registers a poursuite by hand; read-only afterwards."""

    model = Claim
    formset = ClaimFormSet
    fields = ["position", "amount", "interest_rate", "interest_from", "title"]
    readonly_fields = ["position"]
    extra = 1
    min_num = 1
    max_num = Claim.MAX_PER_POURSUITE
    validate_min = validate_max = True
    can_delete = False
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}}

    def has_change_permission(self, request, obj=None):
        return obj is None

    def has_add_permission(self, request, obj=None):
        return obj is None


class EventInline(admin_inlines.EventInline):
    model = PoursuiteEvent


class FeeInline(admin_inlines.FeeInline):
    model = FeeLine


class PaymentInline(CounterReceiptInlineMixin, admin_inlines.MoneyReceivedInline):
    model = PaymentLine
    fk_name = "poursuite"
    fields = [*admin_inlines.MoneyReceivedInline.fields, "counter_receipt"]


class ADBPaymentInline(PaymentInline):
    fk_name = "adb"


class ADBInline(ReadOnlyInline):
    model = ActeDefautBiens
    fields = ["number", "amount", "issued_on", "state"]
    show_change_link = True


# How a history entry's recorded changes read: amounts the Swiss way, states by their label.
CHANGE_VALUES = {
    "montant": format_chf,
    "statut": lambda code: PoursuiteStatus(code).label if code in PoursuiteStatus.values else code,
    "état": lambda code: ADBState(code).label if code in ADBState.values else code,
}


def changes_text(changes: dict) -> str:
    """`{"statut": ["notifie", "opposition"], "montant": "40.00"}` as « statut : notifié → opposition · … »."""
    parts = []
    for key, value in changes.items():
        shown = CHANGE_VALUES.get(key, str)
        values = value if isinstance(value, list) else [value]
        parts.append(f"{key} : " + " → ".join(str(shown(v)) if v not in (None, "") else "—" for v in values))
    return " · ".join(parts)


class HistoryInline(ReadOnlyInline):
    model = HistoryEntry
    fk_name = "poursuite"
    fields = ["at", "actor", "actor_label", "action", "changes_shown"]

    @admin.display(description=_("modifications"))
    def changes_shown(self, entry):
        return changes_text(entry.changes)


class ADBHistoryInline(HistoryInline):
    fk_name = "adb"


class ProcedureActionsMixin(ObjectActionsMixin):
    action_errors = (ValidationError, ProcedureError)


class DossierPageMixin(CounterReceiptMixin, ProcedureActionsMixin):
    """A poursuite's or an ADB's page: its actions, the counter receipt of its payments, and its
    summary (poursuites.admin_summary) between the fields and the inlines."""

    change_form_template = "admin/poursuites/dossier_change_form.html"
    summary_template = ""

    def counter_receipt(self, line):
        return counter_receipts.counter_receipt(line)

    def summary(self, obj):
        raise NotImplementedError

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context = {
                **(extra_context or {}),
                "summary": self.summary(obj),
                "summary_template": self.summary_template,
            }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Party)
class PartyAdmin(SwissAmountsMixin, LargeTableAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "birth_date", "uid", "postal_code", "town", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "first_name", "uid"]  # served by poursuites.search (one trigram index)
    search_help_text = _("Nom et prénom dans n'importe quel ordre, sans souci des accents, ou IDE (CHE-…).")
    ordering = ["name", "first_name", "pk"]  # total, so the list pages from the (name, first_name) index
    fieldsets = [
        (None, {"fields": ["kind", "name", "first_name", "birth_date", "uid", "email"]}),
        (_("Adresse"), {"fields": ["street", "house_number", "address_extra", "postal_code", "town", "country"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return search.parties(search.read(search_term), queryset), False


@admin.register(Poursuite)
class PoursuiteAdmin(SwissAmountsMixin, LargeTableAdminMixin, DossierPageMixin, admin.ModelAdmin):
    object_actions = POURSUITE_ACTIONS
    change_list_template = "admin/poursuites/poursuite/change_list.html"
    list_display = [
        "reference",
        "kind",
        "status",
        "claim_amount",
        "debtor",
        "creditor",
        "requisition_date",
        "notification_date",
    ]
    list_filter = ["status", "kind", "requisition_date", "notification_date"]
    list_select_related = ()  # no join: the page's parties come by prefetch (a join misled the planner at 1M rows)
    search_fields = ["debtor__name", "creditor__name"]  # served by poursuites.search
    search_help_text = _(
        "Numéro (avec ou sans lettre clé), référence QR à 27 chiffres, IDE, ou noms du débiteur ou du créancier."
    )
    autocomplete_fields = ["creditor", "debtor", "representative"]
    readonly_fields = ["reference", "status", "notification_date", "closed_on", "claim_amount"]
    inlines = [ClaimInline, EventInline, FeeInline, PaymentInline, ADBInline, HistoryInline]
    summary_template = "admin/poursuites/includes/poursuite_summary.html"
    fieldsets = [
        (None, {"fields": ["reference", "kind", "status", "requisition_date", "notification_date", "closed_on"]}),
        (_("Parties"), {"fields": ["creditor", "representative", "debtor", "creditor_iban"]}),
        (_("Montant"), {"fields": ["claim_amount", "notes"]}),
    ]

    @admin.display(description=_("numéro"), ordering="number")
    def reference(self, obj):
        return obj.reference if obj.pk else "—"

    def summary(self, obj):
        return admin_summary.poursuite_summary(obj, today())

    def get_urls(self):
        return [
            path(
                "depuis-requisition/",
                self.admin_site.admin_view(self.from_requisition_view),
                name="poursuites_poursuite_from_requisition",
            ),
        ] + super().get_urls()

    def from_requisition_view(self, request):
        """« Nouvelle poursuite depuis une réquisition »: scan, check and match, confirm."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RequisitionCodeForm(request.POST or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Nouvelle poursuite depuis une réquisition"),
        }
        if request.method == "POST" and form.is_valid():
            payload = form.payload
            existing = intake.registered_by(payload)
            if existing:
                form.add_error("code", str(intake.AlreadyRegistered(existing)))
                context["existing"] = existing
            else:
                confirm = RequisitionConfirmForm(
                    request.POST if "confirm" in request.POST else None,
                    initial={"code": form.cleaned_data["code"]},
                    proposals=intake.proposals(payload),
                    payload=payload,
                )
                if confirm.is_bound and confirm.is_valid():
                    try:
                        poursuite = intake.register_from_code(
                            payload=payload,
                            party_choices=confirm.party_choices(),
                            kind=confirm.cleaned_data["kind"],
                            requisition_date=confirm.cleaned_data["requisition_date"],
                            actor=request.user,
                        )
                    except intake.AlreadyRegistered as error:
                        confirm.add_error(None, str(error))
                    except ValidationError as error:
                        confirm.add_error(None, error.messages)
                    else:
                        self.message_user(
                            request, _("%(poursuite)s enregistrée.") % {"poursuite": poursuite}, messages.SUCCESS
                        )
                        return HttpResponseRedirect(reverse("admin:poursuites_poursuite_change", args=[poursuite.pk]))
                context.update(payload=payload, confirm=confirm)
                return TemplateResponse(request, "admin/poursuites/requisition_confirm.html", context)
        context["form"] = form
        return TemplateResponse(request, "admin/poursuites/requisition_scan.html", context)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "kind", "creditor", "debtor", "requisition_date"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("debtor", "creditor")

    def get_inlines(self, request, obj):
        """The claims are typed in when a clerk registers a poursuite; afterwards the page's summary
        shows them, with the balance they make."""
        return self.inlines if obj is None else [inline for inline in self.inlines if inline is not ClaimInline]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return search.dossiers(queryset, search_term), False

    def save_model(self, request, obj, form, change):
        if not change:
            return  # registered in save_related, once the claims are known
        changes = {
            field: [str(form.initial.get(field)), str(form.cleaned_data.get(field))] for field in form.changed_data
        }
        super().save_model(request, obj, form, change)
        if changes:
            services.record_history(poursuite=obj, actor=request.user, action=_("Modifiée au guichet"), changes=changes)

    def construct_change_message(self, request, form, formsets, add=False):
        if add:  # the claims were saved by the service, not by the formset
            return [{"added": {}}]
        return super().construct_change_message(request, form, formsets, add)

    def save_related(self, request, form, formsets, change):
        if change:
            return super().save_related(request, form, formsets, change)
        claim_fields = ["amount", "interest_rate", "interest_from", "title"]
        claims = [
            {field: claim_form.cleaned_data[field] for field in claim_fields}
            for formset in formsets
            if formset.model is Claim
            for claim_form in formset.forms
            if claim_form.cleaned_data and claim_form.has_changed()
        ]
        data = {field: form.cleaned_data.get(field) for field in form.fields}
        created = services.register_poursuite(**data, claims=claims, actor=request.user)
        form.instance.pk, form.instance.number = created.pk, created.number

    def has_delete_permission(self, request, obj=None):
        return False  # a poursuite ends by contrordre or annulation, never by deletion


@admin.register(ActeDefautBiens)
class ActeDefautBiensAdmin(
    SwissAmountsMixin, LargeTableAdminMixin, ServiceWrittenAdminMixin, DossierPageMixin, admin.ModelAdmin
):
    object_actions = ADB_ACTIONS
    list_display = ["reference", "poursuite", "amount", "issued_on", "state"]
    list_filter = ["state", "issued_on"]
    search_fields = ["poursuite__debtor__name"]  # served by poursuites.search
    search_help_text = _("Numéro de l'ADB, référence QR à 27 chiffres, IDE ou noms du débiteur.")
    list_select_related = ["poursuite"]
    readonly_fields = ["reference", "poursuite", "amount", "issued_on", "state", "closed_on"]
    fields = readonly_fields
    inlines = [ADBPaymentInline, ADBHistoryInline]
    summary_template = "admin/poursuites/includes/adb_summary.html"

    def summary(self, obj):
        return admin_summary.adb_summary(obj, today())

    @admin.display(description=_("numéro"), ordering="number")
    def reference(self, obj):
        return obj.reference

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return search.dossiers(queryset, search_term), False


# The clerks' queue of non-divulgation requests lives with its rules; imported here so that it registers.
from .non_divulgation import admin as non_divulgation_admin  # noqa: E402, F401

# The clerks' queue of réquisitions filed online; imported here so that it registers.
from .requisition import admin as requisition_admin  # noqa: E402, F401
