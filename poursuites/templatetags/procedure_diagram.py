"""The diagram of the poursuite, laid out for templates/poursuites/includes/procedure_diagram.html.

`{% procedure_diagram stage as diagram %}` gives the geometry of an SVG drawn top to bottom (one
width for a phone and a desktop: 360 units, about as many CSS pixels), and the same structure as an
ordered list for screen readers. Without a stage (poursuites.procedure_stage.Stage) it is the
generic diagram; with one, each step shows its state and dates, and the step « vous êtes ici »
gets a frame and a label. SVG text does not wrap: lines are cut here, by character count, for
the widest common font (DejaVu Sans)."""

import textwrap
from dataclasses import dataclass, field

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..procedure_stage import (
    ADB,
    COMMANDEMENT,
    CONTINUATION,
    DONE,
    FAILLITE,
    HERE,
    MAINLEVEE,
    OPPOSITION,
    PAIEMENT,
    REALISATION,
    REQUISITION,
    SAISIE,
    SKIPPED,
    STEPS,
    TODO,
    Stage,
)

register = template.Library()

WIDTH = 360
MAIN_X, BRANCH_X = 20, 58  # the main line and its alternatives
TEXT_OFFSET = 22  # from a station to its text
RADIUS = {True: 11, False: 9}  # main line, alternative
TITLE_LINE, NOTE_LINE, PILL_HEIGHT = 19, 17, 20
# Characters a line holds (title 15 px bold, note 13 px), on the main line and on an alternative.
TITLE_CHARS = {True: 31, False: 28}
NOTE_CHARS = {True: 45, False: 40}

MAIN = (REQUISITION, COMMANDEMENT, CONTINUATION, SAISIE, REALISATION, ADB)
# The alternatives that leave the main line after a step: chains of steps.
ALTERNATIVES = {COMMANDEMENT: ((PAIEMENT,), (OPPOSITION, MAINLEVEE)), CONTINUATION: ((FAILLITE,),)}
ENDS = frozenset({PAIEMENT, FAILLITE, ADB})  # the procedure stops there
REJOINS = {MAINLEVEE: CONTINUATION}  # once the opposition is lifted, the main line goes on

TITLES = {
    REQUISITION: gettext_lazy("Réquisition de poursuite"),
    COMMANDEMENT: gettext_lazy("Commandement de payer notifié"),
    PAIEMENT: gettext_lazy("Paiement"),
    OPPOSITION: gettext_lazy("Opposition dans les 10 jours"),
    MAINLEVEE: gettext_lazy("Mainlevée de l'opposition"),
    CONTINUATION: gettext_lazy("Réquisition de continuer la poursuite"),
    FAILLITE: gettext_lazy("Commination de faillite"),
    SAISIE: gettext_lazy("Saisie"),
    REALISATION: gettext_lazy("Réalisation et distribution"),
    ADB: gettext_lazy("Acte de défaut de biens"),
}
NOTES = {
    REQUISITION: gettext_lazy("Le créancier demande à l'office de poursuivre le débiteur."),
    COMMANDEMENT: gettext_lazy("L'office le remet au débiteur ; ses délais courent dès ce jour."),
    PAIEMENT: gettext_lazy("Dans les 20 jours, ou plus tard à toute étape : la poursuite est alors soldée."),
    OPPOSITION: gettext_lazy("Le débiteur conteste la dette : la poursuite est suspendue."),
    MAINLEVEE: gettext_lazy("Le juge lève l'opposition, à la demande du créancier."),
    CONTINUATION: gettext_lazy("Par le créancier, dès le 21e jour et au plus tard un an après la notification."),
    FAILLITE: gettext_lazy("Si le débiteur est inscrit au registre du commerce ; la faillite relève du juge."),
    SAISIE: gettext_lazy("Avis de saisie, puis saisie de biens ou d'une part du salaire, minimum vital réservé."),
    REALISATION: gettext_lazy("Les biens saisis sont vendus ; le produit est versé aux créanciers."),
    ADB: gettext_lazy("Délivré au créancier pour ce qui reste impayé ; les intérêts cessent de courir."),
}
# In the text equivalent, after the alternatives of a step: where the main line goes on.
OTHERWISE = {
    COMMANDEMENT: gettext_lazy("Sans paiement ni opposition, ou une fois l'opposition levée : étape 3."),
    CONTINUATION: gettext_lazy("Sinon : étape 4, la saisie."),
}
STATE_WORDS = {
    DONE: gettext_lazy("étape franchie"),
    HERE: gettext_lazy("vous êtes ici"),
    TODO: gettext_lazy("possible ou à venir"),
    SKIPPED: gettext_lazy("sans objet pour cette poursuite"),
}


@dataclass(frozen=True)
class Line:
    y: int
    text: str
    kind: str  # title, note, date


@dataclass
class Station:
    step: str
    main: bool
    x: int
    cy: int
    state: str
    number: int | None  # the main steps are numbered
    lines: list[Line]
    top: int
    bottom: int
    end: bool

    @property
    def r(self) -> int:
        return RADIUS[self.main]

    @property
    def text_x(self) -> int:
        return self.x + TEXT_OFFSET

    @property
    def frame(self) -> dict:
        """The frame around the step « vous êtes ici »."""
        left = self.x - self.r - 6
        return {"x": left, "y": self.top, "width": WIDTH - 4 - left, "height": self.bottom - self.top}

    @property
    def pill_y(self) -> int:
        return self.top + 8

    @property
    def check(self) -> str:
        """A tick inside a done station."""
        x, y, s = self.x, self.cy, self.r / 11
        return f"M{x - 5 * s:.1f} {y:.1f} l{3.5 * s:.1f} {3.5 * s:.1f} l{6.5 * s:.1f} {-7 * s:.1f}"

    @property
    def end_mark(self) -> str:
        """A bar under a station where the procedure stops."""
        x, y = self.x, self.cy + self.r + (3 if self.state == HERE else 0)  # below the ring of « vous êtes ici »
        return f"M{x} {y} v8 M{x - 7} {y + 8} h14"


@dataclass(frozen=True)
class Path:
    d: str
    skipped: bool
    arrow: str = ""  # an arrowhead where the line joins the main line again


@dataclass
class OutlineItem:
    """One step in the text equivalent: its words, its state, its dates, and what may follow it."""

    number: int | None
    title: str
    note: str
    state: str
    dates: tuple[str, ...]
    alternatives: list[list["OutlineItem"]] = field(default_factory=list)
    otherwise: str = ""

    @property
    def state_words(self) -> str:
        return str(STATE_WORDS.get(self.state, ""))


@dataclass
class Diagram:
    width: int
    height: int
    stations: list[Station]
    paths: list[Path]
    outline: list[OutlineItem]
    stage: Stage | None
    here_title: str

    @property
    def here(self) -> Station | None:
        return next((station for station in self.stations if station.state == HERE), None)


def _wrap(text: str, chars: int) -> list[str]:
    """Lines of at most `chars` characters; a French « ; » or « : » stays with the word before it."""
    text = str(text).replace(" ;", "\u00a0;").replace(" :", "\u00a0:")
    return textwrap.wrap(text, chars, break_long_words=False) or [""]


def _station(step: str, y: int, stage: Stage | None, number: int | None) -> Station:
    main = step in MAIN
    x = MAIN_X if main else BRANCH_X
    state = stage.steps[step].state if stage else TODO
    top = y
    y += 8
    if state == HERE:
        y += PILL_HEIGHT + 6  # the label « Vous êtes ici » above the title
    lines = []
    first_baseline = y + 14
    for text in _wrap(TITLES[step], TITLE_CHARS[main]):
        y += TITLE_LINE
        lines.append(Line(y - 5, text, "title"))
    y += 2
    for text in _wrap(NOTES[step], NOTE_CHARS[main]):
        y += NOTE_LINE
        lines.append(Line(y - 4, text, "note"))
    for text in stage.steps[step].lines if stage else ():
        y += NOTE_LINE
        lines.append(Line(y - 4, text, "date"))
    y += 10
    return Station(step, main, x, first_baseline - 5, state, number, lines, top, y, step in ENDS)


def _curve(x0: int, y0: int, x1: int, y1: int) -> str:
    middle = (y0 + y1) / 2
    return f"M{x0} {y0} C{x0} {middle:.0f} {x1} {middle:.0f} {x1} {y1}"


def _paths(at: dict[str, Station]) -> list[Path]:
    paths = []

    def skipped(*steps):
        return any(at[step].state == SKIPPED for step in steps)

    for upper, lower in zip(MAIN, MAIN[1:], strict=False):
        a, b = at[upper], at[lower]
        paths.append(Path(f"M{a.x} {a.cy + a.r} V{b.cy - b.r}", skipped(upper, lower)))
    for parent, chains in ALTERNATIVES.items():
        for chain in chains:
            first = at[chain[0]]
            start = max(at[parent].cy + at[parent].r, first.cy - first.r - 40)
            paths.append(Path(_curve(MAIN_X, start, first.x, first.cy - first.r), skipped(chain[0])))
            for upper, lower in zip(chain, chain[1:], strict=False):
                a, b = at[upper], at[lower]
                paths.append(Path(f"M{a.x} {a.cy + a.r} V{b.cy - b.r}", skipped(upper, lower)))
            last = at[chain[-1]]
            if chain[-1] in REJOINS:
                target = at[REJOINS[chain[-1]]]
                end = target.cy - target.r - 4
                arrow = f"M{MAIN_X - 5} {end - 7} L{MAIN_X} {end} L{MAIN_X + 5} {end - 7}"
                paths.append(Path(_curve(last.x, last.cy + last.r, MAIN_X, end), skipped(chain[-1]), arrow))
    return paths


def _outline(at: dict[str, Station], stage: Stage | None) -> list[OutlineItem]:
    def item(step):
        station = at[step]
        dates = stage.steps[step].lines if stage else ()
        return OutlineItem(station.number, str(TITLES[step]), str(NOTES[step]), station.state if stage else "", dates)

    outline = []
    for step in MAIN:
        entry = item(step)
        entry.alternatives = [[item(alternative) for alternative in chain] for chain in ALTERNATIVES.get(step, ())]
        entry.otherwise = str(OTHERWISE.get(step, ""))
        outline.append(entry)
    return outline


def layout(stage: Stage | None = None) -> Diagram:
    stations, y, number = [], 6, 0
    for step in STEPS:
        if step in MAIN:
            number += 1
        station = _station(step, y, stage, number if step in MAIN else None)
        stations.append(station)
        y = station.bottom + (14 if step in MAIN else 10)
    at = {station.step: station for station in stations}
    here_title = str(TITLES[stage.here]) if stage else ""
    return Diagram(WIDTH, y, stations, _paths(at), _outline(at, stage), stage, here_title)


@register.simple_tag
def procedure_diagram(stage: Stage | None = None) -> Diagram:
    """`{% procedure_diagram stage as diagram %}`; `stage` may be missing: the generic diagram."""
    return layout(stage or None)


@register.simple_tag
def diagram_intro(diagram: Diagram) -> str:
    """The description of the picture (its <desc>): where the poursuite stands, then the shape."""
    shape = _(
        "La poursuite en six étapes, de la réquisition de poursuite à l'acte de défaut de biens ; après le "
        "commandement de payer, le débiteur peut payer ou faire opposition ; après la réquisition de continuer, "
        "la poursuite se poursuit par une saisie ou une commination de faillite. La liste qui suit décrit chaque "
        "étape."
    )
    if diagram.here is None:
        return shape
    return _("Vous êtes ici : %(step)s. %(shape)s") % {"step": diagram.here_title, "shape": shape}
