"""From the order to the issued extract: payment, matching, clerk's queue, re-issue, sweep."""

import hashlib
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from extraits import services, tasks
from extraits.constants import MatchOutcome, RequestState
from extraits.models import DemandeExtrait, Extrait
from paiements.constants import PaymentState
from paiements.models import Incident, Payment
from tests.factories import PersonFactory, make_poursuite

from .conftest import IDENTITY, order

pytestmark = pytest.mark.django_db
VISA_DEBIT = "4000 0566 5566 5556"
FORM = {
    **{key: value for key, value in IDENTITY.items() if key != "kind"},
    "birth_date": "17.05.1980",
    "purpose": "Dossier de location d'un appartement",
    "acknowledge": "on",
}


def pdf_text(document) -> str:
    with document.pdf.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(handle).pages)


def order_and_pay(client, capture):
    """The account's whole path: order form, payment page, sandbox card page, back to the portal."""
    response = client.post(reverse("extraits:order", args=["personne"]), FORM)
    assert response.status_code == 302, response.content.decode()
    response = client.post(response["Location"], {"choice": "solde", "accept": "on", "email": "titulaire@exemple.ch"})
    assert response["Location"].startswith("/psp-test/checkout/")
    card = {"number": VISA_DEBIT, "expiry": "12/30", "security_code": "123", "holder": "Jeanne Dupont"}
    with capture(execute=True):
        response = client.post(response["Location"], card)
    return client.get(response["Location"])


def test_order_pay_and_the_extract_is_ready_at_once(client, account, jeanne, django_capture_on_commit_callbacks):
    poursuite = make_poursuite(debtor=jeanne, claim=D("4321.00"), notified_on=timezone.localdate() - timedelta(days=40))
    client.force_login(account)
    outcome = order_and_pay(client, django_capture_on_commit_callbacks)
    assert "Paiement accepté" in outcome.content.decode()
    assert reverse("extraits:requests") in outcome.content.decode()  # the way on to the account's requests

    extract_request = DemandeExtrait.objects.get()
    payment = Payment.objects.get()
    assert (payment.amount, payment.state, payment.is_instalment) == (D("17.00"), PaymentState.CAPTURED, False)
    assert payment.balance_after is None and "Nouveau solde" not in outcome.content.decode()  # a fee, no balance
    assert extract_request.state == RequestState.DISPONIBLE
    assert extract_request.payment_reference == str(payment.public_id)
    document = extract_request.current_document
    with document.pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == document.sha256
    text = pdf_text(document)
    for expected in (document.reference, "Dupont", "17.05.1980", poursuite.reference, "4'321.00", "Page 1 / 1"):
        assert expected in text
    subjects = sorted(message.subject for message in mail.outbox)
    assert len(subjects) == 3  # the receipt, the payment confirmation, the extract ready
    ready = next(message for message in mail.outbox if "disponible" in message.subject)
    assert document.reference in ready.body and not ready.attachments
    assert ready.to == ["titulaire@exemple.ch"]


def test_the_access_key_printed_on_the_pdf_opens_it_and_is_stored_only_as_a_keyed_hash(client, paid_request):
    document = paid_request.current_document
    text = pdf_text(document)
    key = text.split("Clé d'accès")[1].split()[0]
    assert len(key) == 15
    assert key not in str(Extrait.objects.filter(pk=document.pk).values().get())
    assert document.access_key_hash != hashlib.sha256(key.encode()).hexdigest()  # keyed, not a bare hash
    assert services.verify(reference=document.reference, access_key=key, client="")
    assert all(key not in message.body for message in mail.outbox)


def test_an_ambiguous_subject_goes_to_the_clerks_queue_then_a_clerk_picks_the_party(
    client, clerk, account, django_capture_on_commit_callbacks
):
    near = PersonFactory(name="Dupond", first_name="Jeanne", birth_date=IDENTITY["birth_date"])
    poursuite = make_poursuite(debtor=near)
    waiting = order(account)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.mark_paid(waiting, payment_reference="p1")
    newer = order(account, name="Autre")
    waiting.refresh_from_db()
    assert waiting.state == RequestState.EN_VERIFICATION and waiting.current_document is None

    client.force_login(clerk)
    listing = client.get(reverse("admin:extraits_demandeextrait_changelist"))
    assert list(listing.context["cl"].result_list) == [waiting, newer]  # the queue first, then the newest
    page = client.get(reverse("admin:extraits_demandeextrait_change", args=[waiting.pk])).content.decode()
    assert "Vérifier l&#x27;identité au registre" in page and "Émettre à nouveau" not in page  # by its state
    url = reverse("admin:extraits_demandeextrait_action", args=[waiting.pk, "decider"])
    assert "même date de naissance, nom proche" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "parties", "parties": [near.pk]})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.state, waiting.match, waiting.decided_by) == (RequestState.DISPONIBLE, MatchOutcome.GUICHET, clerk)
    assert waiting.current_document.content["poursuites"][0]["number"] == poursuite.reference


def test_a_clerk_may_answer_no_entry(clerk, account, django_capture_on_commit_callbacks):
    PersonFactory(name="Dupond", first_name="Jeanne", birth_date=IDENTITY["birth_date"])
    extract_request = order(account)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.mark_paid(extract_request, payment_reference="p1")
    document = services.decide(extract_request, parties=[], actor=clerk)
    assert document.content["registered"] is False and document.content["has_entry"] is False
    assert "aucune inscription" in pdf_text(document)


def test_the_clerks_decision_form_refuses_a_contradiction(client, clerk, account, django_capture_on_commit_callbacks):
    near = PersonFactory(name="Dupond", first_name="Jeanne", birth_date=IDENTITY["birth_date"])
    poursuite = make_poursuite(debtor=near)
    extract_request = order(account)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.mark_paid(extract_request, payment_reference="p1")
    client.force_login(clerk)
    url = reverse("admin:extraits_demandeextrait_action", args=[extract_request.pk, "decider"])
    response = client.post(url, {"decision": "aucune", "parties": [near.pk]})
    assert "ne va pas avec des parties cochées" in response.content.decode()
    response = client.post(url, {"decision": "parties", "numbers": "99999999"})
    assert "Poursuite introuvable" in response.content.decode()
    wrong_letter = "A" if poursuite.key_letter != "A" else "B"
    response = client.post(url, {"decision": "parties", "numbers": f"{poursuite.number} {wrong_letter}"})
    assert "Poursuite introuvable" in response.content.decode()
    extract_request.refresh_from_db()
    assert extract_request.state == RequestState.EN_VERIFICATION and not extract_request.documents.exists()


def test_reissue_makes_a_new_document_and_marks_the_old_one_superseded_untouched(
    client, clerk, paid_request, jeanne, django_capture_on_commit_callbacks
):
    old = paid_request.current_document
    with old.pdf.open("rb") as handle:
        old_bytes = handle.read()
    make_poursuite(debtor=jeanne)
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:extraits_demandeextrait_action", args=[paid_request.pk, "reemettre"]))
    old.refresh_from_db()
    new = paid_request.current_document
    assert new != old and old.superseded_by == new and old.superseded_at
    assert len(new.content["poursuites"]) == 1 and old.content["poursuites"] == []
    with old.pdf.open("rb") as handle:
        assert handle.read() == old_bytes and hashlib.sha256(old_bytes).hexdigest() == old.sha256


def test_processing_twice_issues_one_document(paid_request):
    assert services.process_request(paid_request.pk) == RequestState.DISPONIBLE
    assert tasks.process_request(paid_request.pk) == RequestState.DISPONIBLE
    assert paid_request.documents.count() == 1


def test_the_sweep_issues_a_paid_request_whose_message_was_lost(account, django_capture_on_commit_callbacks):
    extract_request = order(account)
    DemandeExtrait.objects.filter(pk=extract_request.pk).update(
        state=RequestState.PAYEE, paid_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_requests() == 2  # the extract and the confirmation e-mail
    extract_request.refresh_from_db()
    assert extract_request.state == RequestState.DISPONIBLE and extract_request.confirmation_sent_at
    assert len(mail.outbox) == 2
    assert tasks.sweep_requests() == 0


def test_a_second_payment_for_the_same_request_is_kept_and_flagged_never_applied_twice(
    client, account, django_capture_on_commit_callbacks
):
    from paiements import services as payments
    from paiements.conditions import current

    extract_request = order(account)
    first, second = (
        payments.create_payment(
            purpose_code="extrait",
            reference=str(extract_request.public_id),
            instalment=None,
            email="titulaire@exemple.ch",
            conditions_version=current()[0],
        )
        for _ in range(2)
    )
    for payment in (first, second):
        payments.open_checkout(payment, return_url="http://testserver/r", cancel_url="http://testserver/a")
        payment.refresh_from_db()
        card = {"number": VISA_DEBIT, "expiry": "12/30", "security_code": "123", "holder": "J D"}
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("sandbox_psp:checkout", args=[payment.gateway_session_id]), card)
    extract_request.refresh_from_db()
    assert extract_request.payment_reference == str(first.public_id) and extract_request.documents.count() == 1
    assert Incident.objects.filter(payment=second).exists()


def test_the_sweep_resends_a_ready_notice_the_broker_lost(paid_request):
    document = paid_request.current_document
    Extrait.objects.filter(pk=document.pk).update(
        ready_notice_sent_at=None, issued_at=timezone.now() - timedelta(hours=1)
    )
    mail.outbox.clear()
    assert tasks.sweep_requests() == 1
    assert [message.subject for message in mail.outbox] == [
        f"Votre extrait du registre des poursuites est disponible ({document.reference})"
    ]
    assert tasks.sweep_requests() == 0


def test_a_request_the_workers_never_issue_goes_to_the_clerks_once(account, settings):
    extract_request = order(account)
    DemandeExtrait.objects.filter(pk=extract_request.pk).update(
        state=RequestState.EN_TRAITEMENT, paid_at=timezone.now() - timedelta(seconds=settings.EXTRACT_STUCK_AFTER + 60)
    )
    assert tasks.sweep_requests() == 2  # handed to the clerks, and its lost confirmation e-mail
    extract_request.refresh_from_db()
    assert extract_request.state == RequestState.EN_VERIFICATION and not extract_request.documents.exists()
    assert tasks.sweep_requests() == 0


def test_an_unpaid_request_is_not_processed(account):
    extract_request = order(account)
    assert services.process_request(extract_request.pk) == RequestState.A_PAYER
    assert not Extrait.objects.exists()


def test_the_clerks_list_reads_each_requests_document_without_a_query_per_row(client, clerk, account, paid_request):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(clerk)
    url = reverse("admin:extraits_demandeextrait_changelist")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for name in ("Martin", "Favre", "Rossi"):
        order(account, name=name)
    reference = paid_request.current_document.reference
    with CaptureQueriesContext(connection) as four:
        assert reference in client.get(url).content.decode()
    assert len(four.captured_queries) == len(one.captured_queries)
