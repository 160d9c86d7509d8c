from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocp_portal import admin_inlines
from ocp_portal.admin_actions import (
    CounterReceiptInlineMixin,
    CounterReceiptMixin,
    ObjectActionsMixin,
    ObjectPdfMixin,
    ServiceWrittenAdminMixin,
)
from ocp_portal.admin_amounts import SwissAmountsMixin
from ocp_portal.admin_inlines import ReadOnlyInline
from ocp_portal.dates import today
from ocp_portal.formats import format_chf
from paiements.references import format_qr_reference

from . import admin_summary, arrangements, conversion, counter_receipts, documents, recovery, services
from .admin_forms import ARRANGEMENT_ACTIONS, CONVERSION_ACTIONS, ORDER_ACTIONS, ConversionForm, OrderForm
from .balance import order_balance
from .models import (
    ArrangementPaiement,
    Echeance,
    EtapeRecouvrement,
    FeeLine,
    OrderEvent,
    OrdonnancePenale,
    OrdonnancePenaleConversion,
    PaymentLine,
)


class EventInline(admin_inlines.EventInline):
    model = OrderEvent


class FeeInline(admin_inlines.FeeInline):
    model = FeeLine


class PaymentInline(CounterReceiptInlineMixin, admin_inlines.MoneyReceivedInline):
    model = PaymentLine
    fk_name = "ordonnance"
    fields = [*admin_inlines.MoneyReceivedInline.fields, "counter_receipt"]


class RecoveryInline(ReadOnlyInline):
    model = EtapeRecouvrement
    fields = ["etape", "proposed_on", "performed_on", "deadline", "performed_by"]


class ArrangementInline(ReadOnlyInline):
    model = ArrangementPaiement
    fields = ["requested_on", "monthly_amount", "state", "decided_on", "broken_on"]
    show_change_link = True


class ConvertedInline(ReadOnlyInline):
    model = OrdonnancePenale
    fk_name = "conversion"
    fields = ["case_number", "notification_date", "fine", "emoluments", "state"]
    verbose_name_plural = _("ordonnances pénales converties")
    show_change_link = True


class OrderAdminBase(SwissAmountsMixin, CounterReceiptMixin, ObjectActionsMixin, admin.ModelAdmin):
    change_form_template = "admin/contraventions/order_change_form.html"
    list_display = ["case_number", "offender", "fine", "notification_date", "due_date", "state"]
    list_filter = ["state", "notification_date"]
    list_select_related = ["offender"]
    search_fields = ["=case_number", "=qr_reference", "offender__name", "offender__first_name"]
    date_hierarchy = "notification_date"
    readonly_fields = [
        "case_number",
        "qr_reference_display",
        "state",
        "emoluments",
        "due_date",
        "amount_due",
        "address_invalid_since",
        "poursuite",
        "conversion",
        "conversion_ground",
        "conversion_note",
    ]

    @admin.display(description=_("référence QR"))
    def qr_reference_display(self, obj):
        return format_qr_reference(obj.qr_reference) if obj.pk else "—"

    @admin.display(description=_("solde dû"))
    def amount_due(self, obj):
        return format_chf(order_balance(obj).total) if obj.pk else "—"

    def counter_receipt(self, line):
        return counter_receipts.counter_receipt(line)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, unquote(object_id))
        if order is not None:
            extra_context = {**(extra_context or {}), "summary": admin_summary.order_summary(order, today())}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_search_results(self, request, queryset, search_term):
        digits = "".join(search_term.split())
        if len(digits) == 27 and digits.isdigit():
            return queryset.filter(qr_reference=digits), False
        return super().get_search_results(request, queryset, search_term)

    def has_delete_permission(self, request, obj=None):
        return False  # an order ends paid, classified or converted, never deleted


@admin.register(OrdonnancePenale)
class OrdonnancePenaleAdmin(OrderAdminBase):
    form = OrderForm
    object_actions = ORDER_ACTIONS
    autocomplete_fields = ["offender"]
    inlines = [EventInline, FeeInline, PaymentInline, RecoveryInline, ArrangementInline]
    actions = ["perform_next_step"]

    def get_queryset(self, request):
        return super().get_queryset(request).ordinaires()

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["offender", "offence", "fine", "notification_date"]})]
        return [
            (None, {"fields": ["case_number", "qr_reference_display", "state", "offender", "offence"]}),
            (
                _("Montants et délais"),
                {"fields": ["fine", "emoluments", "amount_due", "notification_date", "due_date"]},
            ),
            (_("Recouvrement"), {"fields": ["address_invalid_since", "poursuite", "conversion", "conversion_ground"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*self.readonly_fields, "offender", "offence", "fine", "notification_date"]

    def save_model(self, request, obj, form, change):
        if change:
            return  # every change goes through an action
        data = form.cleaned_data
        created = services.register_order(
            offender=data["offender"],
            offence=data["offence"],
            fine=data["fine"],
            notification_date=data["notification_date"],
            actor=request.user,
        )
        obj.pk, obj.case_number = created.pk, created.case_number

    @admin.action(description=_("Effectuer l'étape de recouvrement due"), permissions=["change"])
    def perform_next_step(self, request, queryset):
        _perform(self, request, [(order, None) for order in queryset])


def _perform(model_admin, request, targets):
    """Perform the given (order, step) pairs (step None: the one due), each whole or not at all."""
    on, done, refused = today(), 0, []
    for order, step in targets:
        order = OrdonnancePenale.objects.prefetch_related("recovery_steps", "arrangements").get(pk=order.pk)
        step = step or recovery.next_step(order, on)
        if step is None:
            refused.append(_("%(order)s : aucune étape n'est due.") % {"order": order})
            continue
        try:
            recovery.perform_step(order=order, step=step, on=on, actor=request.user)
            done += 1
        except ValidationError as error:
            refused.append(f"{order} : {' '.join(error.messages)}")
    if done:
        model_admin.message_user(request, _("%(n)s étape(s) effectuée(s).") % {"n": done}, messages.SUCCESS)
    for message in refused:
        model_admin.message_user(request, message, messages.WARNING)


@admin.register(OrdonnancePenaleConversion)
class OrdonnancePenaleConversionAdmin(OrderAdminBase):
    object_actions = CONVERSION_ACTIONS
    inlines = [ConvertedInline, EventInline, PaymentInline, ArrangementInline]
    fieldsets = [
        (None, {"fields": ["case_number", "qr_reference_display", "state", "offender", "offence"]}),
        (_("Montants et délais"), {"fields": ["fine", "amount_due", "notification_date", "due_date"]}),
        (_("Motif"), {"fields": ["conversion_ground", "conversion_note"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).conversions()

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "offender", "offence", "fine", "notification_date"]

    def add_view(self, request, form_url="", extra_context=None):
        """Issue a conversion order for orders of one offender, if the seed's condition holds."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        candidates = OrdonnancePenale.objects.ordinaires().filter(state__in=conversion.CONVERTIBLE)
        form = ConversionForm(
            request.POST or None, queryset=candidates.select_related("offender"), initial={"on": today()}
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                issued = conversion.issue_conversion(
                    orders=list(data["orders"]),
                    ground=data["ground"],
                    on=data["on"],
                    note=data["note"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("%(order)s émise.") % {"order": issued}, messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:contraventions_ordonnancepenaleconversion_change", args=[issued.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Émettre une ordonnance pénale de conversion"),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/contraventions/conversion_form.html", context)


class PendingFilter(admin.SimpleListFilter):
    title = _("à effectuer")
    parameter_name = "a_effectuer"

    def lookups(self, request, model_admin):
        return [("oui", _("Oui")), ("non", _("Effectuées"))]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.filter(pk__in=recovery.pending_proposals())
        if self.value() == "non":
            return queryset.filter(performed_on__isnull=False)
        return queryset


class MissedInstalmentFilter(admin.SimpleListFilter):
    title = _("échéance manquée")
    parameter_name = "echeance_manquee"

    def lookups(self, request, model_admin):
        return [("oui", _("Oui"))]

    def queryset(self, request, queryset):
        return arrangements.with_missed_instalment(queryset) if self.value() == "oui" else queryset


@admin.register(EtapeRecouvrement)
class EtapeRecouvrementAdmin(SwissAmountsMixin, ServiceWrittenAdminMixin, admin.ModelAdmin):
    """The steps proposed by the daily job, performed here by a clerk."""

    list_display = ["ordonnance", "etape", "proposed_on", "performed_on", "deadline", "performed_by"]
    list_filter = [PendingFilter, "etape", "proposed_on"]
    list_select_related = ["ordonnance", "performed_by"]
    search_fields = ["=ordonnance__case_number"]
    readonly_fields = list_display
    fields = list_display
    actions = ["perform_selected"]

    @admin.action(description=_("Effectuer les étapes sélectionnées"), permissions=["change"])
    def perform_selected(self, request, queryset):
        pending = queryset.filter(performed_on__isnull=True).select_related("ordonnance")
        _perform(self, request, [(row.ordonnance, row.etape) for row in pending])


class InstalmentInline(ReadOnlyInline):
    model = Echeance
    fields = ["position", "due_date", "amount", "qr_reference", "missed_on"]


@admin.register(ArrangementPaiement)
class ArrangementPaiementAdmin(
    SwissAmountsMixin, ServiceWrittenAdminMixin, ObjectPdfMixin, ObjectActionsMixin, admin.ModelAdmin
):
    object_actions = ARRANGEMENT_ACTIONS
    list_display = ["ordonnance", "monthly_amount", "requested_on", "state", "decided_on", "missed"]
    list_filter = ["state", MissedInstalmentFilter, "requested_on"]
    list_select_related = ["ordonnance"]
    search_fields = ["=ordonnance__case_number", "email"]
    readonly_fields = [
        "ordonnance",
        "monthly_amount",
        "email",
        "phone",
        "message",
        "requested_on",
        "state",
        "decided_on",
        "decided_by",
        "refusal_reason",
        "broken_on",
        "schedule_link",
    ]
    fields = readonly_fields
    inlines = [InstalmentInline]

    def get_queryset(self, request):
        missed = Count("instalments", filter=Q(instalments__missed_on__isnull=False))
        return super().get_queryset(request).annotate(missed_count=missed)

    @admin.display(description=_("échéances manquées"), ordering="missed_count")
    def missed(self, obj):
        return obj.missed_count or ""

    schedule_link = ObjectPdfMixin.pdf_column(_("échéancier"), _("Échéancier et factures QR (PDF)"))

    def has_pdf(self, arrangement) -> bool:
        return arrangement.instalments.exists()

    def object_pdf(self, arrangement):
        return documents.schedule_download(arrangement)
