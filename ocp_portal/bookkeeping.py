"""Bookkeeping shared by the dossiers that take money: a poursuite, an ADB, a penal order.

Each domain keeps its own law (which dossier may be paid, when, what settling it changes); the rule
that money is recorded once per external reference lives here, in one place.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

Dossier = TypeVar("Dossier", bound=models.Model)
Line = TypeVar("Line", bound=models.Model)


@transaction.atomic
def record_money_once(
    *,
    lock: Callable[[], Dossier],
    lines: models.QuerySet,
    belongs_to: Callable[[Line, Dossier], bool],
    amount: Decimal,
    source: str,
    external_reference: str,
    record: Callable[[Dossier], Line],
) -> Line:
    """Record money received once per (source, external reference).

    `lock()` takes the dossier's row lock first; only then is the reference looked up, so that a
    replay waiting on the lock sees the line its twin has just written. A true replay (same dossier,
    same amount) returns that line; a reference already used for other money is refused. `record`
    applies the domain's own law to the locked dossier and returns the new line.
    """
    dossier = lock()
    if external_reference:
        existing = lines.filter(source=source, external_reference=external_reference).first()
        if existing is not None:
            if belongs_to(existing, dossier) and existing.amount == amount:
                return existing  # the same money reported again
            raise _reused(external_reference)
    try:
        with transaction.atomic():
            return record(dossier)
    except IntegrityError:  # the same reference recorded at the same moment for another dossier
        if external_reference and lines.filter(source=source, external_reference=external_reference).exists():
            raise _reused(external_reference) from None
        raise


def _reused(reference: str) -> ValidationError:
    return ValidationError(
        _("La référence %(reference)s est déjà enregistrée pour un autre paiement."),
        code="reference_reused",
        params={"reference": reference},
    )
