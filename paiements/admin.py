from datetime import date, timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ocp_portal.admin_actions import MONEY, ObjectAction, ObjectActionsMixin, ServiceWrittenAdminMixin
from ocp_portal.admin_amounts import SwissAmountsMixin
from ocp_portal.admin_inlines import ReadOnlyInline
from ocp_portal.dates import today
from ocp_portal.money_fields import MoneyField

from . import reconciliation, services
from .constants import PaymentState
from .gateways.base import GatewayError
from .models import Incident, Payment, PaymentEvent, Refund
from .state import failure_text


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


class TotalsPeriodForm(forms.Form):
    """The days shown by the daily totals: the last 31 days unless the clerk chooses."""

    DEFAULT_DAYS = 31
    MAX_DAYS = 366

    du = forms.DateField(label=_("Du"), required=False)
    au = forms.DateField(label=_("Au"), required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and start > end:
            raise ValidationError(_("La date de début doit précéder la date de fin."))
        if start and end and (end - start).days >= self.MAX_DAYS:
            raise ValidationError(_("Choisissez une période d'une année au plus."))
        return cleaned

    def period(self) -> tuple[date, date]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("au") or today()
        start = data.get("du") or end - timedelta(days=self.DEFAULT_DAYS - 1)
        return start, end


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
class PaymentAdmin(SwissAmountsMixin, ServiceWrittenAdminMixin, ObjectActionsMixin, admin.ModelAdmin):
    object_actions = {"remboursement": RefundForm}
    list_display = ["created_at", "label", "amount", "state", "purpose", "email", "gateway", "receipt_sent_at"]
    list_filter = ["state", "purpose", "gateway", "created_at"]
    search_fields = ["object_reference", "label", "email", "gateway_session_id", "gateway_payment_id", "public_id"]
    date_hierarchy = "created_at"
    inlines = [EventInline, IncidentInline, RefundInline]
    actions = ["cancel_authorized"]
    change_form_template = "admin/paiements/payment/change_form.html"
    change_list_template = "admin/paiements/payment/change_list.html"

    def get_readonly_fields(self, request, obj=None):
        return ["failure_explained" if field.name == "failure_reason" else field.name for field in Payment._meta.fields]

    @admin.display(description=_("motif du refus ou de l'échec"))
    def failure_explained(self, obj):
        if not obj.failure_reason or obj.state == PaymentState.CAPTURED:
            return "-"
        return failure_text(obj.failure_reason)

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
        """Captured card payments per day, purpose and gateway, to match with the PSP's payouts."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = TotalsPeriodForm(request.GET or None)
        start, end = form.period()
        totals = reconciliation.daily_totals(start=start, end=end)
        if request.GET.get("format") == "csv" and form.is_valid():
            response = HttpResponse(reconciliation.csv_text(totals), content_type="text/csv; charset=utf-8")
            filename = f"totaux-paiements-{start:%Y%m%d}-{end:%Y%m%d}.csv"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "start": start,
            "end": end,
            "totals": totals,
            "csv_query": urlencode({"du": f"{start:%d.%m.%Y}", "au": f"{end:%d.%m.%Y}", "format": "csv"}),
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
class IncidentAdmin(SwissAmountsMixin, ServiceWrittenAdminMixin, admin.ModelAdmin):
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
