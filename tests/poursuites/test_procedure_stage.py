"""Where a poursuite stands in the procedure (poursuites.procedure_stage), for the diagram on the
lookup's result: the step « vous êtes ici », the steps passed or skipped, the dates and deadlines;
the deadlines moved past weekends and holidays (art. 31 LP); and the diagram itself, generic or
marked, with its text equivalent."""

import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from ocp_portal.dates import is_working_day, today
from ocp_portal.formats import format_date
from poursuites import services
from poursuites.constants import EventType, PoursuiteKind
from poursuites.lookup import find_dossier
from poursuites.procedure import (
    adb_prescribes_on,
    continuation_from,
    continuation_lapses_on,
    opposition_deadline,
    payment_deadline,
)
from poursuites.procedure_stage import DONE, HERE, SKIPPED, TODO, adb_stage, poursuite_stage, stage_of
from tests.factories import make_poursuite

pytestmark = pytest.mark.django_db
E = EventType


def stage(poursuite, on=None):
    """The stage as the public lookup reads it: the dossier from its one query."""
    return stage_of(find_dossier(poursuite.number, poursuite.key_letter), on or today())


def states(found) -> dict[str, str]:
    return {step: mark.state for step, mark in found.steps.items()}


def notified(days_ago, **kwargs):
    return make_poursuite(notified_on=today() - timedelta(days=days_ago), **kwargs)


def days_ago_when(condition, at_least: int) -> int:
    """The first number of days ago, from `at_least`, whose notification date meets `condition`: the
    féries (art. 63 LP) lengthen a deadline by up to three weeks, whatever day the suite runs."""
    return next(n for n in range(at_least, at_least + 60) if condition(today() - timedelta(days=n)))


def record(poursuite, *steps):
    for type, on in steps:
        services.record_event(poursuite=poursuite, type=type, on=on)
    poursuite.refresh_from_db()
    return poursuite


def test_a_poursuite_just_registered_stands_at_the_requisition_with_nothing_running_yet():
    poursuite = make_poursuite()
    found = stage(poursuite)
    assert (found.here, found.phase) == ("requisition", "registered")
    assert states(found) == {
        "requisition": HERE,
        "commandement": TODO,
        "paiement": TODO,
        "opposition": TODO,
        "mainlevee": TODO,
        "continuation": TODO,
        "faillite": SKIPPED,  # a poursuite by voie de saisie never gets there
        "saisie": TODO,
        "realisation": TODO,
        "adb": TODO,
    }
    assert found.deadlines == []
    assert [line.label for line in found.history] == ["Réquisition enregistrée"]
    assert found.steps["requisition"].lines == (f"enregistrée le {format_date(poursuite.requisition_date)}",)
    assert "va notifier le commandement de payer" in found.summary


def test_notified_within_20_days_the_debtor_may_still_oppose_and_pay():
    poursuite = notified(5)
    day = poursuite.notification_date
    found = stage(poursuite)
    assert (found.here, found.phase) == ("commandement", "notified")
    assert states(found)["requisition"] == DONE
    assert {step: states(found)[step] for step in ("paiement", "opposition", "mainlevee", "continuation")} == {
        "paiement": TODO,
        "opposition": TODO,
        "mainlevee": TODO,
        "continuation": TODO,
    }
    assert found.steps["commandement"].lines == (f"notifié le {format_date(day)}",)
    assert found.steps["opposition"].lines == (f"jusqu'au {format_date(opposition_deadline(day))}",)
    assert found.steps["paiement"].lines == (f"jusqu'au {format_date(payment_deadline(day))}",)
    assert found.steps["continuation"].lines == (
        f"dès le {format_date(continuation_from(day))}",
        f"jusqu'au {format_date(continuation_lapses_on(day))}",
    )
    assert [(line.on, line.note) for line in found.deadlines] == [
        (opposition_deadline(day), "À venir"),
        (payment_deadline(day), "À venir"),
        (continuation_from(day), "À venir"),
        (continuation_lapses_on(day), "À venir"),
    ]


def test_once_the_10_days_are_over_without_opposition_that_way_is_closed():
    poursuite = notified(days_ago_when(lambda day: opposition_deadline(day) < today() <= payment_deadline(day), 11))
    day = poursuite.notification_date
    assert opposition_deadline(day) < today() <= payment_deadline(day)
    found = stage(poursuite)
    assert found.phase == "notified"
    assert (states(found)["opposition"], states(found)["mainlevee"], states(found)["paiement"]) == (
        SKIPPED,
        SKIPPED,
        TODO,
    )
    assert found.steps["opposition"].lines == (f"délai échu le {format_date(opposition_deadline(day))}",)
    assert found.deadlines[0].passed and found.deadlines[0].note == "Délai échu"


def test_an_opposition_suspends_the_poursuite_until_mainlevee():
    poursuite = notified(20)
    record(poursuite, (E.OPPOSITION_TOTALE, poursuite.notification_date + timedelta(days=3)))
    found = stage(poursuite)
    assert (found.here, found.phase) == ("opposition", "opposition")
    assert states(found)["commandement"] == DONE
    assert (states(found)["paiement"], states(found)["mainlevee"], states(found)["continuation"]) == (TODO, TODO, TODO)
    assert found.deadlines == []
    assert found.steps["opposition"].lines == (
        f"opposition totale le {format_date(poursuite.notification_date + timedelta(days=3))}",
    )
    assert "mainlevée" in found.summary


def test_a_partial_opposition_lets_the_creditor_go_on_for_the_rest():
    poursuite = notified(days_ago_when(lambda day: continuation_from(day) <= today(), 30))
    services.record_event(
        poursuite=poursuite,
        type=E.OPPOSITION_PARTIELLE,
        on=poursuite.notification_date + timedelta(days=2),
        amount=D("200"),
    )
    poursuite.refresh_from_db()
    found = stage(poursuite)
    assert (found.here, found.phase) == ("opposition", "opposition_partial")
    assert found.steps["continuation"].lines == (
        f"possible depuis le {format_date(continuation_from(poursuite.notification_date))}",
    )


def test_once_the_opposition_is_lifted_the_creditor_may_continue():
    poursuite = notified(60)
    record(
        poursuite,
        (E.OPPOSITION_TOTALE, poursuite.notification_date + timedelta(days=1)),
        (E.MAINLEVEE, today() - timedelta(days=2)),
    )
    found = stage(poursuite)
    assert (found.here, found.phase) == ("mainlevee", "opposition_lifted")
    assert (states(found)["opposition"], states(found)["continuation"]) == (DONE, TODO)
    assert [(line.on, line.note) for line in found.deadlines] == [
        (continuation_from(poursuite.notification_date), "Possible")
    ]
    assert "ne court pas pendant la procédure de mainlevée" in found.summary


def test_after_the_20_days_the_creditor_may_require_the_continuation_within_the_year():
    poursuite = notified(40)
    day = poursuite.notification_date
    found = stage(poursuite)
    assert (found.here, found.phase) == ("commandement", "continuation_possible")
    assert states(found)["continuation"] == TODO
    assert found.steps["continuation"].lines == (
        f"possible depuis le {format_date(continuation_from(day))}",
        f"jusqu'au {format_date(continuation_lapses_on(day))}",
    )
    assert found.steps["paiement"].lines == (f"délai échu le {format_date(payment_deadline(day))}",)
    assert states(found)["paiement"] == TODO  # paying stays possible
    assert "Un paiement complet reste possible" in found.summary


def test_a_year_on_without_continuation_the_right_has_lapsed():
    poursuite = notified(400)
    lapse = continuation_lapses_on(poursuite.notification_date)
    found = stage(poursuite)
    assert (found.here, found.phase) == ("commandement", "continuation_lapsed")
    assert {step: states(found)[step] for step in ("continuation", "saisie", "realisation", "adb", "paiement")} == {
        "continuation": SKIPPED,
        "saisie": SKIPPED,
        "realisation": SKIPPED,
        "adb": SKIPPED,
        "paiement": TODO,
    }
    # Only the lapse is left to say, as over; the debtor's 10 and 20 days are long gone.
    assert [(line.on, line.note, line.passed) for line in found.deadlines] == [(lapse, "Délai échu", True)]
    assert found.steps["continuation"].lines == (f"délai échu le {format_date(lapse)}",)
    assert "art. 88 al. 2 LP" in found.summary


def test_a_saisie_shows_its_notice_and_execution_and_the_steps_passed_by():
    poursuite = notified(90)
    start = poursuite.notification_date
    record(poursuite, (E.CONTINUATION, start + timedelta(days=30)), (E.AVIS_SAISIE, start + timedelta(days=40)))
    found = stage(poursuite)
    assert (found.here, found.phase) == ("saisie", "saisie_announced")
    assert {step: states(found)[step] for step in ("continuation", "opposition", "mainlevee", "faillite")} == {
        "continuation": DONE,
        "opposition": SKIPPED,
        "mainlevee": SKIPPED,
        "faillite": SKIPPED,
    }
    assert (states(found)["realisation"], states(found)["adb"], states(found)["paiement"]) == (TODO, TODO, TODO)
    record(poursuite, (E.SAISIE_EXECUTEE, start + timedelta(days=50)))
    found = stage(poursuite)
    assert found.phase == "saisie_done"
    assert found.steps["saisie"].lines == (
        f"avis de saisie du {format_date(start + timedelta(days=40))}",
        f"saisie exécutée le {format_date(start + timedelta(days=50))}",
    )
    assert [line.label for line in found.history][-2:] == ["Avis de saisie", "Saisie exécutée"]


def test_a_poursuite_by_voie_de_faillite_ends_at_the_commination():
    poursuite = notified(90, kind=PoursuiteKind.FAILLITE)
    start = poursuite.notification_date
    record(poursuite, (E.CONTINUATION, start + timedelta(days=30)))
    assert stage(poursuite).phase == "continuation_faillite"
    record(poursuite, (E.COMMINATION_FAILLITE, start + timedelta(days=40)))
    found = stage(poursuite)
    assert (found.here, found.phase) == ("faillite", "faillite")
    assert (states(found)["saisie"], states(found)["realisation"], states(found)["adb"]) == (SKIPPED,) * 3


def test_an_adb_shows_interest_stopped_its_prescription_and_the_road_that_led_there():
    poursuite = notified(200)
    start = poursuite.notification_date
    record(
        poursuite,
        (E.CONTINUATION, start + timedelta(days=30)),
        (E.AVIS_SAISIE, start + timedelta(days=40)),
        (E.SAISIE_EXECUTEE, start + timedelta(days=50)),
    )
    adb = services.issue_adb(poursuite=poursuite, on=start + timedelta(days=100), amount=D("900.00"))
    found = stage(adb)
    assert (found.here, found.phase) == ("adb", "adb")
    assert (found.adb_issued_on, found.adb_prescribes_on, found.adb_open) == (
        adb.issued_on,
        adb_prescribes_on(adb.issued_on),
        True,
    )
    assert [(line.on, line.note) for line in found.deadlines] == [(adb_prescribes_on(adb.issued_on), "À venir")]
    assert found.steps["adb"].lines == (
        f"délivré le {format_date(adb.issued_on)}",
        f"prescription le {format_date(adb_prescribes_on(adb.issued_on))}",
    )
    assert [step for step, state in states(found).items() if state == DONE] == [
        "requisition",
        "commandement",
        "continuation",
        "saisie",
    ]
    assert states(found)["paiement"] == SKIPPED
    # The poursuite ended by this ADB stands at the same step; from the register, the same answer.
    poursuite.refresh_from_db()
    assert stage(poursuite).steps == found.steps == adb_stage(adb, today()).steps
    # Paid, the ADB no longer prescribes.
    services.record_payment(target=adb, on=today(), amount=adb.amount)
    found = stage(adb)
    assert (found.deadlines, found.adb_open) == ([], False)


def test_a_paid_poursuite_stands_at_the_payment_and_goes_no_further():
    poursuite = notified(10)
    services.record_payment(target=poursuite, on=today(), amount=D("5000"), allow_surplus=True)
    poursuite.refresh_from_db()
    found = stage(poursuite)
    assert (found.here, found.phase) == ("paiement", "paid")
    assert found.steps["paiement"].lines == (f"payée le {format_date(today())}",)
    assert found.deadlines == []
    assert {
        state for step, state in states(found).items() if step not in ("requisition", "commandement", "paiement")
    } == {SKIPPED}
    assert "5 ans" in found.summary


def test_a_late_opposition_is_dated_but_does_not_count_as_the_step():
    poursuite = notified(days_ago_when(lambda day: opposition_deadline(day) < today(), 15))
    services.record_event(poursuite=poursuite, type=E.OPPOSITION_TOTALE, on=today(), late=True)
    found = stage(poursuite)
    assert found.here == "commandement"
    assert states(found)["opposition"] == SKIPPED
    assert f"opposition totale le {format_date(today())} (tardive)" in found.steps["opposition"].lines
    assert "Opposition totale (tardive)" in [line.label for line in found.history]


def test_a_withdrawn_poursuite_has_no_stage():
    poursuite = notified(10)
    record(poursuite, (E.CONTRORDRE, today()))
    assert stage(poursuite) is None


@pytest.mark.parametrize(
    ("function", "start", "expected"),
    [
        # The 10 days end on Sunday 14.03.2027: Monday.
        (opposition_deadline, date(2027, 3, 4), date(2027, 3, 15)),
        # The 20 days end on Thursday 31.12.2026, in the féries of Christmas (18.12–01.01, art. 56 and
        # 63 LP): the third working day after them, Wednesday 6 January; the creditor continues after.
        (payment_deadline, date(2026, 12, 11), date(2027, 1, 6)),
        (continuation_from, date(2026, 12, 11), date(2027, 1, 7)),
        # The 10 days end on Saturday 19.12.2026, in the féries too.
        (opposition_deadline, date(2026, 12, 9), date(2027, 1, 6)),
        # Saturday 17.07.2027 falls in the féries of July (15–31): Wednesday 4 August (1 August is a Sunday).
        (opposition_deadline, date(2027, 7, 7), date(2027, 8, 4)),
        # Friday 26.03.2027 (Good Friday) falls in the féries of Easter (21.03–04.04): Wednesday 7 April.
        (payment_deadline, date(2027, 3, 6), date(2027, 4, 7)),
        # Saturday 16.12.2028 moves to Monday 18.12.2028, the first day of the féries: their third
        # working day after, Thursday 4 January 2029 (the 2nd is a Tuesday).
        (opposition_deadline, date(2028, 12, 6), date(2029, 1, 4)),
        # The 20 days end on Sunday 21.02.2027: the debtor may pay on Monday, the creditor continue on Tuesday.
        (payment_deadline, date(2027, 2, 1), date(2027, 2, 22)),
        (continuation_from, date(2027, 2, 1), date(2027, 2, 23)),
        # One year to the same date, moved past a weekend; across 29 February 2028 too.
        (continuation_lapses_on, date(2027, 3, 5), date(2028, 3, 6)),
        (continuation_lapses_on, date(2027, 3, 10), date(2028, 3, 10)),
        (continuation_lapses_on, date(2026, 12, 11), date(2027, 12, 13)),
        (continuation_lapses_on, date(2024, 2, 29), date(2025, 2, 28)),
    ],
)
def test_deadlines_move_to_the_next_working_day(function, start, expected):
    assert function(start) == expected
    if function is not continuation_from:  # the first day of a step, not the last of a deadline
        assert is_working_day(expected)


@pytest.mark.time_machine("2026-12-21 10:00 +01:00")
def test_the_diagram_draws_the_deadlines_moved_past_the_feries_of_christmas():
    poursuite = make_poursuite(requisition_date=date(2026, 12, 1), notified_on=date(2026, 12, 11))
    found = stage(poursuite)
    assert found.steps["opposition"].lines == ("jusqu'au 06.01.2027",)
    assert found.steps["paiement"].lines == ("jusqu'au 06.01.2027",)
    assert found.steps["continuation"].lines == ("dès le 07.01.2027", "jusqu'au 13.12.2027")


def test_the_register_and_the_lookup_give_the_same_stage():
    poursuite = notified(25)
    record(poursuite, (E.OPPOSITION_TOTALE, poursuite.notification_date + timedelta(days=2)))
    from poursuites.models import Poursuite

    assert poursuite_stage(Poursuite.objects.get(pk=poursuite.pk), today()) == stage(poursuite)


def test_the_generic_diagram_has_every_step_and_no_you_are_here():
    html = render_to_string("poursuites/includes/procedure_diagram.html")
    assert 'role="img"' in html and "<title" in html and "<desc" in html
    assert "Vous êtes ici" not in html
    for words in (
        "Réquisition de poursuite",
        "Commandement de payer notifié",
        "Dans les 20 jours",
        "Opposition dans les 10 jours",
        "Mainlevée de l&#x27;opposition",
        "Commination de faillite",
        "Saisie",
        "Réalisation et distribution",
        "Acte de défaut de biens",
    ):
        assert html.count(words) >= 2, words  # drawn, and in the list that says the same in words
    assert "procedure-legend" not in html


def test_the_lookup_page_marks_the_stage_in_the_picture_and_in_words(client):
    poursuite = notified(5)
    response = client.post(
        reverse("poursuites:balance_lookup"),
        {"number": f"{poursuite.number:08d}", "key_letter": poursuite.key_letter, "payment_date": today().isoformat()},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="pd-step pd-step--here"') == 1
    assert '<g class="pd-step pd-step--here" data-step="commandement">' in html
    assert "Vous êtes ici : Commandement de payer notifié." in html
    assert "<strong>Commandement de payer notifié</strong> (vous êtes ici)" in html
    assert format_date(payment_deadline(poursuite.notification_date)) in html


def test_the_marked_diagram_draws_each_step_in_its_state_with_a_frame_and_a_legend():
    found = stage(notified(5))
    html = render_to_string("poursuites/includes/procedure_diagram.html", {"stage": found})
    drawn = re.findall(r'<g class="pd-step pd-step--(\w+)" data-step="(\w+)">', html)
    assert drawn == [(mark.state, step) for step, mark in found.steps.items()]
    assert html.count('class="pd-frame"') == html.count('class="pd-here-label"') == 1
    assert html.count('class="pd-date"') == sum(len(mark.lines) for mark in found.steps.values())
    assert "(vous êtes ici)" in html and "(étape franchie)" in html  # the list says the states in words
    assert 'class="procedure-legend" aria-hidden="true"' in html


def test_every_text_of_the_diagram_is_escaped():
    """The diagram's markup is written in Python, not by the template engine (issue 17: it is on every
    lookup): a line with markup in it still comes out as text, in the picture and in the list."""
    found = stage(notified(5))
    steps = {**found.steps, "paiement": replace(found.steps["paiement"], lines=("<b>a & 'b\"</b>",))}
    html = render_to_string("poursuites/includes/procedure_diagram.html", {"stage": replace(found, steps=steps)})
    assert "<b>" not in html
    assert html.count("&lt;b&gt;a &amp; &#x27;b&quot;&lt;/b&gt;") == 2
