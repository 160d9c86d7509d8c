from django import forms
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocp_portal.links import absolute_url
from ocp_portal.queue import enqueue
from ocp_portal.text import SingleLineFormMixin

from . import tasks
from .models import AccountKind, format_uid

User = get_user_model()

# The e-mail address is the username: it cannot be longer than the username column.
EMAIL_MAX_LENGTH = User._meta.get_field("username").max_length


def email_field(**kwargs):
    return forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        **kwargs,
    )


def normalize_email(value: str) -> str:
    return value.strip().lower()


class SignupForm(SingleLineFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Vous ouvrez un compte en tant que"), choices=AccountKind.choices, widget=forms.RadioSelect
    )
    email = email_field(
        help_text=_("Nous y enverrons un lien pour confirmer l'adresse : le compte ne sert qu'une fois confirmé.")
    )
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Au moins 8 caractères, pas uniquement des chiffres, ni un mot de passe trop courant."),
    )
    password2 = forms.CharField(
        label=_("Confirmez le mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    company_name = forms.CharField(
        label=_("Raison sociale"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        help_text=_("Telle qu'inscrite au registre du commerce."),
    )
    uid = forms.CharField(
        label=_("Numéro IDE"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "placeholder": "CHE-123.456.789"}),
        help_text=_("Numéro d'identification des entreprises, au format CHE-123.456.789."),
    )

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])

    def clean_company_name(self):
        return " ".join(self.cleaned_data["company_name"].split())

    def clean(self):
        data = super().clean()
        if data.get("kind") == AccountKind.PERSONNE_MORALE:
            if not data.get("company_name") and not self.has_error("company_name"):
                self.add_error("company_name", _("Indiquez la raison sociale de la personne morale."))
            uid = data.get("uid", "")
            if not uid and not self.has_error("uid"):
                self.add_error("uid", _("Indiquez le numéro IDE de la personne morale."))
            elif uid:
                try:
                    data["uid"] = format_uid(uid)
                except ValidationError as error:
                    self.add_error("uid", error)
        else:
            data["company_name"] = data["uid"] = ""

        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        elif password1 and not self.has_error("password1"):
            email = data.get("email", "")
            try:
                password_validation.validate_password(password1, User(username=email, email=email))
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class LoginForm(SingleLineFormMixin, auth_forms.AuthenticationForm):
    """Log in with the e-mail address; an unverified account is told so (with the right password only)."""

    username = forms.CharField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Mot de passe"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "unverified": _(
            "Confirmez d'abord votre adresse e-mail : ouvrez le lien que nous vous avons envoyé à l'inscription."
        ),
    }

    unverified = False

    def clean_username(self):
        return normalize_email(self.cleaned_data["username"])

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                if self._is_unverified(username, password):
                    self.unverified = True
                    raise ValidationError(self.error_messages["unverified"], code="unverified")
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def _is_unverified(self, username, password) -> bool:
        """True for an account waiting for its address to be confirmed, given the right password.

        Never while django-axes locks the client out: the password must not be checked then.
        """
        if self.request is None or getattr(self.request, "axes_locked_out", False):
            return False
        user = User._default_manager.filter(username=username, is_active=False).select_related("compte").first()
        compte = getattr(user, "compte", None)
        if compte is None or compte.is_verified:
            User().set_password(password)  # hash as often as for a pending account: timing tells nothing
            return False
        return user.check_password(password)


class ResendVerificationForm(SingleLineFormMixin, forms.Form):
    email = email_field()

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])


class PasswordResetForm(SingleLineFormMixin, auth_forms.PasswordResetForm):
    """Only public accounts (with a Compte) reset their password here, verified or still waiting to be.

    Clerks' passwords are managed in the admin. Resetting proves that the owner reads the mailbox, so it
    also confirms an address not yet confirmed (see views.PasswordResetConfirmView).
    """

    email = email_field()

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        """Through the worker, like the accounts' other e-mails (Django's form sends in the request).

        The link is on PORTAL_URL, not on the request's host (`domain`): a forged Host header must not
        send a reset token to another site (see ocp_portal.links)."""
        path = reverse("comptes:password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        context = {**context, "reset_url": absolute_url(path)}
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        enqueue(tasks.send_message, subject, render_to_string(email_template_name, context), to_email)

    def get_users(self, email):
        users = (
            User._default_manager.filter(username__iexact=email.strip(), compte__isnull=False)
            .select_related("compte")
            .filter(Q(is_active=True) | Q(compte__verified_at__isnull=True))
        )
        return (user for user in users if user.has_usable_password())
