"""Reads of the register for the other apps (the extract), built on the register's own rules:
the inclusion rule of `Poursuite.objects.visible_to_third_parties` and the balance of `balance.py`."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from ocp_portal.money import ZERO

from .balance import adb_balance
from .constants import ADBState
from .models import ActeDefautBiens, Poursuite


def poursuites_shown_to_third_parties(debtor_ids: Iterable[int], on: date) -> QuerySet[Poursuite]:
    """The debtors' poursuites a third party sees on `on` (art. 8a LP), oldest first, creditors loaded."""
    return (
        Poursuite.objects.visible_to_third_parties(on)
        .filter(debtor_id__in=debtor_ids)
        .select_related("creditor")
        .order_by("requisition_date", "number")
    )


@dataclass(frozen=True)
class OpenADB:
    """The debtors' open ADB and what is still due on them (no interest, art. 149 al. 4 LP)."""

    count: int
    due: Decimal


def open_adb(debtor_ids: Iterable[int], on: date) -> OpenADB:
    """In two queries, whatever the number of ADB: the ADB, then their payments."""
    adbs = ActeDefautBiens.objects.filter(poursuite__debtor_id__in=debtor_ids, state=ADBState.OUVERT)
    adbs = list(adbs.prefetch_related("payments"))
    return OpenADB(count=len(adbs), due=sum((adb_balance(adb, on).total for adb in adbs), ZERO))
