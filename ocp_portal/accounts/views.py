from urllib.parse import urlencode

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from ocp_portal import ratelimit

from . import services
from .forms import LoginForm, PasswordResetForm, ResendVerificationForm, SignupForm
from .tokens import verification_token

SENT_TO = "accounts_mail_sent_to"  # session key: the address the last link went to, shown on the next page
PENDING = "accounts_pending_email"  # session key: an unverified address that tried to log in


def _mail_allowed(request) -> bool:
    """Every e-mail the public can trigger counts against one per-client limit (mail bombing)."""
    return ratelimit.hit(
        request, "accounts-mail", limit=settings.ACCOUNT_MAIL_RATE_LIMIT, window=settings.ACCOUNT_MAIL_RATE_WINDOW
    )


def _next(request) -> str:
    """The page to land on after logging in, carried from the login page through sign-up (local paths only)."""
    return services.safe_next(request.POST.get("next") or request.GET.get("next"))


def _login_url(next_url: str) -> str:
    return (
        f"{reverse('comptes:login')}?{urlencode({'next': next_url}, safe='/')}"
        if next_url
        else reverse("comptes:login")
    )


def _too_many(request, message=None):
    return render(request, "accounts/too_many.html", {"message": message}, status=429)


def _login_refused(request):
    """Axes locks a (username, address) pair; this caps one address trying many usernames, on the
    public login and the clerks' login alike (one counter per address)."""
    if ratelimit.hit(request, "login", limit=settings.LOGIN_RATE_LIMIT, window=settings.LOGIN_RATE_WINDOW):
        return None
    message = _("Trop de tentatives de connexion depuis votre connexion. Réessayez dans %(minutes)s minutes.")
    return _too_many(request, message % {"minutes": settings.LOGIN_RATE_WINDOW // 60})


@never_cache
def admin_login(request, extra_context=None):
    """The clerks' login (/guichet/login/): the admin's own, behind the per-address limit."""
    if request.method == "POST" and (refused := _login_refused(request)):
        return refused
    return admin.site.login(request, extra_context)


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    next_url = _next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "comptes:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not _mail_allowed(request):
            return _too_many(request)
        data = form.cleaned_data
        services.sign_up(
            email=data["email"],
            password=data["password1"],
            kind=data["kind"],
            company_name=data["company_name"],
            uid=data["uid"],
            next_url=next_url,
        )
        request.session[SENT_TO] = data["email"]
        return redirect("comptes:signup_done")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


@never_cache
@require_GET
def signup_done(request):
    return render(request, "accounts/mail_sent.html", {"email": request.session.get(SENT_TO), "reason": "signup"})


@never_cache
@require_GET
def verify(request, uidb64, token):
    user = services.user_from_uidb64(uidb64)
    if user is None or not hasattr(user, "compte") or not verification_token.check_token(user, token):
        return render(request, "accounts/verify_invalid.html", status=400)
    services.confirm_address(user)
    messages.success(request, _("Votre adresse e-mail est confirmée. Vous pouvez maintenant vous connecter."))
    request.session[PENDING] = user.email
    return redirect(_login_url(_next(request)))


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def resend(request):
    next_url = _next(request)
    form = ResendVerificationForm(request.POST or None, initial={"email": request.session.get(PENDING, "")})
    if request.method == "POST" and form.is_valid():
        if not _mail_allowed(request):
            return _too_many(request)
        services.resend_verification(form.cleaned_data["email"], next_url)
        request.session[SENT_TO] = form.cleaned_data["email"]
        return redirect("comptes:resend_done")
    return render(request, "accounts/resend.html", {"form": form, "next": next_url})


@never_cache
@require_GET
def resend_done(request):
    return render(request, "accounts/mail_sent.html", {"email": request.session.get(SENT_TO), "reason": "resend"})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_initial(self):
        return {"username": self.request.session.get(PENDING, "")}

    def post(self, request, *args, **kwargs):
        return _login_refused(request) or super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.unverified:
            self.request.session[PENDING] = form.cleaned_data["username"]
        return super().form_invalid(form)

    def form_valid(self, form):
        self.request.session.pop(PENDING, None)
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    """POST only (Django's own view refuses GET)."""


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset_body.txt"
    success_url = reverse_lazy("comptes:password_reset_done")

    def form_valid(self, form):
        if not _mail_allowed(self.request):
            return _too_many(self.request)
        self.request.session[SENT_TO] = form.cleaned_data["email"].strip().lower()
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/mail_sent.html"
    extra_context = {"reason": "password_reset"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(email=self.request.session.get(SENT_TO), **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("comptes:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        # The reset link went to the mailbox: it confirms an address still waiting to be,
        # and lifts a lockout of the account (the new password is not the one being guessed).
        if hasattr(user, "compte") and not user.compte.is_verified:
            services.confirm_address(user)
        axes_reset(username=user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("comptes:home")

    def form_valid(self, form):
        messages.success(self.request, _("Votre mot de passe a été changé."))
        return super().form_valid(form)


@login_required
@require_GET
def home(request):
    return render(request, "accounts/home.html", {"compte": getattr(request.user, "compte", None)})
