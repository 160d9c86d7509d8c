import io
import re
from datetime import timedelta
from decimal import Decimal as D
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from stdnum import luhn

from ocp_portal.dates import today
from paiements import tasks
from paiements.constants import PaymentState
from paiements.gateways.sandbox import SIGNATURE_HEADER, notification_body, sign
from paiements.links import checkout_path
from paiements.models import GatewayEvent, Incident, Payment, PaymentEvent, SandboxSession
from poursuites import services as register
from poursuites.balance import poursuite_balance
from poursuites.constants import EventType
from poursuites.models import PaymentLine
from tests.paiements.conftest import as_payer, open_payment_for

pytestmark = pytest.mark.django_db
VISA_DEBIT, MC_DEBIT = "4000 0566 5566 5556", "5200 8282 8282 8210"
VISA_CREDIT, MC_CREDIT = "4242 4242 4242 4242", "5555 5555 5555 4444"
DECLINED, PROCESSING_ERROR = "4000 0000 0000 0002", "4000 0000 0000 0119"


def pay(client, payment, number, **overrides):
    card = {"number": number, "expiry": "12/30", "security_code": "123", "holder": "Jean Dupont", **overrides}
    return client.post(reverse("sandbox_psp:checkout", args=[payment.gateway_session_id]), card)


def due(poursuite):
    return poursuite_balance(poursuite, today()).total


def notify(client, session, event_id=None):
    body = notification_body(session)
    if event_id:
        body = re.sub(rb'"id": "[^"]+"', f'"id": "{event_id}"'.encode(), body, count=1)
    return client.post(
        reverse("paiements:webhook", args=["sandbox"]),
        body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: sign(body)},
    )


@pytest.mark.parametrize("card", [VISA_DEBIT, MC_DEBIT])
def test_debit_card_is_captured_and_the_balance_drops_by_exactly_the_amount(
    client, poursuite, open_payment, card, django_capture_on_commit_callbacks
):
    before = due(poursuite)
    with django_capture_on_commit_callbacks(execute=True):
        response = pay(client, open_payment, card)
    assert response.status_code == 302 and response["Location"] == "http://testserver/retour"
    open_payment.refresh_from_db()
    assert open_payment.state == PaymentState.CAPTURED
    assert (open_payment.card_funding, open_payment.card_last4) == ("debit", card[-4:])
    assert due(poursuite) == before - D("100.00") == open_payment.balance_after
    line = PaymentLine.objects.get()
    assert (line.amount, line.source, line.external_reference) == (
        D("100.00"),
        "carte_en_ligne",
        str(open_payment.public_id),
    )
    assert [m.subject for m in mail.outbox] == [f"Quittance de paiement — {open_payment.label}"]
    assert mail.outbox[0].attachments[0][2] == "application/pdf"


@pytest.mark.parametrize(
    "card, state, reason",
    [
        (VISA_CREDIT, PaymentState.CANCELLED, "card_not_accepted"),
        (MC_CREDIT, PaymentState.CANCELLED, "card_not_accepted"),
        (DECLINED, PaymentState.REFUSED, "declined"),
        (PROCESSING_ERROR, PaymentState.FAILED, "processing_error"),
    ],
)
def test_credit_declined_and_error_cards_leave_the_balance_unchanged(
    client, poursuite, open_payment, card, state, reason
):
    before = due(poursuite)
    pay(client, open_payment, card)
    open_payment.refresh_from_db()
    assert (open_payment.state, open_payment.failure_reason) == (state, reason)
    assert due(poursuite) == before and not PaymentLine.objects.exists() and not mail.outbox
    if reason == "card_not_accepted":  # the hold is released at the PSP
        assert SandboxSession.objects.get().status == PaymentState.CANCELLED


@pytest.mark.parametrize(
    "card, message",
    [
        (VISA_DEBIT, "Paiement accepté"),
        (VISA_CREDIT, "cartes de crédit et les cartes prépayées ne sont pas acceptées"),
        (DECLINED, "Le paiement a été refusé"),
        (PROCESSING_ERROR, "La démarche n&#x27;a pas abouti"),
    ],
)
def test_return_page_tells_the_payer_the_outcome(client, open_payment, card, message):
    pay(client, open_payment, card)
    html = client.get(reverse("paiements:return", args=[open_payment.public_id])).content.decode()
    assert message.replace("&#x27;", "'") in html.replace("&#x27;", "'")


def test_abandon_closes_the_checkout_and_says_the_step_did_not_complete(client, poursuite, open_payment):
    before = due(poursuite)
    as_payer(client, open_payment)
    url = reverse("paiements:abandon", args=[open_payment.public_id])
    html = unescape(client.get(url).content.decode())  # the PSP's cancel link: a GET changes nothing
    open_payment.refresh_from_db()
    assert open_payment.state == PaymentState.OPEN and "Paiement interrompu" in html
    assert f'<form method="post" action="{url}"' in html
    html = unescape(client.post(url).content.decode())
    open_payment.refresh_from_db()
    assert open_payment.state == PaymentState.CANCELLED and "pas abouti" in html
    assert pay(client, open_payment, VISA_DEBIT).status_code == 200  # the PSP page is closed
    assert due(poursuite) == before


def test_only_the_browser_that_started_the_payment_may_abandon_it(client, open_payment):
    url = reverse("paiements:abandon", args=[open_payment.public_id])
    html = unescape(client.get(url).content.decode())
    assert "Paiement interrompu" in html and "Abandonner ce paiement" not in html
    assert client.post(url).status_code == 403
    open_payment.refresh_from_db()
    assert open_payment.state == PaymentState.OPEN


def test_the_outcome_shows_who_paid_what_only_to_the_payers_browser(client, open_payment):
    pay(client, open_payment, VISA_DEBIT)
    open_payment.refresh_from_db()
    url = reverse("paiements:return", args=[open_payment.public_id])
    private = ["debiteur@example.ch", open_payment.label, "5556", "Nouveau solde"]
    html = unescape(client.get(url).content.decode())
    assert "Paiement accepté" in html and not [value for value in private if value in html]
    as_payer(client, open_payment)
    html = unescape(client.get(url).content.decode())
    assert all(value in html for value in private)


def test_the_same_notification_ten_times_credits_once(client, poursuite, open_payment):
    pay(client, open_payment, VISA_DEBIT)
    session = SandboxSession.objects.get()
    for _ in range(10):
        assert notify(client, session, event_id="sbevt_replayed").status_code == 200
    for index in range(5):  # new event ids for the same capture
        assert notify(client, session, event_id=f"sbevt_other_{index}").status_code == 200
    assert PaymentLine.objects.count() == 1
    assert PaymentEvent.objects.filter(payment=open_payment, to_state=PaymentState.CAPTURED).count() == 1
    assert GatewayEvent.objects.filter(event_id="sbevt_replayed").count() == 1


def test_bad_signature_is_400_changes_nothing_and_is_an_incident(client, open_payment):
    session = SandboxSession.objects.get()
    session.status, session.card_brand, session.card_funding = PaymentState.AUTHORIZED, "visa", "debit"
    session.save()
    body = notification_body(session)
    url = reverse("paiements:webhook", args=["sandbox"])
    for headers in ({SIGNATURE_HEADER: sign(body + b" ")}, {SIGNATURE_HEADER: "t=1,v1=00"}, {}):
        assert client.post(url, body, content_type="application/json", headers=headers).status_code == 400
    open_payment.refresh_from_db()
    assert open_payment.state == PaymentState.OPEN and not PaymentLine.objects.exists()
    assert Incident.objects.filter(kind="bad_signature").count() == 1  # one open incident, each one logged


def test_unknown_session_is_acknowledged_and_recorded(client, open_payment):
    session = SandboxSession.objects.get()
    session.session_id = "sbcs_unknown"
    assert notify(client, session).status_code == 200
    assert Incident.objects.filter(kind="unknown_payment").exists()


def test_more_than_due_at_capture_is_recorded_and_flagged_never_negative(client, poursuite, open_payment):
    register.record_payment(target=poursuite, on=today(), amount=due(poursuite) - D("40.00"))
    pay(client, open_payment, VISA_DEBIT)
    open_payment.refresh_from_db()
    assert open_payment.state == PaymentState.CAPTURED
    assert (open_payment.applied_amount, open_payment.surplus) == (D("40.00"), D("60.00"))
    balance = poursuite_balance(poursuite, today())
    assert balance.total == 0 and balance.surplus == D("60.00")
    assert Incident.objects.filter(kind="overpayment", payment=open_payment).exists()


def test_capture_for_a_withdrawn_poursuite_is_kept_and_flagged(client, poursuite, open_payment):
    register.record_event(poursuite=poursuite, type=EventType.CONTRORDRE, on=today())
    pay(client, open_payment, VISA_DEBIT)
    open_payment.refresh_from_db()
    assert open_payment.state == PaymentState.CAPTURED and open_payment.surplus == D("100.00")
    assert not PaymentLine.objects.exists()
    assert Incident.objects.filter(kind="not_payable", payment=open_payment).exists()


def test_receipt_is_sent_once(client, open_payment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pay(client, open_payment, VISA_DEBIT)
    assert tasks.send_receipt(open_payment.pk) is False
    assert len(mail.outbox) == 1


def test_sweep_sends_a_receipt_the_broker_or_smtp_lost(client, open_payment, monkeypatch):
    from django.core.mail.message import EmailMessage

    def smtp_down(self, fail_silently=False):
        raise OSError("SMTP injoignable")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMessage, "send", smtp_down)
        with pytest.raises(OSError):
            from paiements import receipts

            pay(client, open_payment, VISA_DEBIT)
            receipts.send_receipt(open_payment.pk)
    open_payment.refresh_from_db()
    assert open_payment.state == PaymentState.CAPTURED and open_payment.receipt_sent_at is None
    Payment.objects.filter(pk=open_payment.pk).update(captured_at=timezone.now() - timedelta(minutes=10))
    assert tasks.sweep_receipts() == 1
    open_payment.refresh_from_db()
    assert open_payment.receipt_sent_at is not None and len(mail.outbox) == 1
    assert tasks.sweep_receipts() == 0


def _age(payment, minutes=60):
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))


def test_reconciliation_expires_an_abandoned_checkout(open_payment):
    SandboxSession.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    _age(open_payment)
    assert tasks.reconcile_payments() == 1
    open_payment.refresh_from_db()
    assert open_payment.state == PaymentState.EXPIRED


def test_reconciliation_captures_a_payment_whose_notification_was_lost(poursuite, open_payment):
    before = due(poursuite)
    SandboxSession.objects.update(
        status=PaymentState.AUTHORIZED, card_brand="visa", card_funding="debit", card_last4="5556"
    )
    _age(open_payment)
    tasks.reconcile_payments()
    open_payment.refresh_from_db()
    assert open_payment.state == PaymentState.CAPTURED and due(poursuite) == before - D("100.00")
    assert tasks.reconcile_payments() == 0  # nothing left to do


def test_recent_open_payments_are_left_alone_by_reconciliation(open_payment):
    assert tasks.reconcile_payments() == 0


def test_no_stored_field_or_log_line_holds_a_card_number(client, open_payment, caplog):
    caplog.set_level("DEBUG")
    pay(client, open_payment, VISA_DEBIT)
    stored = []
    for model in (Payment, PaymentEvent, Incident, GatewayEvent, SandboxSession, PaymentLine):
        for row in model.objects.values():
            stored.extend(str(value) for value in row.values())
    haystack = " ".join(stored) + caplog.text
    card_like = [m for m in re.findall(r"(?<!\d)\d{13,19}(?!\d)", haystack.replace(" ", "")) if luhn.is_valid(m)]
    assert card_like == []
    assert "4000056655665556" not in haystack.replace(" ", "") and "12/30" not in haystack


# --- The payer's form -----------------------------------------------------------------------


@pytest.fixture
def start_url(poursuite):
    return checkout_path("poursuite", poursuite.reference)


def test_payment_page_shows_the_conditions_their_version_and_a_phone_qr_code(client, start_url):
    html = client.get(start_url).content.decode()
    assert "Les cartes de crédit ne sont pas acceptées" in html
    assert re.search(r"Version CG-[0-9a-f]{12}", html)
    assert 'src="data:image/svg+xml;base64,' in html


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"choice": "acompte", "instalment": "9.99"}, "instalment", "Un acompte est compris entre"),
        ({"choice": "acompte", "instalment": "999999"}, "instalment", "Un acompte est compris entre"),
        ({"choice": "acompte", "instalment": ""}, "instalment", "Indiquez le montant"),
        ({"accept": ""}, "accept", "accepter les conditions"),
        ({"email": "pas-une-adresse"}, "email", "adresse e-mail valide"),
    ],
)
def test_bad_payment_form_input_gets_a_french_message_and_creates_nothing(client, start_url, data, field, message):
    form = {"choice": "solde", "email": "debiteur@example.ch", "accept": "on", **data}
    response = client.post(start_url, form)
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Payment.objects.exists()


def test_paying_the_balance_records_the_accepted_conditions_version(client, start_url, poursuite):
    response = client.post(start_url, {"choice": "solde", "email": "debiteur@example.ch", "accept": "on"})
    payment = Payment.objects.get()
    assert response.status_code == 302 and response["Location"].startswith("/psp-test/checkout/")
    assert payment.amount == due(poursuite) and not payment.is_instalment
    assert payment.conditions_version.startswith("CG-") and payment.state == PaymentState.OPEN


def test_forged_or_expired_payment_links_are_404(client, start_url):
    assert client.get(start_url[:-3] + "xx/").status_code == 404


def test_sandbox_refuses_to_run_when_not_enabled(client, settings, open_payment, start_url):
    settings.SANDBOX_PSP_ENABLED = False
    assert client.get(reverse("sandbox_psp:checkout", args=[open_payment.gateway_session_id])).status_code == 404
    response = client.post(start_url, {"choice": "solde", "email": "debiteur@example.ch", "accept": "on"})
    assert response.status_code == 503 and "pas abouti" in response.content.decode()
    assert Incident.objects.filter(kind="gateway_error").exists()


def test_paying_the_balance_ignores_what_is_left_in_the_instalment_box(client, start_url):
    form = {"choice": "solde", "instalment": "abc", "email": "debiteur@example.ch", "accept": "on"}
    assert client.post(start_url, form).status_code == 302
    assert not Payment.objects.get().is_instalment


def test_a_label_with_a_line_break_still_gets_its_receipt_with_a_one_line_subject(
    client, open_payment, django_capture_on_commit_callbacks
):
    """A name typed before single-line fields were checked must not block the receipt forever."""
    Payment.objects.filter(pk=open_payment.pk).update(label="Extrait — Dupont\nBcc: x@example.ch")
    with django_capture_on_commit_callbacks(execute=True):
        pay(client, open_payment, VISA_DEBIT)
    open_payment.refresh_from_db()
    assert open_payment.receipt_sent_at is not None
    assert [m.subject for m in mail.outbox] == ["Quittance de paiement — Extrait — Dupont Bcc: x@example.ch"]


def test_an_address_the_mail_server_refuses_is_an_incident_and_the_sweep_leaves_it(
    client, open_payment, monkeypatch, django_capture_on_commit_callbacks
):
    from smtplib import SMTPRecipientsRefused

    from django.core.mail.message import EmailMessage

    def refused(self, fail_silently=False):
        raise SMTPRecipientsRefused({"debiteur@example.ch": (550, b"No such user")})

    with monkeypatch.context() as patch:
        patch.setattr(EmailMessage, "send", refused)
        with django_capture_on_commit_callbacks(execute=True):
            pay(client, open_payment, VISA_DEBIT)
        Payment.objects.filter(pk=open_payment.pk).update(captured_at=timezone.now() - timedelta(minutes=10))
        assert tasks.sweep_receipts() == 0  # no loop: the clerks have it
    incident = Incident.objects.get(payment=open_payment)
    assert incident.kind == "receipt_undeliverable" and "debiteur@example.ch" in incident.detail
    Incident.objects.filter(pk=incident.pk).update(closed_at=timezone.now())  # a clerk corrected the address
    assert tasks.sweep_receipts() == 1
    open_payment.refresh_from_db()
    assert open_payment.receipt_sent_at is not None and len(mail.outbox) == 1


@pytest.mark.parametrize(
    "instalment, paid_for, five_years",
    [
        (D("100"), "Acompte sur : Poursuite n°", False),  # an instalment: the poursuite is not paid
        (None, "Solde de : Poursuite n°", True),  # paid in full: it stays on the register, marked paid
    ],
)
def test_each_receipt_states_what_was_really_paid(
    client, poursuite, instalment, paid_for, five_years, django_capture_on_commit_callbacks
):
    payment = open_payment_for(poursuite, instalment)
    with django_capture_on_commit_callbacks(execute=True):
        pay(client, payment, VISA_DEBIT)
    (receipt,) = mail.outbox
    text = " ".join(PdfReader(io.BytesIO(receipt.attachments[0][1])).pages[0].extract_text().split())
    for document in (" ".join(receipt.body.split()), text):
        assert paid_for in document
        assert ("continuera d'être communiquée pendant 5 ans" in document) is five_years


def test_fees_and_adb_receipts_say_what_was_paid_without_the_poursuite_sentence():
    from paiements.purposes import registry

    fee = Payment(label="Extrait du registre des poursuites", is_instalment=False)
    assert registry["extrait"].paid_for(fee) == "Émolument : Extrait du registre des poursuites"
    assert registry["non_divulgation"].paid_for(fee).startswith("Émolument : ")
    settled_adb = Payment(label="Acte de défaut de biens n° 20000001 T", is_instalment=False, balance_after=D("0"))
    assert registry["adb"].paid_for(settled_adb) == "Solde de : Acte de défaut de biens n° 20000001 T"
    assert registry["adb"].receipt_notes(settled_adb) == ()
    assert registry["ordonnance_penale"].receipt_notes(settled_adb) == ()
