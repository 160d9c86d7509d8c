"""The clerks' queue of réquisitions filed online: check the signature or the scan, then register
in one step with the intake (which allocates the number), or refuse with a reason."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..admin_forms import ISO_DATE, RequisitionConfirmForm
from ..procedure import ProcedureError
from . import document, filing, intake
from .models import DepotEnLigne, DepotState, SignatureWay


class FollowUpConfirmForm(forms.Form):
    """A contrordre or a réquisition de continuer: the day it was received, then « Enregistrer »."""

    on = forms.DateField(label=_("Reçue le"), widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE))


class OpenFilingsFilter(admin.SimpleListFilter):
    """The queue: filings still to check, unless another state is asked for."""

    title = _("état")
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [("ouvertes", _("À traiter")), *DepotState.choices, ("toutes", _("Toutes"))]

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": (self.value() or "ouvertes") == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "ouvertes"
        if value == "ouvertes":
            return queryset.filter(state__in=DepotEnLigne.OPEN_STATES)
        if value == "toutes":
            return queryset
        return queryset.filter(state=value)


@admin.register(DepotEnLigne)
class DepotEnLigneAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "received_at", "creditor_name", "way", "signature", "state", "dossier"]
    list_filter = [OpenFilingsFilter, "kind", "way"]
    list_select_related = ["poursuite", "target__depot_en_ligne"]
    search_fields = ["code_id", "user__email", "signer_name"]
    ordering = ["received_at"]

    @admin.display(description=_("formulaire n°"), ordering="code_id")
    def reference(self, obj):
        return obj.reference

    @admin.display(description=_("poursuite"))
    def dossier(self, obj):
        return obj.poursuite or obj.target or "—"

    @admin.display(description=_("créancier"))
    def creditor_name(self, obj):
        creditor = obj.requisition_payload["creditor"]
        return f"{creditor['first_name']} {creditor['name']}".strip()

    @admin.display(description=_("signature"))
    def signature(self, obj):
        if obj.way == SignatureWay.ELECTRONIQUE:
            return _("Qualifiée, vérifiée : %(signer)s") % {"signer": obj.signer_name}
        return _("Scan à examiner")

    def has_add_permission(self, request):
        return False  # filed by creditors only

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/fichier/<str:which>/",
                self.admin_site.admin_view(self.file_view),
                name=f"{info[0]}_{info[1]}_file",
            ),
        ] + super().get_urls()

    def file_view(self, request, object_id, which):
        """The signed PDF, the scan or the procuration, shown in the browser to a clerk."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj) or which not in ("document", "procuration"):
            raise Http404
        stored = getattr(obj, which)
        if not stored:
            raise Http404
        content_type = obj.document_type if which == "document" else filing.sniff(stored.open("rb").read(1024))
        response = FileResponse(stored.open("rb"), content_type=content_type or "application/octet-stream")
        response["Content-Disposition"] = "inline"
        response["Cache-Control"] = "private, no-store"
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The check page: what was filed, the verdict or the scan, and the two decisions."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        may_decide = self.has_change_permission(request, obj) and request.user.has_perm("poursuites.add_poursuite")
        if may_decide and request.method == "GET" and obj.state == DepotState.RECUE:
            obj = filing.start_check(obj.pk, actor=request.user)
        decision = request.POST.get("decision") if request.method == "POST" else None
        if decision and not may_decide:
            raise PermissionDenied
        data = request.POST if decision == "enregistrer" else None
        if obj.is_requisition:
            confirm = self._confirm_form(obj, data)
        else:
            confirm = FollowUpConfirmForm(data, initial={"on": timezone.localdate(obj.received_at)})
        refusal_error = ""
        if decision == "enregistrer" and not obj.is_requisition and confirm.is_valid():
            try:
                filing.register_follow_up(obj.pk, on=confirm.cleaned_data["on"], actor=request.user)
            except (filing.AlreadyDecided, ProcedureError) as error:
                confirm.add_error(None, str(error))
            except ValidationError as error:
                confirm.add_error(None, error.messages)
            else:
                self.message_user(request, _("%(filing)s enregistré.") % {"filing": obj}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:poursuites_poursuite_change", args=[obj.target_id]))
        elif decision == "enregistrer" and confirm.is_valid():
            try:
                poursuite = filing.register(
                    obj.pk,
                    party_choices=confirm.party_choices(),
                    kind=confirm.cleaned_data["kind"],
                    requisition_date=confirm.cleaned_data["requisition_date"],
                    actor=request.user,
                )
            except (filing.AlreadyDecided, intake.AlreadyRegistered) as error:
                confirm.add_error(None, str(error))
            except ValidationError as error:
                confirm.add_error(None, error.messages)
            else:
                self.message_user(request, _("%(poursuite)s enregistrée.") % {"poursuite": poursuite}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:poursuites_poursuite_change", args=[poursuite.pk]))
        elif decision == "refuser":
            try:
                filing.refuse(obj.pk, reason=request.POST.get("reason", ""), actor=request.user)
            except (filing.AlreadyDecided, ValidationError) as error:
                refusal_error = " ".join(getattr(error, "messages", [str(error)]))
            else:
                self.message_user(request, _("Réquisition refusée ; le créancier en est informé."), messages.WARNING)
                return HttpResponseRedirect(reverse("admin:poursuites_depotenligne_changelist"))
        obj.refresh_from_db()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": _("Vérifier et enregistrer"),
            "filing": obj,
            "description": document.describe(obj.requisition_payload),
            "payload": obj.requisition_payload,
            "confirm": confirm,
            "may_decide": may_decide and obj.state in DepotEnLigne.OPEN_STATES,
            "refusal_error": refusal_error,
            "reason": request.POST.get("reason", "") if decision == "refuser" else "",
            "document_url": reverse("admin:poursuites_depotenligne_file", args=[obj.pk, "document"]),
            "procuration_url": reverse("admin:poursuites_depotenligne_file", args=[obj.pk, "procuration"])
            if obj.procuration
            else "",
            "is_image": obj.document_type.startswith("image/"),
            # The paper copy of the same form may have been registered at the guichet meanwhile.
            "registered_elsewhere": intake.registered_by(obj.payload)
            if obj.is_requisition and obj.state in DepotEnLigne.OPEN_STATES
            else None,
            "electronic": obj.way == SignatureWay.ELECTRONIQUE,
        }
        return TemplateResponse(request, "admin/poursuites/depot_check.html", context)

    def _confirm_form(self, obj: DepotEnLigne, data) -> RequisitionConfirmForm:
        return RequisitionConfirmForm(
            data,
            initial={"code": obj.code, "requisition_date": timezone.localdate(obj.received_at)},
            proposals=intake.proposals(obj.payload),
            payload=obj.payload,
        )
