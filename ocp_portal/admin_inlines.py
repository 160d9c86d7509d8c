from django.contrib import admin


class ReadOnlyInline(admin.TabularInline):
    """A history shown on its parent's page; written only by the services."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
