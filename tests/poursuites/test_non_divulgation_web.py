"""The non-divulgation request on the portal (form, fee through the sandbox PSP, account
pages) and the clerks' queue in the admin."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from ocp_portal.dates import today
from paiements.constants import IncidentKind, PaymentState
from paiements.models import Incident, Payment
from poursuites import services
from poursuites.constants import EtatNonDivulgation, EventType, PreuveCreancier
from poursuites.deadlines import lp_deadline
from poursuites.models import DemandeNonDivulgation, HistoryEntry, Poursuite
from tests.paiements.conftest import as_payer
from tests.poursuites.test_non_divulgation import (
    BIRTH_DATE,
    EMAIL,
    demande_in,
    make_account,
    make_debtor,
    open_fee_payment,
    opposed_poursuite,
    pay_on_sandbox,
)

pytestmark = pytest.mark.django_db
E = EtatNonDivulgation
URL = "/poursuites/non-divulgation/"


@pytest.fixture
def requester(django_user_model):
    return make_account(django_user_model)


@pytest.fixture
def poursuite(db):
    return opposed_poursuite()


def form_data(poursuite, **overrides):
    return {
        "number": f"{poursuite.number:08d}",
        "key_letter": poursuite.key_letter.lower(),
        "kind": "physique",
        "name": "Rochat",
        "first_name": "Léa",
        "birth_date": BIRTH_DATE.strftime("%d.%m.%Y"),
        "uid": "",
        "unjustified": "on",
        "opposed": "on",
        "no_proceedings": "on",
        "fee_owed": "on",
        **overrides,
    }


# --- The request form ------------------------------------------------------------------------


def test_request_needs_a_logged_in_account(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("comptes:login"))


def test_form_shows_the_fee_owed_whatever_the_outcome(client, requester):
    client.force_login(requester)
    page = client.get(URL).content.decode()
    assert "CHF 40.00" in page and "dû indépendamment de l&#x27;issue de la procédure" in page


def test_admissible_request_goes_to_the_payment_of_the_fee(client, requester, poursuite):
    client.force_login(requester)
    response = client.post(URL, form_data(poursuite))
    assert response.status_code == 302 and "/paiements/payer/" in response["Location"]
    demande = DemandeNonDivulgation.objects.get()
    assert (demande.state, demande.user, demande.email, demande.poursuite) == (
        E.ATTENTE_PAIEMENT,
        requester,
        EMAIL,
        poursuite,
    )
    page = client.get(response["Location"]).content.decode()
    assert "CHF 40.00" in page and "Payer un acompte" not in page and EMAIL in page


def test_inadmissible_request_says_why_and_takes_no_money(client, requester):
    poursuite = opposed_poursuite(notified_on=today() - timedelta(days=40))
    client.force_login(requester)
    response = client.post(URL, form_data(poursuite))
    page = response.content.decode()
    assert response.status_code == 200
    assert "La demande ne peut pas être déposée" in page and "au plus tôt trois mois" in page
    assert not DemandeNonDivulgation.objects.exists() and not Payment.objects.exists()


def test_not_the_debtor_gets_the_neutral_message(client, requester, poursuite):
    client.force_login(requester)
    page = client.post(URL, form_data(poursuite, first_name="Marie")).content.decode()
    assert "ne correspondent pas au débiteur" in page and "Léa" not in page.split("<form")[0]
    assert not DemandeNonDivulgation.objects.exists()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"unjustified": ""}, "unjustified", "Cette déclaration est nécessaire"),
        ({"opposed": ""}, "opposed", "Cette déclaration est nécessaire"),
        ({"no_proceedings": ""}, "no_proceedings", "Cette déclaration est nécessaire"),
        ({"fee_owed": ""}, "fee_owed", "émolument est dû quelle que soit l'issue"),
        ({"birth_date": ""}, "birth_date", "Indiquez la date de naissance"),
        ({"birth_date": "31.02.1985"}, "birth_date", "Saisissez une date valide"),
        ({"kind": "morale", "uid": ""}, "uid", "Indiquez le numéro IDE"),
        ({"kind": "morale", "uid": "CHE-116.281.711"}, "uid", "Numéro IDE invalide"),
        ({"number": "1234"}, "number", "Le numéro compte 8 chiffres"),
        ({"key_letter": "7"}, "key_letter", "La lettre clé est une lettre"),
    ],
)
def test_bad_input_gets_a_french_message_on_its_field(client, requester, poursuite, overrides, field, message):
    client.force_login(requester)
    response = client.post(URL, form_data(poursuite, **overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not DemandeNonDivulgation.objects.exists()


def test_wrong_key_letter_is_not_found(client, requester, poursuite):
    client.force_login(requester)
    wrong = "A" if poursuite.key_letter != "A" else "B"
    response = client.post(URL, form_data(poursuite, key_letter=wrong))
    assert "Aucune poursuite ne correspond" in response.content.decode()


def test_account_pages_show_only_ones_own_requests(client, requester, poursuite, django_user_model):
    demande = demande_in(poursuite, requester, E.DELAI_EN_COURS, deadline_on=today() + timedelta(days=9))
    client.force_login(requester)
    listing = client.get(reverse("poursuites:non_divulgation_list")).content.decode()
    deadline_on = (today() + timedelta(days=9)).strftime("%d.%m.%Y")
    assert poursuite.reference in listing and f"Délai du créancier jusqu&#x27;au {deadline_on}" in listing
    detail = client.get(reverse("poursuites:non_divulgation_detail", args=[demande.public_id])).content.decode()
    assert (today() + timedelta(days=9)).strftime("%d.%m.%Y") in detail
    other = make_account(django_user_model, "autre@example.ch")
    client.force_login(other)
    assert client.get(reverse("poursuites:non_divulgation_detail", args=[demande.public_id])).status_code == 404
    assert poursuite.reference not in client.get(reverse("poursuites:non_divulgation_list")).content.decode()


# --- The fee, paid in the sandbox ------------------------------------------------------------


def test_paid_fee_sends_the_interpellation_to_the_creditor(
    client, requester, poursuite, django_capture_on_commit_callbacks
):
    demande = demande_in(poursuite, requester, E.ATTENTE_PAIEMENT)
    payment = open_fee_payment(demande)
    with django_capture_on_commit_callbacks(execute=True):
        pay_on_sandbox(client, payment)
    payment.refresh_from_db()
    demande.refresh_from_db()
    assert payment.state == PaymentState.CAPTURED and payment.applied_amount == 40 and not payment.surplus
    assert (demande.state, demande.payment) == (E.INTERPELLATION_A_NOTIFIER, payment)
    assert demande.letter and demande.letter.read().startswith(b"%PDF")
    assert demande.letter_emailed_at is not None
    to = {tuple(m.to): m for m in mail.outbox}
    assert set(to) == {(EMAIL,), ("contentieux@creanciere.example",)}  # the receipt and the letter
    letter_mail = to[("contentieux@creanciere.example",)]
    assert letter_mail.attachments[0][2] == "application/pdf" and poursuite.reference in letter_mail.subject
    actions = list(HistoryEntry.objects.filter(poursuite=poursuite).values_list("action", flat=True))
    assert any("émolument de CHF 40 payé" in action for action in actions)
    assert any("Interpellation du créancier établie" in action for action in actions)
    # The outcome page leads the payer to the request on the account.
    as_payer(client, payment)
    outcome = client.get(reverse("paiements:return", args=[payment.public_id])).content.decode()
    assert reverse("poursuites:non_divulgation_detail", args=[demande.public_id]) in outcome


def test_creditor_without_e_mail_gets_the_letter_by_post_only(client, requester, django_capture_on_commit_callbacks):
    poursuite = opposed_poursuite(creditor_email="")
    demande = demande_in(poursuite, requester, E.ATTENTE_PAIEMENT)
    with django_capture_on_commit_callbacks(execute=True):
        pay_on_sandbox(client, open_fee_payment(demande))
    demande.refresh_from_db()
    assert demande.letter and demande.letter_emailed_at is None
    assert [m.to for m in mail.outbox] == [[EMAIL]]  # the receipt only


def test_a_second_payment_of_the_same_fee_is_not_applied(client, requester, poursuite):
    demande = demande_in(poursuite, requester, E.ATTENTE_PAIEMENT)
    first, second = open_fee_payment(demande), open_fee_payment(demande)
    pay_on_sandbox(client, first)
    pay_on_sandbox(client, second)
    second.refresh_from_db()
    assert second.state == PaymentState.CAPTURED and second.applied_amount == 0 and second.surplus == 40
    assert Incident.objects.filter(payment=second, kind=IncidentKind.NOT_PAYABLE).exists()
    assert DemandeNonDivulgation.objects.get().payment_id == Payment.objects.get(pk=first.pk).pk


def test_request_no_longer_admissible_at_payment_keeps_the_fee_and_waits_for_a_clerk(client, requester, poursuite):
    demande = demande_in(poursuite, requester, E.ATTENTE_PAIEMENT)
    payment = open_fee_payment(demande)
    services.record_event(poursuite=poursuite, type=EventType.MAINLEVEE, on=today())
    pay_on_sandbox(client, payment)
    payment.refresh_from_db()
    demande.refresh_from_db()
    assert payment.applied_amount == 40 and not payment.surplus  # owed whatever the outcome
    assert demande.state == E.A_EXAMINER and "Aucune opposition totale" in demande.reason
    incident = Incident.objects.get(payment=payment)
    assert "pas de remboursement" in incident.detail
    assert not demande.letter


def test_a_debtor_the_register_knows_without_birth_date_waits_for_a_clerk_to_check_the_identity(
    client, requester, django_capture_on_commit_callbacks
):
    poursuite = opposed_poursuite(debtor=make_debtor(birth_date=None))
    demande = demande_in(poursuite, requester, E.ATTENTE_PAIEMENT)
    with django_capture_on_commit_callbacks(execute=True):
        pay_on_sandbox(client, open_fee_payment(demande))
    demande.refresh_from_db()
    assert demande.state == E.A_EXAMINER and "date de naissance" in demande.reason
    assert not demande.letter  # nothing goes to the creditor before a clerk has checked


def test_sweep_renders_a_letter_a_lost_message_left_undone(requester, poursuite):
    from poursuites import tasks

    demande = demande_in(poursuite, requester, E.INTERPELLATION_A_NOTIFIER)
    DemandeNonDivulgation.objects.filter(pk=demande.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    result = tasks.non_disclosure_daily.delay().get()
    demande.refresh_from_db()
    assert result["letters"] == 1 and demande.letter and demande.letter_emailed_at
    assert tasks.non_disclosure_daily.delay().get()["letters"] == 0


# --- The clerks' queue -------------------------------------------------------------------------


def action_url(demande, action):
    return reverse("admin:poursuites_demandenondivulgation_action", args=[demande.pk, action])


def test_queue_lists_requests_by_state_with_their_deadlines(client, clerk, requester, poursuite):
    waiting = demande_in(poursuite, requester, E.DELAI_EN_COURS, deadline_on=today() + timedelta(days=4))
    other = opposed_poursuite()
    demande_in(other, requester, E.INTERPELLATION_A_NOTIFIER)
    client.force_login(clerk)
    changelist = reverse("admin:poursuites_demandenondivulgation_changelist")
    page = client.get(changelist, {"etat": E.DELAI_EN_COURS}).content.decode()
    assert poursuite.reference in page and other.reference not in page
    assert "Débiteur au registre" in page and str(poursuite.debtor) in page  # beside the requester as typed
    assert date_format(today() + timedelta(days=4)) in page
    for state in ("À examiner", "Interpellation à notifier", "Délai en cours", "Accordée", "Rejetée"):
        assert state in page
    change = client.get(reverse("admin:poursuites_demandenondivulgation_change", args=[waiting.pk])).content.decode()
    assert action_url(waiting, "preuve") in change and action_url(waiting, "notification") not in change


def test_clerk_records_the_notification_and_the_deadline_follows(client, clerk, requester, poursuite):
    demande = demande_in(poursuite, requester, E.INTERPELLATION_A_NOTIFIER, letter="non_divulgation/x.pdf")
    DemandeNonDivulgation.objects.filter(pk=demande.pk).update(letter_rendered_at=timezone.now() - timedelta(days=5))
    client.force_login(clerk)
    notified = today() - timedelta(days=2)
    response = client.post(action_url(demande, "notification"), {"on": notified.isoformat()})
    assert response.status_code == 302
    demande.refresh_from_db()
    assert (demande.state, demande.deadline_on) == (E.DELAI_EN_COURS, lp_deadline(notified, 20))
    entry = HistoryEntry.objects.filter(poursuite=poursuite).first()
    assert entry.actor == clerk and "délai de 20 jours" in entry.action


def test_clerk_records_the_creditors_proof_and_the_request_is_rejected(
    client, clerk, requester, poursuite, django_capture_on_commit_callbacks
):
    demande = demande_in(poursuite, requester, E.DELAI_EN_COURS, deadline_on=today() + timedelta(days=4))
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action_url(demande, "preuve"), {"on": today().isoformat(), "proof": PreuveCreancier.ACTION, "note": ""}
        )
    assert response.status_code == 302
    assert DemandeNonDivulgation.objects.get().state == E.REJETEE
    assert [m.to for m in mail.outbox] == [[EMAIL]]


def test_action_refused_by_the_service_shows_its_message_and_changes_nothing(client, clerk, requester, poursuite):
    demande = demande_in(poursuite, requester, E.DELAI_EN_COURS, deadline_on=today() - timedelta(days=1))
    client.force_login(clerk)
    response = client.post(
        action_url(demande, "preuve"), {"on": today().isoformat(), "proof": PreuveCreancier.MAINLEVEE}
    )
    assert response.status_code == 200 and "a expiré" in response.content.decode()
    assert DemandeNonDivulgation.objects.get().state == E.DELAI_EN_COURS


def test_clerk_admits_or_rejects_a_request_put_aside_at_payment(
    client, clerk, requester, poursuite, django_capture_on_commit_callbacks
):
    admitted = demande_in(poursuite, requester, E.A_EXAMINER, reason="Irrecevable au paiement : …")
    client.force_login(clerk)
    # (a browser always posts the CSRF token: the form is bound even with no field)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(action_url(admitted, "recevable"), {"go": "1"}).status_code == 302
    admitted.refresh_from_db()
    assert admitted.state == E.INTERPELLATION_A_NOTIFIER and admitted.letter  # rendered by the eager task

    rejected = demande_in(opposed_poursuite(), requester, E.A_EXAMINER)
    response = client.post(action_url(rejected, "irrecevable"), {"reason": "Poursuite retirée entre-temps."})
    assert response.status_code == 302
    rejected.refresh_from_db()
    assert (rejected.state, rejected.reason) == (E.REJETEE, "Poursuite retirée entre-temps.")


def test_clerk_downloads_the_letter(client, clerk, requester, poursuite):
    from poursuites.non_divulgation.letters import render_letter

    demande = demande_in(poursuite, requester, E.INTERPELLATION_A_NOTIFIER)
    render_letter(demande.pk)
    client.force_login(clerk)
    response = client.get(reverse("admin:poursuites_demandenondivulgation_pdf", args=[demande.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_clerk_redisclosure_through_the_admin_shows_the_poursuite_again(client, clerk, requester, poursuite):
    Poursuite.objects.filter(pk=poursuite.pk).update(non_disclosure_since=timezone.now())
    demande = demande_in(poursuite, requester, E.ACCORDEE)
    client.force_login(clerk)
    response = client.post(
        action_url(demande, "preuve-ulterieure"),
        {"on": today().isoformat(), "proof": PreuveCreancier.MAINLEVEE, "note": "Requête du 3 mars"},
    )
    assert response.status_code == 302
    assert Poursuite.objects.visible_to_third_parties(today()).filter(pk=poursuite.pk).exists()


# --- Bad input never gives a 500 ---------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        {"kind": "autre"},
        {"number": "abc", "key_letter": "??"},
        {"number": "9" * 40},
        {"birth_date": "17.05.3000"},
        {"birth_date": "0000-00-00"},
        {"name": "x" * 500},
        {"kind": "morale", "uid": "CHE-" + "9" * 30},
    ],
)
def test_malformed_request_gets_a_form_error_and_creates_nothing(client, requester, poursuite, overrides):
    client.force_login(requester)
    response = client.post(URL, form_data(poursuite, **overrides))
    assert response.status_code == 200 and response.context["form"].errors
    assert not DemandeNonDivulgation.objects.exists()


def test_unverified_account_is_told_to_verify_it_and_pays_nothing(client, poursuite, django_user_model):
    client.force_login(make_account(django_user_model, "pas.confirme@example.ch", verified=False))
    page = client.post(URL, form_data(poursuite)).content.decode()
    assert "Votre compte doit être vérifié" in page
    assert not DemandeNonDivulgation.objects.exists() and not Payment.objects.exists()


def test_a_user_without_public_account_is_refused(client, clerk):
    client.force_login(clerk)
    assert client.get(URL).status_code == 403


def test_request_pages_answer_bad_ids_and_methods_with_4xx(client, requester, poursuite):
    demande = demande_in(poursuite, requester, E.DELAI_EN_COURS, deadline_on=today() + timedelta(days=9))
    client.force_login(requester)
    detail = reverse("poursuites:non_divulgation_detail", args=[demande.public_id])
    assert client.get(f"{URL}mes-demandes/pas-un-uuid/").status_code == 404
    assert client.get(f"{URL}mes-demandes/{demande.pk}/").status_code == 404
    assert client.post(detail).status_code == 405
    assert client.post(reverse("poursuites:non_divulgation_list")).status_code == 405
    assert client.put(URL).status_code == 405


def test_unpaid_request_no_longer_admissible_says_why_and_offers_no_payment(client, requester, poursuite):
    demande = demande_in(poursuite, requester, E.ATTENTE_PAIEMENT)
    client.force_login(requester)
    detail = reverse("poursuites:non_divulgation_detail", args=[demande.public_id])
    assert "Payer l'émolument" in client.get(detail).content.decode()
    services.record_event(poursuite=poursuite, type=EventType.CONTRORDRE, on=today())
    page = client.get(detail).content.decode()
    assert "retirée par le créancier" in page and "Payer l'émolument" not in page


def test_admin_answers_bad_ids_unknown_actions_and_bad_dates_without_change(client, clerk, requester, poursuite):
    demande = demande_in(poursuite, requester, E.ACCORDEE)
    client.force_login(clerk)
    base = "/admin/poursuites/demandenondivulgation"
    assert client.get(f"{base}/999999/action/preuve/").status_code == 404
    assert client.get(f"{base}/abc/action/preuve/").status_code == 404
    assert client.get(action_url(demande, "inconnue")).status_code == 404
    assert client.get(f"{base}/abc/pdf/").status_code == 404
    assert client.get(reverse("admin:poursuites_demandenondivulgation_pdf", args=[demande.pk])).status_code == 404
    bad_date = client.post(action_url(demande, "preuve-ulterieure"), {"on": "31.02.2026", "proof": "mainlevee"})
    assert bad_date.status_code == 200 and bad_date.context["form"].errors["on"]
    bad_proof = client.post(action_url(demande, "preuve-ulterieure"), {"on": today().isoformat(), "proof": "paiement"})
    assert bad_proof.status_code == 200 and bad_proof.context["form"].errors["proof"]
    wrong_state = client.post(action_url(demande, "notification"), {"on": today().isoformat()})
    assert wrong_state.status_code == 200 and "Impossible : la demande est au stade « Accordée »" in (
        wrong_state.content.decode()
    )
    assert DemandeNonDivulgation.objects.get().state == E.ACCORDEE
    assert Poursuite.objects.visible_to_third_parties(today()).filter(pk=poursuite.pk).exists()


def test_queue_leaves_out_unpaid_requests_unless_asked(client, clerk, requester, poursuite):
    demande_in(poursuite, requester, E.ATTENTE_PAIEMENT)
    paid = opposed_poursuite()
    demande_in(paid, requester, E.A_EXAMINER)
    client.force_login(clerk)
    changelist = reverse("admin:poursuites_demandenondivulgation_changelist")
    page = client.get(changelist).content.decode()
    assert paid.reference in page and poursuite.reference not in page
    assert poursuite.reference in client.get(changelist, {"etat": E.ATTENTE_PAIEMENT}).content.decode()
