"""The feedback channel of the accessibility statement (eCH-0059): anyone reports a barrier, and the
message is e-mailed to the office (ACCESSIBILITY_FEEDBACK_EMAIL), with the sender's address as
Reply-To when given. Nothing of it is stored on the portal."""

from django import forms
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import tasks
from .queue import enqueue
from .text import SingleLineFormMixin, one_line

MESSAGE_MAX_LENGTH = 3000


class FeedbackForm(SingleLineFormMixin, forms.Form):
    page = forms.CharField(
        label=gettext_lazy("Page concernée (facultatif)"),
        help_text=gettext_lazy("Son adresse ou son titre."),
        max_length=300,
        required=False,
    )
    message = forms.CharField(
        label=gettext_lazy("Le problème rencontré"),
        help_text=gettext_lazy(
            "Ce que vous vouliez faire, ce qui vous en a empêché, et, si vous le savez, le navigateur ou "
            "l'aide technique utilisés (lecteur d'écran, agrandissement, commande vocale…)."
        ),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": gettext_lazy("Décrivez le problème rencontré.")},
    )
    name = forms.CharField(
        label=gettext_lazy("Votre nom (facultatif)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Votre adresse e-mail (facultatif)"),
        help_text=gettext_lazy("Seulement si vous souhaitez une réponse."),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"invalid": gettext_lazy("Saisissez une adresse e-mail valide, par exemple nom@exemple.ch.")},
    )


def send(data: dict) -> bool:
    """E-mail the report to the office through the worker; False when the broker is out of reach
    (nothing is kept to retry: the page then gives the office's other contacts)."""
    page = data.get("page") or _("page non précisée")
    subject = one_line(_("Accessibilité du portail : signalement — %(page)s") % {"page": page})[:150]
    body = render_to_string("pages/email/accessibility_feedback.txt", data)
    return enqueue(tasks.send_feedback, subject, body, data.get("email") or "")
