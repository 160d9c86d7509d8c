"""The clerks' queue of non-divulgation requests and the actions on a request."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ocp_portal.admin_actions import ObjectPdfMixin, ServiceWrittenAdminMixin
from ocp_portal.admin_amounts import SwissAmountsMixin
from ocp_portal.pdf import pdf_response

from ..admin import ProcedureActionsMixin
from ..constants import EtatNonDivulgation
from .admin_forms import REQUEST_ACTIONS
from .models import DemandeNonDivulgation


class NonDivulgationQueueFilter(admin.SimpleListFilter):
    """The clerks' queue: requests by state. Unless asked for, requests whose fee is unpaid are
    left out: they are not the office's yet."""

    title = _("état")
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return EtatNonDivulgation.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(state=self.value())
        return queryset.exclude(state=EtatNonDivulgation.ATTENTE_PAIEMENT)


@admin.register(DemandeNonDivulgation)
class DemandeNonDivulgationAdmin(
    SwissAmountsMixin, ServiceWrittenAdminMixin, ObjectPdfMixin, ProcedureActionsMixin, admin.ModelAdmin
):
    object_actions = REQUEST_ACTIONS
    list_display = [
        "poursuite_reference",
        "debtor",
        "requester_label",
        "state",
        "paid_at",
        "notified_on",
        "deadline_on",
        "decided_at",
    ]
    list_filter = [NonDivulgationQueueFilter, "deadline_on"]
    list_select_related = ["poursuite__debtor"]
    search_fields = ["requester_name", "requester_first_name", "email", "public_id", "poursuite__debtor__name"]
    ordering = ["deadline_on", "-paid_at", "-created_at"]
    fieldsets = [
        (None, {"fields": ["poursuite", "state", "reason", "public_id"]}),
        (
            _("Requérant"),
            {
                "fields": [
                    "user",
                    "email",
                    "requester_kind",
                    "requester_name",
                    "requester_first_name",
                    "requester_birth_date",
                    "requester_uid",
                    "declared_at",
                ]
            },
        ),
        (_("Émolument"), {"fields": ["payment", "paid_at"]}),
        (
            _("Interpellation du créancier"),
            {"fields": ["letter_link", "letter_rendered_at", "letter_emailed_at", "notified_on", "deadline_on"]},
        ),
        (
            _("Issue"),
            {"fields": ["proof", "proof_on", "decided_at", "outcome_sent_at", "redisclosure_proof", "redisclosed_on"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [name for _title, options in self.fieldsets for name in options["fields"]]

    @admin.display(description=_("poursuite"), ordering="poursuite__number")
    def poursuite_reference(self, obj):
        return obj.poursuite.reference

    @admin.display(description=_("requérant"))
    def requester_label(self, obj):
        return obj.requester_label

    @admin.display(description=_("débiteur au registre"), ordering="poursuite__debtor__name")
    def debtor(self, obj):
        return obj.poursuite.debtor

    letter_link = ObjectPdfMixin.pdf_column(
        _("lettre au créancier"), _("Télécharger la lettre (PDF)"), missing=_("pas encore établie")
    )

    def has_pdf(self, obj) -> bool:
        return bool(obj.letter)

    def object_pdf(self, demande):
        if demande.letter:
            return pdf_response(demande.letter, f"interpellation-{demande.poursuite.number:08d}.pdf", inline=True)
        return None
