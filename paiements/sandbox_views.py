"""The sandbox PSP's hosted page: a stand-in for Stripe Checkout that runs on the machine.

Its card form takes Stripe's test cards; the card number, expiry and CVC are used to pick the
outcome and are never stored or logged (only brand, funding and last 4, like a real PSP).
"""

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from stdnum import luhn

from ocp_portal.money import from_centimes

from . import services
from .constants import PaymentState
from .gateways.sandbox import CARDS_BY_NUMBER, SIGNATURE_HEADER, TEST_CARDS, is_enabled, notification_body, sign
from .models import Payment, SandboxSession
from .purposes import registry


class CardForm(forms.Form):
    number = forms.CharField(
        label=_("Numéro de carte"),
        max_length=23,
        widget=forms.TextInput(attrs={"autocomplete": "cc-number", "inputmode": "numeric"}),
    )
    expiry = forms.CharField(
        label=_("Date d'expiration (MM/AA)"), max_length=5, widget=forms.TextInput(attrs={"autocomplete": "cc-exp"})
    )
    security_code = forms.CharField(
        label=_("Code de sécurité"),
        max_length=4,
        widget=forms.TextInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )
    holder = forms.CharField(
        label=_("Titulaire de la carte"), max_length=70, widget=forms.TextInput(attrs={"autocomplete": "cc-name"})
    )

    def clean_number(self):
        number = "".join(self.cleaned_data["number"].split())
        if not number.isdigit() or not 12 <= len(number) <= 19 or not luhn.is_valid(number):
            raise forms.ValidationError(_("Numéro de carte invalide."))
        return number

    def clean_expiry(self):
        value = self.cleaned_data["expiry"].replace(" ", "")
        try:
            month, year = (int(part) for part in value.split("/"))
        except ValueError:
            raise forms.ValidationError(_("Format attendu : MM/AA.")) from None
        now = timezone.localdate()
        if not 1 <= month <= 12 or (2000 + year, month) < (now.year, now.month):
            raise forms.ValidationError(_("Date d'expiration invalide ou passée."))
        return value

    def clean_security_code(self):
        code = self.cleaned_data["security_code"].strip()
        if not code.isdigit() or len(code) not in (3, 4):
            raise forms.ValidationError(_("Le code de sécurité compte 3 chiffres."))
        return code


def _outcome(number: str):
    card = CARDS_BY_NUMBER.get(number)
    if card is None:  # any other valid card: the sandbox's bank declines it
        return {"status": PaymentState.REFUSED, "brand": "", "funding": "", "failure_reason": "declined"}
    return {"status": card.outcome, "brand": card.brand, "funding": card.funding, "failure_reason": card.failure_reason}


@require_http_methods(["GET", "POST"])
def checkout(request, session_id):
    if not is_enabled():
        raise Http404
    session = get_object_or_404(SandboxSession, session_id=session_id)
    if session.status != PaymentState.OPEN or session.expires_at < timezone.now():
        return render(request, "paiements/sandbox/closed.html", {"session": session})
    form = CardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"]
        outcome = _outcome(number)
        session.status = outcome["status"]
        session.card_brand, session.card_funding = outcome["brand"], outcome["funding"]
        session.card_last4, session.failure_reason = number[-4:], outcome["failure_reason"]
        session.save()
        body = notification_body(session)
        services.handle_notification("sandbox", body, {SIGNATURE_HEADER: sign(body)})
        return redirect(session.return_url)
    payment = Payment.objects.filter(public_id=session.payment_public_id).only("purpose").first()
    purpose = registry.get(payment.purpose) if payment else None
    context = {
        "session": session,
        "form": form,
        "test_cards": TEST_CARDS,
        "amount": from_centimes(session.amount_centimes),
        "issuer": purpose.issuer if purpose else None,  # the page speaks for the service being paid
    }
    return render(request, "paiements/sandbox/checkout.html", context)
