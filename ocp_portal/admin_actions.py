"""Per-object actions in the clerks' admin: a button on the change page opens a form that calls
one service; and the PDF of an object, opened from its page. Shared by every app's admin."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .bookkeeping import MoneySource
from .counter_receipts import CounterReceipt, render_counter_receipt
from .dates import today
from .money_fields import MoneyField
from .pdf import pdf_response

ISO_DATE = "%Y-%m-%d"  # what <input type="date"> takes, whatever the language
# A MoneyField's arguments. Not a float minimum: 0.01 as a float is above Decimal("0.01"), which it would refuse.
MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01")}


class ObjectAction(forms.Form):
    """One action on one object, offered as a button on its change page. Subclasses set `title` and
    implement `perform(target, actor)`; the form receives its `target`."""

    title = ""
    permission = None  # extra permission beyond change_<model>
    states = None  # the object's states in which the action is offered; None: whatever its state

    def __init__(self, *args, target=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target

    @classmethod
    def applies_to(cls, target) -> bool:
        return cls.states is None or getattr(target, "state", None) in cls.states

    def perform(self, target, actor):
        raise NotImplementedError

    def success_message(self, result) -> str:
        return _("%(action)s : enregistré.") % {"action": self.title}


class ActionForm(ObjectAction):
    """An action the clerk dates (a step of the procedure, money received)."""

    on = forms.DateField(
        label=_("Date"), initial=today, widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)
    )


class MoneyReceivedForm(ActionForm):
    """Money received at the counter or by transfer, for any kind of dossier: the subclass says which
    service records it (`record_payment`) and under which keyword it takes the dossier (`dossier`)."""

    title = _("Enregistrer un paiement reçu")
    amount = MoneyField(label=_("Montant (CHF)"), **MONEY)
    source = forms.ChoiceField(
        label=_("Source"), choices=[(s.value, s.label) for s in (MoneySource.GUICHET, MoneySource.VIREMENT)]
    )
    external_reference = forms.CharField(
        label=_("Référence du virement"),
        max_length=64,
        required=False,
        help_text=_("Pour un virement : sa référence bancaire (un virement n'est jamais enregistré deux fois)."),
    )
    dossier = "target"

    @staticmethod
    def record_payment(**kwargs):
        raise NotImplementedError

    def perform(self, target, actor):
        data = self.cleaned_data
        return self.record_payment(
            **{self.dossier: target},
            on=data["on"],
            amount=data["amount"],
            source=data["source"],
            external_reference=data["external_reference"].strip(),
            actor=actor,
        )


class ServiceWrittenAdminMixin:
    """Rows that only the services create (a dossier issued from another, a request made online, a
    payment, a log) and that are never deleted: the clerks change them through actions, or, when
    `view_only`, not at all."""

    view_only = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return not self.view_only and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class ObjectActionsMixin:
    """Per-object actions (buttons on the change page), each a form that calls one service."""

    object_actions: dict[str, type[ObjectAction]] = {}
    action_errors: tuple = (ValidationError,)  # what a service raises to refuse, with a message for the clerk
    change_form_template = "admin/change_form_object_actions.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/action/<slug:action>/",
                self.admin_site.admin_view(self.action_view),
                name="{}_{}_action".format(*info),
            ),
        ] + super().get_urls()

    def offered_actions(self, request, target) -> list[tuple[str, str]]:
        """(key, title) of the actions this clerk may take on `target` in its present state."""
        return [
            (key, form_class.title)
            for key, form_class in self.object_actions.items()
            if (not form_class.permission or request.user.has_perm(form_class.permission))
            and target is not None
            and form_class.applies_to(target)
        ]

    def action_view(self, request, object_id, action):
        form_class = self.object_actions.get(action)
        if form_class is None:
            raise Http404
        target = self.get_object(request, unquote(object_id))
        if target is None:
            raise Http404
        if not self.has_change_permission(request, target) or (
            form_class.permission and not request.user.has_perm(form_class.permission)
        ):
            raise PermissionDenied
        # `states` only decides which buttons show: the service itself refuses an action out of turn.
        form = form_class(request.POST if request.method == "POST" else None, target=target)
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():  # an action is applied whole or not at all
                    result = form.perform(target, request.user)
            except self.action_errors as error:
                form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
            else:
                self.message_user(request, self.action_success_message(form, result), messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[target.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": target,
            "status_label": self.status_label(target),
            "title": form_class.title,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/object_action_form.html", context)

    def action_success_message(self, form, result) -> str:
        """What the clerk reads once the action is done (a mixin may add a link to what it produced)."""
        return form.success_message(result)

    def status_label(self, target) -> str:
        for name in ("get_status_display", "get_state_display"):
            if hasattr(target, name):
                return getattr(target, name)()
        return ""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        target = self.get_object(request, unquote(object_id))
        extra_context = {**(extra_context or {}), "object_actions": self.offered_actions(request, target)}
        return super().change_view(request, object_id, form_url, extra_context)


class ObjectPdfMixin:
    """« The PDF of this object »: a view at `<id>/pdf/` (admin URL name `<app>_<model>_pdf`) that opens
    it in the browser for whoever may view the object, and a column that links to it.

    Subclasses implement `object_pdf(obj)` (the response, or None when there is no PDF yet) and name
    their column with `pdf_link = ObjectPdfMixin.pdf_column(description, link_text)`."""

    def object_pdf(self, obj):
        raise NotImplementedError

    def has_pdf(self, obj) -> bool:
        return True

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_pdf"
        return [
            path("<path:object_id>/pdf/", self.admin_site.admin_view(self.pdf_view), name=name),
            *super().get_urls(),
        ]

    def pdf_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404
        response = self.object_pdf(obj)
        if response is None:
            raise Http404
        return response

    @staticmethod
    def pdf_column(description, link_text, missing="—"):
        """A read-only column linking to the object's PDF (`missing` while it has none)."""

        @admin.display(description=description)
        def pdf_link(model_admin, obj):
            if obj is None or not obj.pk or not model_admin.has_pdf(obj):
                return missing
            opts = model_admin.opts
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_pdf", args=[obj.pk])
            return format_html('<a href="{}">{}</a>', url, link_text)

        return pdf_link


class CounterReceiptMixin:
    """« Quittance de guichet »: the PDF receipt of one line of money received, served from its
    dossier's admin at `<dossier id>/quittance/<line id>/` (admin URL name
    `<app>_<model>_counter_receipt`) to whoever may view the dossier, and linked from the message
    that follows « Enregistrer un paiement reçu ». Goes before ObjectActionsMixin.

    Subclasses implement `counter_receipt(line)` (a CounterReceipt); the dossier's lines are
    `dossier.payments` unless `receipt_lines(dossier)` says otherwise."""

    def counter_receipt(self, line) -> CounterReceipt:
        raise NotImplementedError

    def receipt_lines(self, dossier):
        return dossier.payments.all()

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_counter_receipt"
        return [
            path(
                "<path:object_id>/quittance/<int:line_id>/",
                self.admin_site.admin_view(self.counter_receipt_view),
                name=name,
            ),
            *super().get_urls(),
        ]

    def counter_receipt_view(self, request, object_id, line_id):
        dossier = self.get_object(request, unquote(object_id))
        if dossier is None or not self.has_view_permission(request, dossier):
            raise Http404
        line = self.receipt_lines(dossier).select_related("created_by").filter(pk=line_id).first()
        if line is None:  # a line of another dossier
            raise Http404
        receipt = self.counter_receipt(line)
        return pdf_response(render_counter_receipt(receipt), receipt.filename, inline=True)

    def action_success_message(self, form, result):
        message = super().action_success_message(form, result)
        if not isinstance(form, MoneyReceivedForm) or getattr(result, "pk", None) is None:
            return message
        return format_html(
            '{} <a href="{}">{}</a>',
            message,
            counter_receipt_url(self.opts, form.target.pk, result.pk),
            _("Imprimer la quittance de guichet (PDF)"),
        )


def counter_receipt_url(dossier_opts, dossier_pk, line_pk) -> str:
    return reverse(
        f"admin:{dossier_opts.app_label}_{dossier_opts.model_name}_counter_receipt", args=[dossier_pk, line_pk]
    )


class CounterReceiptInlineMixin:
    """Beside each line of money received on its dossier's page, the link to its counter receipt.
    Add "counter_receipt" to the inline's fields; `fk_name` names the dossier."""

    @admin.display(description=_("quittance"))
    def counter_receipt(self, line):
        if line is None or not line.pk:
            return "—"
        url = counter_receipt_url(self.parent_model._meta, getattr(line, f"{self.fk_name}_id"), line.pk)
        return format_html('<a href="{}">{}</a>', url, _("Quittance (PDF)"))
