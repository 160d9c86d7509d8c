"""Non-divulgation of a poursuite (art. 8a al. 3 let. d LP): admissibility, the creditor's
deadline, the daily job, rejection, re-disclosure and the extract's inclusion rule."""

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from extraits import services as extracts
from extraits.constants import RequestState, Subject
from extraits.models import DemandeExtrait
from ocp_portal.accounts.models import AccountKind, Compte
from ocp_portal.dates import today
from paiements import services as payments
from paiements.conditions import current
from poursuites import services, tasks
from poursuites.balance import poursuite_balance
from poursuites.constants import EtatNonDivulgation, EventType, PartyKind, PoursuiteStatus, PreuveCreancier
from poursuites.models import DemandeNonDivulgation, HistoryEntry, Poursuite
from poursuites.non_divulgation import services as nd
from poursuites.non_divulgation.admissibility import Identity, add_months, check
from poursuites.procedure import ProcedureError
from tests.factories import CompanyFactory, PersonFactory, make_poursuite

BIRTH_DATE = date(1985, 5, 17)
DECIDED = (EtatNonDivulgation.ACCORDEE, EtatNonDivulgation.REJETEE, EtatNonDivulgation.REDIVULGUEE)
EMAIL = "lea.rochat@example.ch"
VISA_DEBIT = "4000 0566 5566 5556"


def make_account(django_user_model, email=EMAIL, *, verified=True):
    user = django_user_model.objects.create_user(username=email, email=email, password="motdepasse-ocp-2026")
    Compte.objects.create(user=user, kind=AccountKind.PARTICULIER, verified_at=timezone.now() if verified else None)
    return user


def make_debtor(**overrides):
    return PersonFactory(**{"name": "Rochat", "first_name": "Léa", "birth_date": BIRTH_DATE, **overrides})


def opposed_poursuite(*, debtor=None, notified_on=None, creditor_email="contentieux@creanciere.example"):
    """A poursuite under total opposition, notified 130 days ago unless told otherwise."""
    notified_on = notified_on or today() - timedelta(days=130)
    poursuite = make_poursuite(notified_on=notified_on, debtor=debtor or make_debtor())
    services.record_event(poursuite=poursuite, type=EventType.OPPOSITION_TOTALE, on=notified_on + timedelta(days=3))
    if creditor_email:
        poursuite.creditor.email = creditor_email
        poursuite.creditor.save()
    poursuite.refresh_from_db()
    return poursuite


def identity(**overrides) -> Identity:
    return Identity(
        **{"kind": PartyKind.PHYSIQUE, "name": "Rochat", "first_name": "Léa", "birth_date": BIRTH_DATE, **overrides}
    )


def demande_in(poursuite, user, state, **fields) -> DemandeNonDivulgation:
    """A request put straight in `state` (for the tests of later steps)."""
    return DemandeNonDivulgation.objects.create(
        poursuite=poursuite,
        user=user,
        email=user.email,
        requester_kind=PartyKind.PHYSIQUE,
        requester_name="Rochat",
        requester_first_name="Léa",
        requester_birth_date=BIRTH_DATE,
        declared_at=timezone.now(),
        state=state,
        paid_at=None if state == EtatNonDivulgation.ATTENTE_PAIEMENT else timezone.now(),
        decided_at=timezone.now() if state in DECIDED else None,
        **fields,
    )


def open_fee_payment(demande, email=EMAIL):
    payment = payments.create_payment(
        purpose_code="non_divulgation",
        reference=demande.reference,
        instalment=None,
        email=email,
        conditions_version=current()[0],
    )
    payments.open_checkout(payment, return_url="http://testserver/retour", cancel_url="http://testserver/abandon")
    payment.refresh_from_db()
    return payment


def pay_on_sandbox(client, payment, number=VISA_DEBIT):
    card = {"number": number, "expiry": "12/30", "security_code": "123", "holder": "Léa Rochat"}
    return client.post(reverse("sandbox_psp:checkout", args=[payment.gateway_session_id]), card)


pytestmark = pytest.mark.django_db
E = EtatNonDivulgation
NOT_DEBTOR = "ne correspondent pas au débiteur"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def requester(django_user_model):
    return make_account(django_user_model)


@pytest.fixture
def poursuite(db):
    return opposed_poursuite()


def reasons(poursuite, requester, *, on=None, **identity_overrides):
    poursuite = Poursuite.objects.select_related("debtor").get(pk=poursuite.pk)
    return check(poursuite, on=on or today(), identity=identity(**identity_overrides), user=requester).reasons


# --- Admissibility ----------------------------------------------------------------------------


def test_debtor_may_ask_for_a_poursuite_under_total_opposition_notified_3_months_ago(poursuite, requester):
    assert reasons(poursuite, requester) == []


@pytest.mark.parametrize(
    "spelling", [{"name": "ROCHAT", "first_name": "lea"}, {"name": " rochat ", "first_name": "Léa"}]
)
def test_identity_is_compared_without_case_accents_or_spaces(poursuite, requester, spelling):
    assert reasons(poursuite, requester, **spelling) == []


def test_no_total_opposition_is_refused_with_the_current_stage(requester):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=130), debtor=make_debtor())
    [reason] = reasons(poursuite, requester)
    assert "Aucune opposition totale n'est enregistrée" in reason and "Commandement de payer notifié" in reason


def test_partial_opposition_is_refused(requester):
    notified = today() - timedelta(days=130)
    poursuite = make_poursuite(notified_on=notified, debtor=make_debtor())
    services.record_event(
        poursuite=poursuite, type=EventType.OPPOSITION_PARTIELLE, on=notified + timedelta(days=2), amount=D("100")
    )
    assert "Aucune opposition totale" in reasons(poursuite, requester)[0]


def test_less_than_3_months_after_notification_gives_the_first_possible_date(requester):
    notified = date(2026, 8, 31)
    poursuite = opposed_poursuite(notified_on=notified)
    poursuite = Poursuite.objects.select_related("debtor").get(pk=poursuite.pk)
    result = check(poursuite, on=date(2026, 11, 29), identity=identity(), user=requester)
    assert result.earliest == date(2026, 11, 30)  # 3 months after 31 August: 30 November
    [reason] = result.reasons
    assert "au plus tôt trois mois" in reason and "31.08.2026" in reason and "dès le 30.11.2026" in reason
    assert check(poursuite, on=date(2026, 11, 30), identity=identity(), user=requester).ok


@pytest.mark.parametrize(
    "event, expected",
    [
        (EventType.CONTRORDRE, "retirée par le créancier"),
        (EventType.ANNULATION, "a été annulée"),
    ],
)
def test_withdrawn_or_annulled_poursuite_is_refused(poursuite, requester, event, expected):
    services.record_event(poursuite=poursuite, type=event, on=today(), note="Jugement")
    assert [expected in reason for reason in reasons(poursuite, requester)] == [True]


def test_poursuite_paid_without_opposition_is_refused(requester):
    poursuite = make_poursuite(notified_on=today() - timedelta(days=130), debtor=make_debtor())
    services.record_payment(target=poursuite, on=today(), amount=poursuite_balance(poursuite, today()).total)
    assert ["payée" in reason for reason in reasons(poursuite, requester)] == [True]


def test_poursuite_no_longer_shown_to_third_parties_is_refused(poursuite, requester):
    Poursuite.objects.filter(pk=poursuite.pk).update(non_disclosure_since=timezone.now())
    assert "n'est plus portée à la connaissance de tiers" in reasons(poursuite, requester)[0]


@pytest.mark.parametrize(
    "state, expected",
    [
        (E.INTERPELLATION_A_NOTIFIER, "déjà en cours"),
        (E.DELAI_EN_COURS, "déjà en cours"),
        (E.A_EXAMINER, "déjà en cours"),
        (E.ACCORDEE, "déjà été accordée"),
        (E.REDIVULGUEE, "accordée puis levée"),
    ],
)
def test_a_request_pending_or_granted_blocks_another(poursuite, requester, state, expected):
    demande_in(poursuite, requester, state)
    [reason] = reasons(poursuite, requester)
    assert expected in reason


def test_unpaid_or_rejected_requests_do_not_block_a_new_one(poursuite, requester):
    demande_in(poursuite, requester, E.ATTENTE_PAIEMENT)
    demande_in(poursuite, requester, E.REJETEE)
    assert reasons(poursuite, requester) == []


@pytest.mark.parametrize(
    "wrong",
    [
        {"first_name": "Marie"},
        {"name": "Favre"},
        {"birth_date": date(1985, 5, 18)},
        {"kind": PartyKind.MORALE, "first_name": "", "birth_date": None, "uid": "CHE-116.281.710"},
    ],
)
def test_requester_who_is_not_the_debtor_gets_one_neutral_reason(requester, wrong):
    # A poursuite with no opposition, notified last week: nothing about it may leak.
    poursuite = make_poursuite(notified_on=today() - timedelta(days=7), debtor=make_debtor())
    [reason] = reasons(poursuite, requester, **wrong)
    assert NOT_DEBTOR in reason
    assert "Rochat" not in reason and "Léa" not in reason and "17.05.1985" not in reason


def test_company_debtor_is_matched_by_name_and_uid(requester):
    company = CompanyFactory(name="Rochat Conseils Sàrl", uid="CHE-116.281.710")
    poursuite = opposed_poursuite(debtor=company)
    as_company = {"kind": PartyKind.MORALE, "name": "rochat conseils sarl", "first_name": "", "birth_date": None}
    assert reasons(poursuite, requester, **as_company, uid="CHE116281710") == []
    assert NOT_DEBTOR in reasons(poursuite, requester, **as_company, uid="CHE-105.936.547")[0]


def test_unverified_account_may_not_ask(poursuite, django_user_model):
    unverified = make_account(django_user_model, "pas.confirme@example.ch", verified=False)
    assert reasons(poursuite, unverified) == [
        "Votre compte doit être vérifié pour demander la non-divulgation d'une poursuite."
    ]


@pytest.mark.parametrize(
    "notified, first_day",
    [
        pytest.param(date(2026, 1, 15), date(2026, 4, 15), id="same-day-number"),
        pytest.param(date(2025, 10, 31), date(2026, 1, 31), id="over-the-new-year"),
        pytest.param(date(2025, 12, 31), date(2026, 3, 31), id="31-to-31"),
        pytest.param(date(2026, 8, 31), date(2026, 11, 30), id="31-august-to-30-november"),
        pytest.param(date(2025, 11, 29), date(2026, 2, 28), id="to-the-end-of-february"),
        pytest.param(date(2023, 11, 30), date(2024, 2, 29), id="to-the-29th-in-a-leap-year"),
    ],
)
def test_3_months_end_on_the_same_day_number_or_the_last_day_of_a_shorter_month(requester, notified, first_day):
    assert add_months(notified, 3) == first_day
    poursuite = Poursuite.objects.select_related("debtor").get(pk=opposed_poursuite(notified_on=notified).pk)
    day_before = check(poursuite, on=first_day - timedelta(days=1), identity=identity(), user=requester)
    assert day_before.earliest == first_day and not day_before.ok
    assert check(poursuite, on=first_day, identity=identity(), user=requester).ok


# --- The creditor's deadline -------------------------------------------------------------------


def notified_request(poursuite, requester, on: date) -> DemandeNonDivulgation:
    demande = demande_in(poursuite, requester, E.INTERPELLATION_A_NOTIFIER, letter="non_divulgation/x.pdf")
    # The letter went out before every notification date of the table below.
    letter_rendered_at = datetime(2025, 1, 6, 9, 0, tzinfo=ZoneInfo("Europe/Zurich"))
    DemandeNonDivulgation.objects.filter(pk=demande.pk).update(letter_rendered_at=letter_rendered_at)
    return nd.record_interpellation_notified(demande=demande, on=on, actor=None)


@pytest.mark.parametrize(
    "notified, last_day",
    [
        pytest.param(date(2026, 2, 2), date(2026, 2, 23), id="ordinary-monday"),
        pytest.param(date(2026, 3, 2), date(2026, 3, 23), id="ends-on-sunday-moves-to-monday"),
        pytest.param(date(2026, 8, 21), date(2026, 9, 11), id="ends-on-jeune-genevois-moves-to-friday"),
        # 31.12.2025 falls in the féries of Christmas (18.12–01.01): the third working day after them.
        pytest.param(date(2025, 12, 11), date(2026, 1, 6), id="ends-in-the-christmas-feries"),
        pytest.param(date(2026, 5, 3), date(2026, 5, 26), id="ends-on-saturday-then-whit-monday"),
        # Good Friday 03.04.2026 falls in the féries of Easter (29.03–12.04): the third working day after.
        pytest.param(date(2026, 3, 14), date(2026, 4, 15), id="ends-in-the-easter-feries"),
        pytest.param(date(2026, 6, 25), date(2026, 8, 5), id="ends-in-the-july-feries"),
    ],
)
def test_creditor_has_20_days_from_notification_moved_past_weekends_holidays_and_feries(
    poursuite, requester, notified, last_day
):
    demande = notified_request(poursuite, requester, notified)
    assert (demande.state, demande.notified_on, demande.deadline_on) == (E.DELAI_EN_COURS, notified, last_day)


def test_notification_cannot_be_in_the_future_or_before_the_letter(poursuite, requester):
    demande = demande_in(poursuite, requester, E.INTERPELLATION_A_NOTIFIER)
    with pytest.raises(ProcedureError, match="pas encore établie"):
        nd.record_interpellation_notified(demande=demande, on=today(), actor=None)
    DemandeNonDivulgation.objects.filter(pk=demande.pk).update(
        letter="non_divulgation/x.pdf", letter_rendered_at=timezone.now()
    )
    with pytest.raises(ProcedureError, match="futur"):
        nd.record_interpellation_notified(demande=demande, on=today() + timedelta(days=1), actor=None)
    with pytest.raises(ProcedureError, match="précède"):
        nd.record_interpellation_notified(demande=demande, on=today() - timedelta(days=1), actor=None)


# --- The daily job ------------------------------------------------------------------------------


def in_deadline(requester, deadline_on: date) -> DemandeNonDivulgation:
    poursuite = opposed_poursuite(debtor=make_debtor())
    return demande_in(
        poursuite, requester, E.DELAI_EN_COURS, notified_on=deadline_on - timedelta(days=20), deadline_on=deadline_on
    )


def test_daily_job_grants_exactly_the_requests_whose_deadline_is_past_and_is_idempotent(
    requester, django_capture_on_commit_callbacks
):
    expired = in_deadline(requester, today() - timedelta(days=1))
    last_day_today = in_deadline(requester, today())
    running = in_deadline(requester, today() + timedelta(days=5))
    waiting = demande_in(opposed_poursuite(debtor=make_debtor()), requester, E.INTERPELLATION_A_NOTIFIER)
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.non_disclosure_daily.delay().get()
    assert result["granted"] == 1
    states = dict(DemandeNonDivulgation.objects.values_list("pk", "state"))
    assert states == {
        expired.pk: E.ACCORDEE,
        last_day_today.pk: E.DELAI_EN_COURS,
        running.pk: E.DELAI_EN_COURS,
        waiting.pk: E.INTERPELLATION_A_NOTIFIER,
    }
    hidden = Poursuite.objects.filter(non_disclosure_since__isnull=False)
    assert list(hidden.values_list("pk", flat=True)) == [expired.poursuite_id]
    assert hidden.get().non_disclosure_since >= before
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert (
        "accordée" in mail.outbox[0].subject and "n'est plus portée à la connaissance de tiers" in mail.outbox[0].body
    )
    since = hidden.get().non_disclosure_since

    with django_capture_on_commit_callbacks(execute=True):
        again = tasks.non_disclosure_daily.delay().get()
    assert again["granted"] == 0
    assert DemandeNonDivulgation.objects.get(pk=expired.pk).state == E.ACCORDEE
    assert Poursuite.objects.get(pk=expired.poursuite_id).non_disclosure_since == since
    assert len(mail.outbox) == 1
    assert (
        HistoryEntry.objects.filter(poursuite=expired.poursuite, action__startswith="Non-divulgation accordée").count()
        == 1
    )


def test_granting_twice_grants_once_and_never_on_the_last_day(requester):
    demande = in_deadline(requester, today() - timedelta(days=1))
    assert nd.grant_if_expired(demande.pk, on=today()) is True
    assert nd.grant_if_expired(demande.pk, on=today()) is False
    # The last day of the deadline still belongs to the creditor, even asked directly.
    last_day = in_deadline(requester, today())
    assert nd.grant_if_expired(last_day.pk, on=today()) is False
    assert DemandeNonDivulgation.objects.get(pk=last_day.pk).state == E.DELAI_EN_COURS


def test_poursuite_paid_during_the_deadline_is_rejected_not_granted(requester, django_capture_on_commit_callbacks):
    demande = in_deadline(requester, today() - timedelta(days=1))
    poursuite = demande.poursuite
    services.record_payment(target=poursuite, on=today(), amount=poursuite_balance(poursuite, today()).total)
    with django_capture_on_commit_callbacks(execute=True):
        assert nd.grant_expired(on=today()) == 0
    demande.refresh_from_db()
    assert demande.state == E.REJETEE and "payée" in demande.reason
    assert Poursuite.objects.get(pk=poursuite.pk).non_disclosure_since is None
    assert "rejetée" in mail.outbox[0].subject


# --- Rejection, re-disclosure and the extract -----------------------------------------------------


def visible(poursuite) -> bool:
    return Poursuite.objects.visible_to_third_parties(today()).filter(pk=poursuite.pk).exists()


EXTRACT_IDENTITY = (
    "kind",
    "name",
    "first_name",
    "birth_date",
    "street",
    "house_number",
    "postal_code",
    "town",
    "country",
)


def extract_numbers(poursuite) -> list[str]:
    """The poursuites listed on the debtor's own extract, issued now through extraits (the
    snapshot stored with the document)."""
    debtor = poursuite.debtor
    request = DemandeExtrait.objects.create(
        account=make_account(get_user_model(), f"extrait-{uuid.uuid4().hex[:8]}@example.ch"),
        subject=Subject.HOLDER,
        purpose="Dossier de location",
        **{field: getattr(debtor, field) for field in EXTRACT_IDENTITY},
    )
    extracts.mark_paid(request, payment_reference="test")
    assert extracts.process_request(request.pk) == RequestState.DISPONIBLE
    return [row["number"] for row in request.current_document.content["poursuites"]]


@pytest.mark.parametrize("proof", list(PreuveCreancier))
def test_creditor_proof_within_the_deadline_rejects_the_request(
    requester, clerk, proof, django_capture_on_commit_callbacks
):
    demande = in_deadline(requester, today() + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        nd.record_creditor_proof(demande=demande, proof=proof, on=today(), actor=clerk, note="Pièce reçue")
    demande.refresh_from_db()
    assert (demande.state, demande.proof, demande.proof_on) == (E.REJETEE, proof, today())
    assert visible(demande.poursuite)
    [message] = mail.outbox
    assert message.to == [EMAIL] and "rejetée" in message.body and str(PreuveCreancier(proof).label) in message.body
    assert "dû indépendamment de l'issue" in message.body
    assert nd.grant_expired(on=today() + timedelta(days=10)) == 0


def test_creditor_proof_after_the_deadline_is_refused(requester, clerk):
    demande = in_deadline(requester, today() - timedelta(days=1))
    with pytest.raises(ProcedureError, match="a expiré"):
        nd.record_creditor_proof(demande=demande, proof=PreuveCreancier.MAINLEVEE, on=today(), actor=clerk)
    assert DemandeNonDivulgation.objects.get(pk=demande.pk).state == E.DELAI_EN_COURS


def test_extract_before_grant_after_grant_after_redisclosure_and_after_mainlevee_rejected(requester, clerk):
    demande = in_deadline(requester, today() - timedelta(days=1))
    poursuite = demande.poursuite
    assert visible(poursuite)
    assert extract_numbers(poursuite) == [poursuite.reference]

    nd.grant_expired(on=today())
    assert not visible(poursuite)
    assert extract_numbers(poursuite) == []

    nd.record_later_proof(demande=demande, proof=PreuveCreancier.MAINLEVEE, on=today(), actor=clerk)
    assert visible(poursuite)
    assert extract_numbers(poursuite) == [poursuite.reference]
    assert DemandeNonDivulgation.objects.get(pk=demande.pk).state == E.REDIVULGUEE

    nd.record_mainlevee_rejection(demande=demande, on=today(), actor=clerk, note="Arrêt de la Cour de justice")
    assert not visible(poursuite)
    assert extract_numbers(poursuite) == []
    assert DemandeNonDivulgation.objects.get(pk=demande.pk).state == E.ACCORDEE


def test_a_lawsuit_shown_later_cannot_be_undone_by_a_rejected_mainlevee(requester, clerk):
    demande = in_deadline(requester, today() - timedelta(days=1))
    nd.grant_expired(on=today())
    nd.record_later_proof(demande=demande, proof=PreuveCreancier.ACTION, on=today(), actor=clerk)
    with pytest.raises(ProcedureError, match="action en justice"):
        nd.record_mainlevee_rejection(demande=demande, on=today(), actor=clerk)
    assert visible(demande.poursuite)


def test_full_payment_is_no_later_proof(requester, clerk):
    demande = in_deadline(requester, today() - timedelta(days=1))
    nd.grant_expired(on=today())
    with pytest.raises(ProcedureError):
        nd.record_later_proof(demande=demande, proof=PreuveCreancier.PAIEMENT, on=today(), actor=clerk)


def test_every_step_is_in_the_history_and_the_procedure_status_never_moves(requester, clerk):
    demande = in_deadline(requester, today() - timedelta(days=1))
    poursuite = demande.poursuite
    events_before = list(poursuite.events.values_list("type", flat=True))
    nd.grant_expired(on=today())
    nd.record_later_proof(demande=demande, proof=PreuveCreancier.ACTION, on=today(), actor=clerk)
    poursuite.refresh_from_db()
    assert poursuite.status == PoursuiteStatus.OPPOSITION_TOTALE
    assert list(poursuite.events.values_list("type", flat=True)) == events_before
    history = list(HistoryEntry.objects.filter(poursuite=poursuite).order_by("id").values_list("changes", flat=True))
    moves = [entry["non_divulgation"] for entry in history if "non_divulgation" in entry]
    assert moves == [[E.DELAI_EN_COURS, E.ACCORDEE], [E.ACCORDEE, E.REDIVULGUEE]]


def test_a_later_proof_dated_before_the_grant_is_refused(requester, clerk):
    demande = in_deadline(requester, today() - timedelta(days=1))
    nd.grant_expired(on=today())
    with pytest.raises(ProcedureError, match="accordée le"):
        nd.record_later_proof(
            demande=demande, proof=PreuveCreancier.MAINLEVEE, on=today() - timedelta(days=1), actor=clerk
        )
    assert not visible(demande.poursuite)


def test_outcome_e_mail_is_sent_only_once_the_decision_is_committed(
    requester, clerk, django_capture_on_commit_callbacks
):
    demande = in_deadline(requester, today() + timedelta(days=3))
    with django_capture_on_commit_callbacks() as callbacks:
        nd.record_creditor_proof(demande=demande, proof=PreuveCreancier.ACTION, on=today(), actor=clerk)
    assert len(callbacks) == 1 and mail.outbox == []
    callbacks[0]()
    callbacks[0]()  # a message delivered twice sends one e-mail
    assert len(mail.outbox) == 1


# --- The fee -------------------------------------------------------------------------------------


def test_no_fee_is_taken_for_an_unpaid_request_that_is_no_longer_admissible(poursuite, requester):
    demande = demande_in(poursuite, requester, E.ATTENTE_PAIEMENT)
    assert nd.fee_due(demande, on=today()) == D("40.00")
    services.record_event(poursuite=poursuite, type=EventType.CONTRORDRE, on=today())
    demande.refresh_from_db()
    assert nd.fee_due(demande, on=today()) == 0
    with pytest.raises(ValidationError, match="rien à payer"):
        open_fee_payment(demande)


def test_a_paid_request_owes_nothing_more(poursuite, requester):
    assert nd.fee_due(demande_in(poursuite, requester, E.INTERPELLATION_A_NOTIFIER), on=today()) == 0
