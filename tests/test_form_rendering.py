"""The portal's form renderer builds plain <input> widgets, and `{% form_field %}` whole fields, in
Python: to the character what Django's widget templates and includes/field.html gave, on every
form of the portal (blank and with its errors) and on the edge cases of attrs.html."""

import importlib
import pkgutil
from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from ocp_portal.form_rendering import INPUT_TEMPLATES, PortalFormRenderer, field_html

PORTAL_PACKAGES = ("ocp_portal", "poursuites", "extraits", "paiements", "contraventions")
fast, templates = PortalFormRenderer(), DjangoTemplates()
# The template includes/field.html that `{% form_field %}` replaced (issue 17): the reference.
FIELD_TEMPLATE = """{% comment %}One form field.{% endcomment %}
<div class="field{% if field.errors %} field--error{% endif %}">
  <label for="{{ field.id_for_label }}">{{ field.label }}{% if field.field.required or field.field.shown_required %} <span class="required" aria-hidden="true">*</span>{% endif %}</label>
  {% if field.help_text %}<p class="help" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</p>{% endif %}
  {% if field.errors %}<ul class="errors" id="{{ field.auto_id }}_error">{% for error in field.errors %}<li>{{ error }}</li>{% endfor %}</ul>{% endif %}
  {{ field }}
</div>
"""  # noqa: E501


def rendered(widget, name, value, renderer, attrs=None):
    return widget.render(name, value, attrs=attrs, renderer=renderer)


def test_every_input_template_is_an_input():
    """The shortcut covers only templates that are Django's <input> and nothing more."""
    for name in INPUT_TEMPLATES:
        source = templates.engine.get_template(name).template.source.strip()
        assert source in (
            '{% include "django/forms/widgets/input.html" %}',
            templates.engine.get_template("django/forms/widgets/input.html").template.source.strip(),
        ), name


@pytest.mark.parametrize(
    "widget",
    [
        forms.TextInput(),
        forms.NumberInput(attrs={"min": 0, "step": Decimal("0.01")}),
        forms.EmailInput(attrs={"autocomplete": "email"}),
        forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        forms.DateInput(format="%d.%m.%Y"),
        forms.HiddenInput(),
        forms.PasswordInput(render_value=True),
        forms.CheckboxInput(),
        forms.URLInput(),
        forms.TimeInput(),
        forms.DateTimeInput(),
    ],
    ids=lambda widget: type(widget).__name__,
)
@pytest.mark.parametrize(
    "value",
    [None, "", 0, 12, "1234 5678", '<b>"l\'office" & co</b>', mark_safe("<i>sûr</i>"), date(2027, 3, 10), True],
)
def test_widget_as_django_renders_it(widget, value):
    attrs = {
        "id": "id_x",
        "required": True,
        "disabled": False,
        "aria-describedby": "id_x_helptext id_x_error",
        "placeholder": gettext_lazy("Numéro de 8 chiffres"),
        "data-note": '"guillemets" <et> chevrons',
        "maxlength": 8,
    }
    assert rendered(widget, "x", value, fast, attrs) == rendered(widget, "x", value, templates, attrs)


def _portal_forms():
    for package in PORTAL_PACKAGES:
        for module in pkgutil.walk_packages(importlib.import_module(package).__path__, f"{package}."):
            if "migrations" not in module.name and module.name.rsplit(".", 1)[-1].endswith("forms"):
                importlib.import_module(module.name)
    seen, pending = [], [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PORTAL_PACKAGES and cls not in seen:
            seen.append(cls)
    return seen


@pytest.mark.django_db
def test_every_portal_form_renders_as_with_django_templates():
    """Each form that builds without arguments, blank and then bound to nothing (its errors add
    aria-invalid and aria-describedby): every field's widget, character for character."""
    compared = 0
    for form_class in _portal_forms():
        for data in (None, {}):
            try:
                form = form_class(data)
            except TypeError:  # needs arguments of its own (an instance, a request)
                break
            form.is_bound and form.is_valid()
            reference = engines["django"].from_string(FIELD_TEMPLATE)
            for field in form:
                form.renderer = fast
                ours = field.as_widget(), field_html(field)
                form.renderer = templates
                assert ours == (field.as_widget(), reference.render({"field": field})), (form_class, field.name)
                compared += 1
    assert compared > 100  # the portal's forms were found
