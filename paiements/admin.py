from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from ocp_portal.admin_actions import MONEY, ObjectAction, ObjectActionsMixin, ServiceWrittenAdminMixin
from ocp_portal.admin_inlines import ReadOnlyInline
from ocp_portal.money_fields import MoneyField

from . import services
from .constants import PaymentState
from .gateways.base import GatewayError
from .models import Incident, Payment, PaymentEvent, Refund


class EventInline(ReadOnlyInline):
    model = PaymentEvent
    fields = ["at", "from_state", "to_state", "actor", "user", "psp_event_id", "detail"]


class IncidentInline(ReadOnlyInline):
    model = Incident
    fields = ["created_at", "kind", "detail", "closed_at", "closed_by", "resolution"]
    show_change_link = True


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = ["recorded_at", "amount", "note", "recorded_by"]


class RefundForm(ObjectAction):
    """A refund made by bank transfer (a surplus, a payment made twice), within what was captured."""

    title = _("Enregistrer un remboursement")
    states = (PaymentState.CAPTURED,)
    amount = MoneyField(label=_("Montant remboursé (CHF)"), **MONEY)
    note = forms.CharField(label=_("Motif et référence du virement"), max_length=255)

    def perform(self, target, actor):
        return services.record_refund(payment=target, user=actor, **self.cleaned_data)

    def success_message(self, refund) -> str:
        return _("Remboursement enregistré.")


@admin.register(Payment)
class PaymentAdmin(ServiceWrittenAdminMixin, ObjectActionsMixin, admin.ModelAdmin):
    object_actions = {"remboursement": RefundForm}
    list_display = ["created_at", "label", "amount", "state", "purpose", "email", "gateway", "receipt_sent_at"]
    list_filter = ["state", "purpose", "gateway", "created_at"]
    search_fields = ["object_reference", "label", "email", "gateway_session_id", "gateway_payment_id", "public_id"]
    date_hierarchy = "created_at"
    inlines = [EventInline, IncidentInline, RefundInline]
    actions = ["cancel_authorized"]
    change_form_template = "admin/paiements/payment/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Payment._meta.fields]

    @admin.action(
        description=_("Annuler les paiements autorisés sélectionnés (libérer le montant)"), permissions=["cancel"]
    )
    def cancel_authorized(self, request, queryset):
        for payment in queryset:
            try:
                services.cancel_authorized(payment, user=request.user)
            except (ValidationError, GatewayError) as error:
                self.message_user(request, f"{payment}: {error}", messages.ERROR)
            else:
                self.message_user(request, _("%(payment)s : annulé.") % {"payment": payment}, messages.SUCCESS)

    def has_cancel_permission(self, request):
        return request.user.has_perm("paiements.cancel_payment")

    def get_urls(self):
        return [
            path("totaux/", self.admin_site.admin_view(self.daily_totals), name="paiements_payment_totals"),
        ] + super().get_urls()

    def daily_totals(self, request):
        """Captured card payments per day and purpose, for the daily accounting."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = (
            Payment.objects.filter(state=PaymentState.CAPTURED)
            .annotate(day=TruncDate("captured_at"))
            .values("day", "purpose")
            .annotate(total=Sum("amount"), count=Count("id"))
            .order_by("-day", "purpose")[:200]
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "rows": rows,
            "title": _("Totaux journaliers encaissés"),
        }
        return TemplateResponse(request, "admin/paiements/payment/totals.html", context)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("paiements.change_payment")


class IncidentCloseForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = ["resolution"]


@admin.register(Incident)
class IncidentAdmin(ServiceWrittenAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "payment", "is_open", "closed_by"]
    list_filter = [("closed_at", admin.EmptyFieldListFilter), "kind", "created_at"]
    search_fields = ["detail", "payment__public_id", "payment__object_reference"]
    readonly_fields = ["created_at", "kind", "payment", "detail", "closed_at", "closed_by"]
    fields = [*readonly_fields, "resolution"]
    form = IncidentCloseForm

    @admin.display(boolean=True, description=_("ouvert"))
    def is_open(self, obj):
        return obj.is_open

    def save_model(self, request, obj, form, change):
        """Saving a resolution marks the incident handled, by whom and when."""
        if obj.closed_at is None and obj.resolution.strip():
            services.close_incident(obj, user=request.user, resolution=obj.resolution)
        else:
            super().save_model(request, obj, form, change)
