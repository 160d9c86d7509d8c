"""The penal order's deadlines and the states in which each thing may happen."""

from datetime import date

from ocp_portal.dates import deadline

from .constants import OPPOSITION_DAYS, PAYMENT_DAYS, REVISION_DAYS, EtatOrdonnance

S = EtatOrdonnance

# Money is asked for (online, by QR-bill, at the guichet) only in these states.
PAYABLE = frozenset({S.NOTIFIEE, S.EN_RAPPEL, S.MISE_EN_DEMEURE})
# The recovery steps run only from these states; an opposition suspends them.
IN_RECOVERY = PAYABLE
CLOSED = frozenset({S.CLASSEE, S.PAYEE, S.CONVERTIE})


def payment_deadline(start: date) -> date:
    """30 days from notification (or from the judgment), then the next working day (seeds 002, 003)."""
    return deadline(start, PAYMENT_DAYS)


def opposition_deadline(notified_on: date) -> date:
    """10 days from notification (art. 354 CPP, seed 002); the next working day if it ends on a holiday."""
    return deadline(notified_on, OPPOSITION_DAYS)


def revision_deadline(notified_on: date) -> date:
    """10 days from notification to ask for a lower fine (seed 003)."""
    return deadline(notified_on, REVISION_DAYS)
