"""The diagram of the poursuite, drawn for templates/poursuites/includes/procedure_diagram.html.

`{% procedure_diagram stage %}` writes an SVG drawn top to bottom (one width for a phone and a
desktop: 360 units, about as many CSS pixels), and the same structure as an ordered list for screen
readers. Without a stage (poursuites.procedure_stage.Stage) it is the generic diagram; with one,
each step shows its state and dates, and the step « vous êtes ici » gets a frame and a label. SVG
text does not wrap: lines are cut here, by character count, for the widest common font (DejaVu Sans).

`layout` computes the geometry, `render` writes the markup: in Python, not in the template, because
the diagram is on every balance lookup's result (see the note above `render`)."""

import html
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy

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
LEGEND = {
    DONE: gettext_lazy("Étape franchie"),
    HERE: gettext_lazy("Vous êtes ici"),
    TODO: gettext_lazy("Étape possible ou à venir"),
    SKIPPED: gettext_lazy("Sans objet pour cette poursuite"),
}
PHRASES = {
    "title": gettext_lazy("Schéma de la poursuite"),
    "here": gettext_lazy("Vous êtes ici"),
    "then": gettext_lazy("Puis :"),
    "next": gettext_lazy("Ensuite, selon le cas :"),
    # The description of the picture (its <desc>): where the poursuite stands, then the shape.
    "shape": gettext_lazy(
        "La poursuite en six étapes, de la réquisition de poursuite à l'acte de défaut de biens ; après le "
        "commandement de payer, le débiteur peut payer ou faire opposition ; après la réquisition de continuer, "
        "la poursuite se poursuit par une saisie ou une commination de faillite. La liste qui suit décrit chaque "
        "étape."
    ),
    "here_shape": gettext_lazy("Vous êtes ici : %(step)s. %(shape)s"),
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
    state_words: str  # the state in words, empty on the generic diagram
    alternatives: list[list["OutlineItem"]] = field(default_factory=list)
    otherwise: str = ""


@dataclass
class Diagram:
    width: int
    height: int
    stations: list[Station]
    paths: list[Path]
    outline: list[OutlineItem]
    stage: Stage | None
    texts: "Texts"

    @property
    def here(self) -> Station | None:
        return next((station for station in self.stations if station.state == HERE), None)


def _wrap(text: str, chars: int) -> tuple[str, ...]:
    """Lines of at most `chars` characters; a French « ; » or « : » stays with the word before it."""
    text = str(text).replace(" ;", "\u00a0;").replace(" :", "\u00a0:")
    return tuple(textwrap.wrap(text, chars, break_long_words=False)) or ("",)


@dataclass(frozen=True)
class StepTexts:
    """A step's texts in one language, its title and note cut into the lines drawn."""

    title: str
    note: str
    title_lines: tuple[str, ...]
    note_lines: tuple[str, ...]
    otherwise: str


@dataclass(frozen=True)
class Texts:
    """Every text of the diagram in one language (gettext's lazy strings above, made plain)."""

    steps: dict[str, StepTexts]
    states: dict[str, str]
    legend: dict[str, str]
    phrases: dict[str, str]


@lru_cache(maxsize=8)
def texts(language: str | None) -> Texts:
    """The diagram's texts in `language` (the active one), cut into lines: gettext and textwrap once a
    process, not once a page (they were most of what is left of the diagram's time)."""
    steps = {
        step: StepTexts(
            str(TITLES[step]),
            str(NOTES[step]),
            _wrap(TITLES[step], TITLE_CHARS[step in MAIN]),
            _wrap(NOTES[step], NOTE_CHARS[step in MAIN]),
            str(OTHERWISE.get(step, "")),
        )
        for step in STEPS
    }
    return Texts(steps, _plain(STATE_WORDS), _plain(LEGEND), _plain(PHRASES))


def _plain(lazy: dict) -> dict[str, str]:
    return {key: str(text) for key, text in lazy.items()}


def _station(step: str, y: int, stage: Stage | None, number: int | None, words: StepTexts) -> Station:
    main = step in MAIN
    x = MAIN_X if main else BRANCH_X
    state = stage.steps[step].state if stage else TODO
    top = y
    y += 8
    if state == HERE:
        y += PILL_HEIGHT + 6  # the label « Vous êtes ici » above the title
    lines = []
    first_baseline = y + 14
    for text in words.title_lines:
        y += TITLE_LINE
        lines.append(Line(y - 5, text, "title"))
    y += 2
    for text in words.note_lines:
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


def _outline(at: dict[str, Station], stage: Stage | None, words: Texts) -> list[OutlineItem]:
    def item(step):
        station, step_words = at[step], words.steps[step]
        dates = stage.steps[step].lines if stage else ()
        state = station.state if stage else ""
        return OutlineItem(station.number, step_words.title, step_words.note, state, dates, words.states.get(state, ""))

    outline = []
    for step in MAIN:
        entry = item(step)
        entry.alternatives = [[item(alternative) for alternative in chain] for chain in ALTERNATIVES.get(step, ())]
        entry.otherwise = words.steps[step].otherwise
        outline.append(entry)
    return outline


def layout(stage: Stage | None = None) -> Diagram:
    words = texts(get_language())
    stations, y, number = [], 6, 0
    for step in STEPS:
        if step in MAIN:
            number += 1
        station = _station(step, y, stage, number if step in MAIN else None, words.steps[step])
        stations.append(station)
        y = station.bottom + (14 if step in MAIN else 10)
    at = {station.step: station for station in stations}
    return Diagram(WIDTH, y, stations, _paths(at), _outline(at, stage, words), stage, words)


# The markup, all of it, in the functions below. The diagram is drawn on every balance lookup: drawn
# by the template engine from the geometry (one variable node per attribute, nested includes) it cost
# 2.9 ms of CPU, built with format_html 1.2 ms; written as plain strings it costs about 0.15 ms. So
# numbers and path data (made above, digits and letters only) go in as they are, and every text,
# from gettext or from the register, goes through `esc` (html.escape, as Django's escape).
esc = html.escape
GREY, DARK = "#767676", "#4a4a4a"
LINE_STYLES = {
    "title": 'font-size="15" font-weight="700" fill="#1a1a1a"',
    "date": 'font-size="13" font-weight="700" fill="#1a1a1a"',
    "note": 'font-size="13" fill="#4a4a4a"',
}
ICONS = {  # the legend's pictures, by state
    DONE: '<circle cx="12" cy="12" r="9" fill="#1e6b32"/><path d="M7.5 12 l3 3 l6 -6.5" fill="none" stroke="#fff" '
    'stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/>',
    HERE: '<circle cx="12" cy="12" r="10" fill="#fff" stroke="#0b4f9c" stroke-width="2"/>'
    '<circle cx="12" cy="12" r="6" fill="#0b4f9c"/>',
    TODO: '<circle cx="12" cy="12" r="9" fill="#fff" stroke="#4a4a4a" stroke-width="2"/>',
    SKIPPED: '<circle cx="12" cy="12" r="9" fill="#fff" stroke="#767676" stroke-width="2" stroke-dasharray="3 3"/>',
}


def _disc(station: Station) -> str:
    """The station's disc: ticked when done, ringed « vous êtes ici », dashed when skipped, else numbered."""
    x, cy, r = station.x, station.cy, station.r
    if station.state == DONE:
        return (
            f'<circle cx="{x}" cy="{cy}" r="{r}" fill="#1e6b32" stroke="#1e6b32" stroke-width="2"/>\n'
            f'      <path d="{station.check}" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round" '
            f'stroke-linejoin="round"/>'
        )
    if station.state == HERE:
        return (
            f'<circle cx="{x}" cy="{cy}" r="{r + 3}" fill="#fff" stroke="#0b4f9c" stroke-width="2"/>\n'
            f'      <circle cx="{x}" cy="{cy}" r="{r - 2}" fill="#0b4f9c"/>'
        )
    if station.state == SKIPPED:
        return (
            f'<circle cx="{x}" cy="{cy}" r="{r}" fill="#fff" stroke="{GREY}" stroke-width="2" stroke-dasharray="3 3"/>'
        )
    disc = f'<circle cx="{x}" cy="{cy}" r="{r}" fill="#fff" stroke="{DARK}" stroke-width="2"/>'
    if station.number:
        disc += (
            f'\n      <text x="{x}" y="{cy + 4}" text-anchor="middle" font-size="11" font-weight="700" '
            f'fill="#1a1a1a">{station.number}</text>'
        )
    return disc


def _station_markup(station: Station) -> str:
    end = ""
    if station.end:
        colour = GREY if station.state == SKIPPED else DARK
        end = f'\n      <path d="{station.end_mark}" fill="none" stroke="{colour}" stroke-width="2"/>'
    lines = "".join(
        f'\n      <text x="{station.text_x}" y="{line.y}" class="pd-{line.kind}" {LINE_STYLES[line.kind]}>'
        f"{esc(line.text)}</text>"
        for line in station.lines
    )
    return (
        f'\n    <g class="pd-step pd-step--{station.state}" data-step="{station.step}">{end}\n'
        f"      {_disc(station)}{lines}\n    </g>"
    )


def _path_markup(path: Path) -> str:
    grey = ' class="pd-skipped" stroke-dasharray="4 4" stroke="#767676"' if path.skipped else ""
    arrow = ""
    if path.arrow:  # where the line joins the main line again
        arrow = f'<path d="{path.arrow}" stroke="{GREY}"/>' if path.skipped else f'<path d="{path.arrow}"/>'
    return f'\n      <path d="{path.d}"{grey}/>{arrow}'


def _here_markup(here: Station | None, label: str) -> str:
    """The frame around the step « vous êtes ici », and its label."""
    if here is None:
        return ""
    frame = here.frame
    return (
        f'\n    <rect class="pd-frame" x="{frame["x"]}" y="{frame["y"]}" width="{frame["width"]}" '
        f'height="{frame["height"]}" rx="6" fill="#eef4fb" stroke="#0b4f9c" stroke-width="2"/>\n'
        f'    <g class="pd-here-label">\n'
        f'      <rect x="{here.text_x}" y="{here.pill_y}" width="104" height="20" rx="10" fill="#0b4f9c"/>\n'
        f'      <text x="{here.text_x + 52}" y="{here.pill_y + 14}" text-anchor="middle" font-size="12.5" '
        f'font-weight="700" fill="#fff">{esc(label)}</text>\n'
        f"    </g>"
    )


def _item_markup(item: OutlineItem) -> str:
    """One step of the text equivalent: « <strong>title</strong> (state) : note Date. »"""
    state = f" ({esc(item.state_words)})" if item.state_words else ""
    dates = "".join(f" {esc(capfirst(date))}." for date in item.dates)
    return f"<strong>{esc(item.title)}</strong>{state} : {esc(item.note)}{dates}"


def _outline_markup(outline: list[OutlineItem], phrases: dict[str, str]) -> str:
    """The ordered list that says the picture in words, with the alternatives after their step."""
    then = f" {esc(phrases['then'])} "
    entries = []
    for item in outline:
        alternatives = ""
        if item.alternatives:
            chains = "".join(
                f"\n        <li>{then.join(_item_markup(step) for step in chain)}</li>" for chain in item.alternatives
            )
            alternatives = (
                f"\n      {esc(phrases['next'])}\n      <ul>{chains}\n"
                f"        <li>{esc(item.otherwise)}</li>\n      </ul>"
            )
        entries.append(f"\n    <li>{_item_markup(item)}{alternatives}\n    </li>")
    return "".join(entries)


def _legend_markup(legend: dict[str, str]) -> str:
    items = "".join(
        f'\n    <li><svg viewBox="0 0 24 24" width="20" height="20">{ICONS[state]}</svg>{esc(legend[state])}</li>'
        for state in (DONE, HERE, TODO, SKIPPED)
    )
    return f'\n  <ul class="procedure-legend" aria-hidden="true">{items}\n  </ul>'


def render(diagram: Diagram) -> SafeString:
    """The diagram's HTML: the SVG picture, its text equivalent and, for a stage, the legend."""
    width, height, words = diagram.width, diagram.height, diagram.texts
    paths = "".join(_path_markup(path) for path in diagram.paths)
    stations = "".join(_station_markup(station) for station in diagram.stations)
    here = _here_markup(diagram.here, words.phrases["here"])
    return mark_safe(  # noqa: S308 - every text in it is escaped
        f'<div class="procedure-diagram{" procedure-diagram--stage" if diagram.stage else ""}">\n'
        f'  <svg role="img" aria-labelledby="procedure-diagram-title" aria-describedby="procedure-diagram-desc"\n'
        f'       viewBox="0 0 {width} {height}" width="{width}" height="{height}"\n'
        f'       xmlns="http://www.w3.org/2000/svg" '
        f"font-family=\"system-ui, -apple-system, 'Segoe UI', Arial, sans-serif\">\n"
        f'    <title id="procedure-diagram-title">{esc(words.phrases["title"])}</title>\n'
        f'    <desc id="procedure-diagram-desc">{esc(intro(diagram))}</desc>{here}\n'
        f'    <g class="pd-lines" fill="none" stroke="#4a4a4a" stroke-width="2">{paths}\n'
        f"    </g>{stations}\n"
        f"  </svg>\n"
        f'  <ol class="visually-hidden">{_outline_markup(diagram.outline, words.phrases)}\n'
        f"  </ol>{_legend_markup(words.legend) if diagram.stage else ''}\n"
        f"</div>"
    )


@register.simple_tag
def procedure_diagram(stage: Stage | None = None) -> SafeString:
    """`{% procedure_diagram stage %}`; `stage` may be missing: the generic diagram."""
    return render(layout(stage or None))


def intro(diagram: Diagram) -> str:
    """The description of the picture (its <desc>): where the poursuite stands, then the shape."""
    phrases, here = diagram.texts.phrases, diagram.here
    if here is None:
        return phrases["shape"]
    return phrases["here_shape"] % {"step": diagram.texts.steps[here.step].title, "shape": phrases["shape"]}
