from datetime import date

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import feedback, public_services, ratelimit

# The day the accessibility statement was last reviewed (eCH-0059): update it with the statement.
ACCESSIBILITY_REVIEWED_ON = date(2026, 11, 30)


@require_GET
def home(request):
    return render(request, "home.html")


@require_GET
def healthz(request):
    """Liveness probe for the load balancer and docker-compose; also the benchmark's ceiling."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on their own, whatever the page links."""
    return redirect(static("img/favicon.ico"), permanent=True)


@require_GET
def contact(request):
    context = {"services": (public_services.office(), public_services.contraventions())}
    return render(request, "pages/contact.html", context)


@require_http_methods(["GET", "POST"])
def accessibility(request):
    """The accessibility statement and its feedback form (reports e-mailed to the office)."""
    status = 200
    if request.method == "POST":
        form = feedback.FeedbackForm(request.POST)
        if form.is_valid():
            window = settings.FEEDBACK_RATE_WINDOW
            if not ratelimit.hit(request, "feedback", limit=settings.FEEDBACK_RATE_LIMIT, window=window):
                message = _("Trop de messages envoyés depuis votre connexion. Réessayez dans %(minutes)s minutes.")
                form.add_error(None, message % {"minutes": window // 60})
                status = 429
            elif feedback.send(form.cleaned_data):
                return redirect("accessibility_sent")
            else:
                form.add_error(None, _("Votre message n'a pas pu être transmis pour le moment. Réessayez plus tard."))
                status = 503
    else:
        form = feedback.FeedbackForm(initial={"page": request.GET.get("page", "")[:300]})
    context = {"form": form, "reviewed_on": ACCESSIBILITY_REVIEWED_ON, "office_service": public_services.office()}
    return render(request, "pages/accessibility.html", context, status=status)


@require_GET
def accessibility_sent(request):
    return render(request, "pages/accessibility_sent.html", {"back": reverse("accessibility")})


@require_GET
def data_protection(request):
    context = {
        "lookup_minutes": settings.LOOKUP_RATE_WINDOW // 60,
        "verify_minutes": settings.VERIFY_RATE_WINDOW // 60,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "session_days": settings.SESSION_COOKIE_AGE // 86400,
        "services": (public_services.office(), public_services.contraventions()),
    }
    return render(request, "pages/data_protection.html", context)


@require_GET
def legal_notice(request):
    context = {"services": (public_services.office(), public_services.contraventions())}
    return render(request, "pages/legal_notice.html", context)
