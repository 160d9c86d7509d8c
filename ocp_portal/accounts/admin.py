from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Compte


class VerifiedFilter(admin.SimpleListFilter):
    title = _("adresse confirmée")
    parameter_name = "confirme"

    def lookups(self, request, model_admin):
        return [("oui", _("Oui")), ("non", _("Non"))]

    def queryset(self, request, queryset):
        if self.value() in ("oui", "non"):
            return queryset.filter(verified_at__isnull=self.value() == "non")
        return queryset


@admin.register(Compte)
class CompteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "company_name", "uid", "verified_at", "is_active", "created_at"]
    list_filter = ["kind", VerifiedFilter]
    search_fields = ["user__email", "user__username", "company_name", "uid"]
    list_select_related = ["user"]
    readonly_fields = ["user", "verified_at", "created_at"]
    fields = ["user", "kind", "company_name", "uid", "verified_at", "created_at"]
    date_hierarchy = "created_at"

    @admin.display(boolean=True, description=_("actif"))
    def is_active(self, obj):
        return obj.user.is_active

    def has_add_permission(self, request):
        return False  # accounts are opened by their owners, who confirm their address
