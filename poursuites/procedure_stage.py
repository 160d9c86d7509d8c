"""Where a poursuite or an ADB stands in the procedure: the step « vous êtes ici » of the diagram
(templates/poursuites/includes/procedure_diagram.html), the steps passed and skipped, the dates of
the procedure and the deadlines ahead, in plain data. The deadlines are poursuites.procedure's;
this only says which step each belongs to and how it stands on a given day."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocp_portal.formats import format_date

from .constants import ADBState, EventType, PoursuiteKind, PoursuiteStatus
from .procedure import (
    AHEAD,
    CLOSED,
    FINAL,
    OPEN,
    OVER,
    Deadline,
    adb_deadlines,
    adb_prescribes_on,
    deadlines,
)

E, S, K = EventType, PoursuiteStatus, PoursuiteKind

# The steps of the diagram, top to bottom: the main line, and after the commandement de payer
# and the réquisition de continuer, the alternatives that branch off it.
REQUISITION = "requisition"
COMMANDEMENT = "commandement"
PAIEMENT = "paiement"
OPPOSITION = "opposition"
MAINLEVEE = "mainlevee"
CONTINUATION = "continuation"
FAILLITE = "faillite"
SAISIE = "saisie"
REALISATION = "realisation"
ADB = "adb"
STEPS = (REQUISITION, COMMANDEMENT, PAIEMENT, OPPOSITION, MAINLEVEE, CONTINUATION, FAILLITE, SAISIE, REALISATION, ADB)

# How a step stands for one poursuite.
DONE, HERE, TODO, SKIPPED = "done", "here", "todo", "skipped"

STEP_OF_EVENT = {
    E.REQUISITION: REQUISITION,
    E.NOTIFICATION: COMMANDEMENT,
    E.OPPOSITION_TOTALE: OPPOSITION,
    E.OPPOSITION_PARTIELLE: OPPOSITION,
    E.MAINLEVEE: MAINLEVEE,
    E.CONTINUATION: CONTINUATION,
    E.AVIS_SAISIE: SAISIE,
    E.SAISIE_EXECUTEE: SAISIE,
    E.COMMINATION_FAILLITE: FAILLITE,
    E.REALISATION: REALISATION,
    E.ADB_DELIVRE: ADB,
    E.PAIEMENT: PAIEMENT,
}
STEP_OF_STATUS = {
    S.REQUISITION: REQUISITION,
    S.NOTIFIEE: COMMANDEMENT,
    S.OPPOSITION_TOTALE: OPPOSITION,
    S.OPPOSITION_PARTIELLE: OPPOSITION,
    S.OPPOSITION_LEVEE: MAINLEVEE,
    S.CONTINUATION: CONTINUATION,
    S.SAISIE_ANNONCEE: SAISIE,
    S.SAISIE_EXECUTEE: SAISIE,
    S.COMMINATION_FAILLITE: FAILLITE,
    S.REALISATION: REALISATION,
    S.ADB_DELIVRE: ADB,
    S.PAYEE: PAIEMENT,
}
# The steps a kind of poursuite never takes (procedure.STEPS: saisie for the one by voie de
# saisie, the commination for the one by voie de faillite, neither in réalisation de gage).
NOT_FOR_KIND = {
    K.SAISIE: frozenset({FAILLITE}),
    K.FAILLITE: frozenset({SAISIE, REALISATION, ADB}),
    K.GAGE: frozenset({SAISIE, FAILLITE}),
}
# How each step of the register is named beside its date in the diagram.
EVENT_WORDS = {
    E.REQUISITION: gettext_lazy("enregistrée le %(date)s"),
    E.NOTIFICATION: gettext_lazy("notifié le %(date)s"),
    E.OPPOSITION_TOTALE: gettext_lazy("opposition totale le %(date)s"),
    E.OPPOSITION_PARTIELLE: gettext_lazy("opposition partielle le %(date)s"),
    E.MAINLEVEE: gettext_lazy("prononcée le %(date)s"),
    E.CONTINUATION: gettext_lazy("requise le %(date)s"),
    E.AVIS_SAISIE: gettext_lazy("avis de saisie du %(date)s"),
    E.SAISIE_EXECUTEE: gettext_lazy("saisie exécutée le %(date)s"),
    E.COMMINATION_FAILLITE: gettext_lazy("notifiée le %(date)s"),
    E.REALISATION: gettext_lazy("le %(date)s"),
    E.ADB_DELIVRE: gettext_lazy("délivré le %(date)s"),
    E.PAIEMENT: gettext_lazy("payée le %(date)s"),
}
# What each moment of the procedure means, and what comes next.
SUMMARIES = {
    "registered": gettext_lazy(
        "La réquisition de poursuite est enregistrée. L'office va notifier le commandement de payer au débiteur : "
        "les délais de paiement et d'opposition courent dès cette notification."
    ),
    "notified": gettext_lazy(
        "Le commandement de payer a été notifié. Le débiteur a 10 jours pour faire opposition s'il conteste la "
        "dette, et 20 jours pour la payer ; ensuite, le créancier pourra requérir la continuation de la poursuite."
    ),
    "continuation_possible": gettext_lazy(
        "Le délai de paiement de 20 jours est échu. Le créancier peut requérir la continuation de la poursuite "
        "jusqu'à un an après la notification du commandement de payer. Un paiement complet reste possible et "
        "met fin à la poursuite."
    ),
    "continuation_lapsed": gettext_lazy(
        "Le créancier n'a pas requis la continuation dans l'année qui a suivi la notification du commandement de "
        "payer : son droit de continuer cette poursuite est périmé (art. 88 al. 2 LP)."
    ),
    "opposition": gettext_lazy(
        "Le débiteur a fait opposition : la poursuite est suspendue. Pour la continuer, le créancier doit obtenir "
        "du juge la mainlevée de l'opposition."
    ),
    "opposition_partial": gettext_lazy(
        "Le débiteur a contesté une partie de la dette. Le créancier peut continuer la poursuite pour la partie "
        "non contestée ; pour le reste, il doit obtenir du juge la mainlevée de l'opposition."
    ),
    "opposition_lifted": gettext_lazy(
        "L'opposition a été levée (mainlevée). Le créancier peut requérir la continuation de la poursuite ; le "
        "délai d'un an ne court pas pendant la procédure de mainlevée."
    ),
    "continuation": gettext_lazy(
        "Le créancier a requis la continuation de la poursuite. L'office va adresser au débiteur un avis de "
        "saisie, qui indique le jour et l'endroit de la saisie."
    ),
    "continuation_faillite": gettext_lazy(
        "Le créancier a requis la continuation de la poursuite. L'office va notifier au débiteur une commination "
        "de faillite."
    ),
    "continuation_gage": gettext_lazy(
        "Le créancier a requis la réalisation du gage. L'office va vendre le bien remis en gage et en distribuer "
        "le produit."
    ),
    "saisie_announced": gettext_lazy(
        "Un avis de saisie a été adressé au débiteur. Il est tenu d'assister à la saisie ou de s'y faire "
        "représenter, et d'indiquer tous les biens qui lui appartiennent."
    ),
    "saisie_done": gettext_lazy(
        "La saisie a été exécutée. Ce qui est saisi, au-delà du minimum vital, sert à payer le créancier ; ce qui "
        "reste impayé à la fin de la procédure fait l'objet d'un acte de défaut de biens."
    ),
    "faillite": gettext_lazy(
        "Une commination de faillite a été notifiée au débiteur. S'il ne paie pas, le créancier peut demander au "
        "juge de prononcer sa faillite."
    ),
    "realisation": gettext_lazy(
        "Les biens saisis ou le gage sont vendus ; le produit est distribué aux créanciers. Ce qui reste impayé "
        "fait l'objet d'un acte de défaut de biens."
    ),
    "adb": gettext_lazy(
        "La poursuite s'est terminée par un acte de défaut de biens, délivré au créancier pour ce qui est resté "
        "impayé. L'acte vaut reconnaissance de dette ; aucun intérêt ne court plus sur la créance qu'il constate."
    ),
    "paid": gettext_lazy(
        "La poursuite est payée et close. Elle figure encore pendant 5 ans sur les extraits du registre, avec la "
        "mention « payée » ; seul le créancier peut demander sa radiation à l'office."
    ),
}


@dataclass(frozen=True)
class DatedLine:
    """One line of a timeline: a step that happened, or a deadline ahead (`upcoming`)."""

    on: date
    label: str
    note: str = ""
    upcoming: bool = False
    passed: bool = False  # a deadline already over

    @classmethod
    def ahead(cls, on: date, label: str, today: date, *, opens: bool = False) -> "DatedLine":
        """A date of the procedure: the last day of a deadline, or (`opens`) the first day of a step."""
        return cls.of(Deadline(label, on, opens=opens), today)

    @classmethod
    def of(cls, deadline: Deadline, today: date) -> "DatedLine":
        """A deadline of poursuites.procedure, as `state_on` puts it on `today`."""
        state = deadline.state_on(today)
        if state == OVER:
            return cls(deadline.on, deadline.label, _("Délai échu"), upcoming=True, passed=True)
        return cls(deadline.on, deadline.label, _("Possible") if state == OPEN else _("À venir"), upcoming=True)


@dataclass(frozen=True)
class StepMark:
    """How one step of the diagram stands, and the dated lines drawn beside it."""

    state: str = TODO
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stage:
    here: str  # the step « vous êtes ici »
    phase: str  # a key of SUMMARIES
    steps: dict[str, StepMark]
    history: list[DatedLine]  # the steps of the procedure that happened, in order
    deadlines: list[DatedLine]  # the dates ahead (or just passed) that matter now
    adb_issued_on: date | None = None  # for an ADB: interest stopped on that day (art. 149 al. 4 LP)
    adb_prescribes_on: date | None = None
    adb_open: bool = False

    @property
    def summary(self) -> str:
        return str(SUMMARIES[self.phase])


def _event_line(event) -> str:
    words = str(EVENT_WORDS[event.type]) % {"date": format_date(event.date)}
    return _("%(words)s (tardive)") % {"words": words} if event.late else words


def _deadline_line(deadline: Deadline, on: date) -> str | None:
    state, day = deadline.state_on(on), format_date(deadline.on)
    if deadline.opens:
        if state == OVER:  # its closing deadline says it
            return None
        return (_("possible depuis le %(date)s") if state == OPEN else _("dès le %(date)s")) % {"date": day}
    if deadline.about == E.ADB_DELIVRE:
        return _("prescription le %(date)s") % {"date": day}
    if state == OVER:
        return _("délai échu le %(date)s") % {"date": day}
    return _("jusqu'au %(date)s") % {"date": day}


def _phase(poursuite, ahead: list[Deadline], on: date) -> str:
    status = poursuite.status
    if status == S.REQUISITION:
        return "registered"
    if status == S.NOTIFIEE:  # the creditor's right to continue: not yet, open, or lapsed
        continuation = next((deadline for deadline in ahead if deadline.opens), None)
        state = continuation.state_on(on) if continuation else AHEAD
        return {AHEAD: "notified", OPEN: "continuation_possible", OVER: "continuation_lapsed"}[state]
    return {
        S.OPPOSITION_TOTALE: "opposition",
        S.OPPOSITION_PARTIELLE: "opposition_partial",
        S.OPPOSITION_LEVEE: "opposition_lifted",
        S.CONTINUATION: {K.FAILLITE: "continuation_faillite", K.GAGE: "continuation_gage"}.get(
            poursuite.kind, "continuation"
        ),
        S.SAISIE_ANNONCEE: "saisie_announced",
        S.SAISIE_EXECUTEE: "saisie_done",
        S.COMMINATION_FAILLITE: "faillite",
        S.REALISATION: "realisation",
        S.ADB_DELIVRE: "adb",
        S.PAYEE: "paid",
    }[status]


def _marks(here: str, events, ahead: list[Deadline], on: date, *, ended: bool, payable: bool, never=frozenset()):
    """Each step with its dates, and its state: here; done (its event is in the register); skipped
    (passed by, its deadline over, never taken by this kind of poursuite, or the procedure ended);
    or still to come. Payment stays to come while the poursuite can be paid."""
    lines = {step: [] for step in STEPS}
    done = {REQUISITION}
    for event in events:
        if event.type == E.PAIEMENT or event.type not in STEP_OF_EVENT:
            continue
        step = STEP_OF_EVENT[event.type]
        lines[step].append(_event_line(event))
        if not event.late:  # a late opposition is kept for the file and changes nothing
            done.add(step)
    if here == PAIEMENT:
        paid = [event for event in events if event.type == E.PAIEMENT]
        if paid:
            lines[PAIEMENT].append(_event_line(paid[-1]))
    over, open_ = set(), set()
    for deadline in ahead:
        step = STEP_OF_EVENT[deadline.about]
        (over if deadline.state_on(on) == OVER else open_).add(step)
        line = _deadline_line(deadline, on)
        if line:
            lines[step].append(line)
    reached = STEPS.index(here)
    marks = {}
    for position, step in enumerate(STEPS):
        if step == here:
            state = HERE
        elif step in done:
            state = DONE
        elif step == PAIEMENT:
            state = TODO if payable else SKIPPED
        else:
            passed_by = position < reached or (step in over and step not in open_)
            after_skipped = step == MAINLEVEE and marks[OPPOSITION].state == SKIPPED  # no opposition to lift
            state = SKIPPED if step in never or ended or passed_by or after_skipped else TODO
        marks[step] = StepMark(state, tuple(lines[step]))
    return marks


# Not get_type_display(): Django translates every choice's label to hash it, at each call.
EVENT_LABELS = dict(EventType.choices)


def _history(events) -> list[DatedLine]:
    """The steps of the procedure in the register, payments left out (the balance shows them)."""
    history = []
    for event in events:
        if event.type == E.PAIEMENT:
            continue
        label = EVENT_LABELS.get(event.type, event.type)
        if event.late:
            label = _("%(words)s (tardive)") % {"words": label}
        history.append(DatedLine(event.date, label))
    return history


def _sorted_events(events) -> list:
    return sorted(events, key=lambda event: (event.date, event.id or 0))


def poursuite_stage(poursuite, on: date) -> Stage | None:
    """Where `poursuite` stands on `on`; None for one withdrawn or annulled (nothing to draw).
    Reads the poursuite's status, kind, notification date, `events` and, once it ended in an ADB,
    `actes_defaut_biens` (all prefetched by the lookup)."""
    if poursuite.status in FINAL:
        return None
    events = _sorted_events(poursuite.events.all())
    if poursuite.status == S.ADB_DELIVRE:
        adbs = sorted(poursuite.actes_defaut_biens.all(), key=lambda adb: adb.number)
        if adbs:
            return _adb_stage(adbs[-1], events, on)
    ahead = deadlines(poursuite)
    here, phase = STEP_OF_STATUS[poursuite.status], _phase(poursuite, ahead, on)
    if phase == "continuation_lapsed":  # a year on, the debtor's deadlines are long over
        ahead = [deadline for deadline in ahead if deadline.about == E.CONTINUATION]
    marks = _marks(
        here,
        events,
        ahead,
        on,
        ended=poursuite.status in CLOSED or phase == "continuation_lapsed",
        payable=poursuite.status not in CLOSED,
        never=NOT_FOR_KIND.get(poursuite.kind, frozenset()),
    )
    return Stage(
        here=here,
        phase=phase,
        steps=marks,
        history=_history(events),
        deadlines=[DatedLine.of(deadline, on) for deadline in ahead if _deadline_line(deadline, on)],
    )


def adb_stage(adb, on: date) -> Stage:
    """Where an ADB stands: the end of its poursuite, the day interest stopped, its prescription.
    Reads the ADB's issue date and state, and its poursuite's `events`."""
    return _adb_stage(adb, _sorted_events(adb.poursuite.events.all()), on)


def _adb_stage(adb, events, on: date) -> Stage:
    ahead = adb_deadlines(adb)
    return Stage(
        here=ADB,
        phase="adb",
        steps=_marks(ADB, events, ahead, on, ended=True, payable=False),
        history=_history(events),
        deadlines=[DatedLine.of(deadline, on) for deadline in ahead],
        adb_issued_on=adb.issued_on,
        adb_prescribes_on=adb_prescribes_on(adb.issued_on),
        adb_open=adb.state == ADBState.OUVERT,
    )


def stage_of(dossier, on: date) -> Stage | None:
    """The stage of a lookup's dossier: a poursuite or an ADB."""
    from .models import ActeDefautBiens

    return adb_stage(dossier, on) if isinstance(dossier, ActeDefautBiens) else poursuite_stage(dossier, on)
