"""Read-only inlines for the clerks' admin: a dossier's history, fees and money received, shown on
its page and written only by the services."""

from django.contrib import admin


class ReadOnlyInline(admin.TabularInline):
    """Rows shown on their parent's page; every field listed in `fields` is read-only."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    """The dated steps of a dossier (bookkeeping.DatedEvent); the subclass names the model."""

    fields = ["date", "type", "amount", "late", "note", "recorded_by", "recorded_at"]


class FeeInline(ReadOnlyInline):
    """The fees charged to a dossier (bookkeeping.FeeCharged)."""

    fields = ["date", "kind", "label", "amount", "created_by"]


class MoneyReceivedInline(ReadOnlyInline):
    """The money received for a dossier (bookkeeping.MoneyReceived)."""

    fields = ["date", "amount", "source", "external_reference", "created_by"]
