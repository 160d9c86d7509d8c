"""The minimum vital (minimum d'existence): what the office leaves a debtor of their income (art. 93 LP).

The office sets it at the saisie from the normes d'insaisissabilité of the Chambre de surveillance
(seed 004): a monthly base amount by household, an amount per child by age, and supplements whose
payment is proven (rent or mortgage interest, health insurance, professional costs, alimony paid,
children's training). Taxes are not counted. The portal's calculator gives an *estimate*, never a
decision.

The figures are data, not code: the setting ``MINIMUM_VITAL_NORMS`` (``ocp_portal/settings.py``)
holds them with their source and the date from which they apply, and is their only place. The
office updates them there when a new edition comes into force; ``manage.py check`` (so every
``migrate`` and ``runserver``) refuses figures this module cannot read (check ``poursuites.E001``).

    MINIMUM_VITAL_NORMS = {
        "source": "Normes d'insaisissabilité ...",
        "valid_from": "2026-01-01",                  # a date or an ISO date string
        "base": {"seul": "1200", "monoparental": "1350", "couple": "1700"},
        "child_under_10": "400",                     # per child, monthly
        "child_10_or_over": "600",
    }

Amounts are strings, integers or Decimals (never floats), in francs, at most 2 decimals, above zero.
"""

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocp_portal.money import ZERO, chf


class Household(models.TextChoices):
    SEUL = "seul", _("Personne vivant seule")
    MONOPARENTAL = "monoparental", _("Parent vivant seul avec un ou plusieurs enfants (monoparental)")
    COUPLE = "couple", _("Couple marié, partenariat enregistré ou couple avec enfants")


# The wording of the normes, for the base amount of each household.
BASE_LABELS = {
    Household.SEUL: _("Base mensuelle pour un débiteur vivant seul"),
    Household.MONOPARENTAL: _("Base mensuelle pour un débiteur monoparental"),
    Household.COUPLE: _(
        "Base mensuelle pour un couple marié, deux personnes en partenariat enregistré ou un couple avec des enfants"
    ),
}
CHILD_UNDER_10_LABEL = _("Entretien des enfants de moins de 10 ans")
CHILD_10_OR_OVER_LABEL = _("Entretien des enfants de 10 ans et plus")

# The supplements of the normes, in their order: (field of Situation, label).
SUPPLEMENTS = (
    ("rent", _("Loyer ou intérêts hypothécaires")),
    ("health_insurance", _("Assurance maladie")),
    ("professional_costs", _("Dépenses indispensables à l'exercice d'une profession")),
    ("alimony", _("Pensions alimentaires versées")),
    ("training_costs", _("Frais de formation des enfants")),
)


# --- The figures -----------------------------------------------------------------------------


class NormsError(ValueError):
    """The configured figures cannot be read; `problems` says each fault, for the system check."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Norms:
    """The figures of the normes d'insaisissabilité in force: monthly amounts in CHF."""

    source: str
    valid_from: date
    base: Mapping[str, Decimal]  # by Household value
    child_under_10: Decimal
    child_10_or_over: Decimal

    @property
    def base_rows(self) -> list[tuple[str, Decimal, bool]]:
        """(label, amount, per child) of each household, then of each child, as the normes list them."""
        rows = [(BASE_LABELS[household], self.base[household], False) for household in Household]
        children = [
            (CHILD_UNDER_10_LABEL, self.child_under_10, True),
            (CHILD_10_OR_OVER_LABEL, self.child_10_or_over, True),
        ]
        return rows + children


def _amount(value, name: str, problems: list[str]) -> Decimal:
    if isinstance(value, (float, bool)):
        problems.append(f"{name}: write the amount as a string or an integer, not {value!r}")
        return ZERO
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        problems.append(f"{name}: {value!r} is not an amount in francs")
        return ZERO
    if not amount.is_finite() or amount <= 0:
        problems.append(f"{name}: {value!r} must be an amount above zero")
        return ZERO
    if amount != chf(amount):
        problems.append(f"{name}: {value!r} has more than 2 decimals")
    return chf(amount)


def parse_norms(raw) -> Norms:
    """The figures of `raw` (the shape of MINIMUM_VITAL_NORMS) as Norms; NormsError lists every fault."""
    if not isinstance(raw, Mapping):
        raise NormsError([f"MINIMUM_VITAL_NORMS must be a dict, not {type(raw).__name__}"])
    problems: list[str] = []
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        problems.append("source: name the edition of the normes d'insaisissabilité the figures come from")
        source = ""
    valid_from = raw.get("valid_from")
    if isinstance(valid_from, str):
        with contextlib.suppress(ValueError):
            valid_from = date.fromisoformat(valid_from)
    if not isinstance(valid_from, date):
        problems.append(f"valid_from: {raw.get('valid_from')!r} is not a date (write it as 2026-01-01)")
        valid_from = date.min
    base_raw = raw.get("base")
    base = {}
    if not isinstance(base_raw, Mapping):
        problems.append(f"base: a dict of the households {', '.join(Household.values)} is needed")
    else:
        missing = [household for household in Household.values if household not in base_raw]
        unknown = [str(key) for key in base_raw if key not in Household.values]
        if missing:
            problems.append(f"base: the amount of {', '.join(missing)} is missing")
        if unknown:
            problems.append(f"base: unknown household {', '.join(unknown)} (known: {', '.join(Household.values)})")
        base = {
            Household(household): _amount(base_raw[household], f"base.{household}", problems)
            for household in Household.values
            if household in base_raw
        }
    child_under_10 = _amount(raw.get("child_under_10"), "child_under_10", problems)
    child_10_or_over = _amount(raw.get("child_10_or_over"), "child_10_or_over", problems)
    if problems:
        raise NormsError(problems)
    return Norms(source.strip(), valid_from, base, child_under_10, child_10_or_over)


def configured_norms() -> Norms:
    """The figures in force, from the setting; the system check has refused bad ones at start-up."""
    try:
        return parse_norms(getattr(settings, "MINIMUM_VITAL_NORMS", None))
    except NormsError as error:
        raise ImproperlyConfigured(f"MINIMUM_VITAL_NORMS: {error}") from error


# --- The estimate ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Situation:
    """What the debtor says of their household, monthly amounts in CHF. `net_income` is optional."""

    household: str
    children_under_10: int = 0
    children_10_or_over: int = 0
    rent: Decimal = ZERO
    health_insurance: Decimal = ZERO
    professional_costs: Decimal = ZERO
    alimony: Decimal = ZERO
    training_costs: Decimal = ZERO
    net_income: Decimal | None = None

    @property
    def children(self) -> int:
        return self.children_under_10 + self.children_10_or_over

    @property
    def household_label(self) -> str:
        return Household(self.household).label


@dataclass(frozen=True)
class Line:
    """One line of the estimate; `count` × `unit` for the children's amounts."""

    label: str
    amount: Decimal
    count: int | None = None
    unit: Decimal | None = None


@dataclass(frozen=True)
class Estimate:
    situation: Situation
    norms: Norms
    base_lines: tuple[Line, ...]
    supplement_lines: tuple[Line, ...]
    base_total: Decimal
    supplements_total: Decimal
    total: Decimal  # the minimum vital
    seizable: Decimal | None  # income above the minimum vital, never below 0; None without an income

    @property
    def lines(self) -> tuple[Line, ...]:
        return self.base_lines + self.supplement_lines

    @property
    def net_income(self) -> Decimal | None:
        return self.situation.net_income


def household_contradiction(household: str, children_under_10: int, children_10_or_over: int) -> str | None:
    """Why the household and the number of children do not go together, in French; None if they do."""
    children = children_under_10 + children_10_or_over
    if household == Household.SEUL and children:
        return _(
            "Vous avez indiqué des enfants à charge : une personne qui vit seule avec ses enfants est un ménage "
            "monoparental. Choisissez « %(label)s »."
        ) % {"label": Household.MONOPARENTAL.label}
    if household == Household.MONOPARENTAL and not children:
        return _(
            "Un ménage monoparental compte au moins un enfant à charge : indiquez le nombre d'enfants, ou "
            "choisissez « %(label)s »."
        ) % {"label": Household.SEUL.label}
    return None


def estimate(situation: Situation, norms: Norms | None = None) -> Estimate:
    """The minimum vital of `situation` by the normes (the configured ones unless given), line by line,
    and the part of the income above it. ValueError (French) for a situation that does not hold together."""
    norms = norms or configured_norms()
    household = Household(situation.household)
    if situation.children_under_10 < 0 or situation.children_10_or_over < 0:
        raise ValueError(_("Le nombre d'enfants ne peut pas être négatif."))
    if problem := household_contradiction(household, situation.children_under_10, situation.children_10_or_over):
        raise ValueError(problem)
    amounts = [getattr(situation, name) for name, _label in SUPPLEMENTS]
    if situation.net_income is not None:
        amounts.append(situation.net_income)
    if any(amount < 0 for amount in amounts):
        raise ValueError(_("Un montant ne peut pas être négatif."))

    base_lines = [Line(BASE_LABELS[household], norms.base[household])]
    for count, unit, label in (
        (situation.children_under_10, norms.child_under_10, CHILD_UNDER_10_LABEL),
        (situation.children_10_or_over, norms.child_10_or_over, CHILD_10_OR_OVER_LABEL),
    ):
        if count:
            base_lines.append(Line(label, chf(unit * count), count=count, unit=unit))
    supplement_lines = [Line(label, chf(getattr(situation, name))) for name, label in SUPPLEMENTS]
    base_total = sum((line.amount for line in base_lines), ZERO)
    supplements_total = sum((line.amount for line in supplement_lines), ZERO)
    total = base_total + supplements_total
    seizable = None if situation.net_income is None else max(ZERO, chf(situation.net_income) - total)
    return Estimate(
        situation=situation,
        norms=norms,
        base_lines=tuple(base_lines),
        supplement_lines=tuple(supplement_lines),
        base_total=base_total,
        supplements_total=supplements_total,
        total=total,
        seizable=seizable,
    )
