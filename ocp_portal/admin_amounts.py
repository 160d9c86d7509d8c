"""Amounts on the guichet's pages read « CHF 1'234.50 », as everywhere else in the portal.

Django prints a DecimalField as stored (« 780.17 ») in list columns, read-only fields and inline
rows. `SwissAmountsMixin` swaps each money field (two decimal places) shown there for a column that
writes it with `format_chf`; inputs are left to the forms' `MoneyField`. Every admin of the portal
that shows money carries it (tests/test_admin_french.py checks)."""

from functools import cache

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .formats import format_chf


def is_amount(model, name) -> bool:
    if not isinstance(name, str):
        return False
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return isinstance(field, models.DecimalField) and field.decimal_places == 2


@cache
def amount_column(model, name: str):
    """The field `name` of `model`, written `CHF 1'234.50`, sortable like the field itself."""
    field = model._meta.get_field(name)

    @admin.display(description=field.verbose_name, ordering=name)
    def column(obj):
        value = getattr(obj, name)
        return None if value is None else format_chf(value)

    column.__name__ = name  # the admin's CSS classes (column-amount, field-amount) stay the same
    return column


def _with_amounts(model, names, read_only):
    swapped = []
    for name in names:
        if isinstance(name, (list, tuple)):  # a row of fields in a fieldset
            swapped.append(type(name)(_with_amounts(model, name, read_only)))
        elif is_amount(model, name) and name in read_only:
            swapped.append(amount_column(model, name))
        else:
            swapped.append(name)
    return swapped


def _show_amounts(part, model, read_only) -> None:
    """Swap the money fields of an AdminForm or InlineAdminFormSet, once it is built."""
    part.readonly_fields = _with_amounts(model, part.readonly_fields, read_only)
    part.fieldsets = [
        (title, {**options, "fields": _with_amounts(model, options["fields"], read_only)})
        for title, options in part.fieldsets
    ]


class SwissAmountsMixin:
    """For a ModelAdmin: money fields in its list, and read-only on its page and in its inlines.

    The swap happens on the built page (`render_change_form`) rather than in `get_readonly_fields`
    or `get_fieldsets`, which the admins override for their own reasons."""

    def get_list_display(self, request):
        names = super().get_list_display(request)
        return _with_amounts(self.model, names, set(names))

    def render_change_form(self, request, context, *args, **kwargs):
        form = context["adminform"]
        _show_amounts(form, self.model, set(form.readonly_fields))
        for inline in context.get("inline_admin_formsets", []):
            read_only = set(inline.readonly_fields)
            if not inline.has_change_permission:
                read_only |= set(flatten_fieldsets(inline.fieldsets))
            _show_amounts(inline, inline.formset.model, read_only)
        return super().render_change_form(request, context, *args, **kwargs)
