"""How the public pages write a form field: `{% form_field form.x %}` (field_html) and the form
renderer of the portal (settings.FORM_RENDERER).

Both are built in Python, because the template engine made them the largest part of a simple
page (issue 17, cProfile): Django renders each widget through three templates (text.html →
input.html → attrs.html), about 0.1 ms an <input>, and a field's label, help and errors through an
include cost as much again. The plain <input> widgets are built here, to the character what
Django's templates give (tests/test_form_rendering.py compares both on every form of the portal);
every other widget (select, radio, textarea, the admin's) keeps its template.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

# Django's widget templates that are nothing but `{% include "django/forms/widgets/input.html" %}`.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
        "color",
        "search",
        "tel",
    )
)


def _text(value) -> str:
    """`{{ value|stringformat:'s' }}`: str() then escaped, unless already safe."""
    return value if isinstance(value, SafeData) else conditional_escape(str(value))


def attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def input_html(widget: dict) -> str:
    """django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return mark_safe(  # noqa: S308 - every part above is escaped
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{attrs_html(widget['attrs'])}>"
    )


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return input_html(context["widget"])
        return super().render(template_name, context, request)


def field_html(field) -> SafeString:
    """One form field: its label (with an asterisk when required, or when the form checks it as
    required itself: `shown_required`), its help text and its errors, tied to the input by ids that
    Django's aria-describedby names, then the input."""
    errors, auto_id, help_text = field.errors, conditional_escape(field.auto_id), field.help_text
    required = field.field.required or getattr(field.field, "shown_required", False)
    asterisk = ' <span class="required" aria-hidden="true">*</span>' if required else ""
    help_html = f'<p class="help" id="{auto_id}_helptext">{conditional_escape(help_text)}</p>' if help_text else ""
    errors_html = ""
    if errors:
        items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
        errors_html = f'<ul class="errors" id="{auto_id}_error">{items}</ul>'
    return mark_safe(  # noqa: S308 - every part is escaped
        f'\n<div class="field{" field--error" if errors else ""}">\n'
        f'  <label for="{conditional_escape(field.id_for_label)}">{conditional_escape(field.label)}{asterisk}</label>\n'
        f"  {help_html}\n  {errors_html}\n  {field}\n</div>\n"
    )
