"""The public balance lookup: find a poursuite or ADB by number and key letter, and say what
is payable on the planned date. It never exposes who the parties are."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from .balance import Balance, adb_balance, poursuite_balance
from .constants import ADBState, PoursuiteStatus
from .models import ActeDefautBiens, Poursuite
from .numbers import is_valid

NOT_PAYABLE_REASONS = {
    PoursuiteStatus.RETIREE: _("Cette poursuite a été retirée par le créancier : aucun montant n'est à payer."),
    PoursuiteStatus.ANNULEE: _("Cette poursuite a été annulée : aucun montant n'est à payer."),
    PoursuiteStatus.ADB_DELIVRE: _(
        "Cette poursuite s'est terminée par un acte de défaut de biens : "
        "consultez le solde de l'acte de défaut de biens n° %(adb)s."
    ),
}


@dataclass(frozen=True)
class LookupResult:
    dossier: Poursuite | ActeDefautBiens
    on: date
    balance: Balance | None
    reason: str = ""

    @property
    def is_adb(self) -> bool:
        return isinstance(self.dossier, ActeDefautBiens)

    @property
    def is_payable(self) -> bool:
        return self.balance is not None and self.balance.total > 0


def find_dossier(number: int, letter: str) -> Poursuite | ActeDefautBiens | None:
    if not is_valid(number, letter):
        return None
    poursuite = (
        Poursuite.objects.filter(number=number)
        .only("number", "status", "kind", "claim_amount")
        .prefetch_related("claims", "fees", "payments", "actes_defaut_biens")
        .first()
    )
    if poursuite:
        return poursuite
    return ActeDefautBiens.objects.filter(number=number).prefetch_related("payments").first()


def lookup(number: int, letter: str, on: date) -> LookupResult | None:
    dossier = find_dossier(number, letter)
    if dossier is None:
        return None
    if isinstance(dossier, ActeDefautBiens):
        if dossier.state == ADBState.RADIE:
            return LookupResult(dossier, on, None, _("Cet acte de défaut de biens a été radié."))
        return LookupResult(dossier, on, adb_balance(dossier, on))
    reason = NOT_PAYABLE_REASONS.get(dossier.status)
    if reason:
        adbs = list(dossier.actes_defaut_biens.all())
        return LookupResult(dossier, on, None, reason % {"adb": adbs[-1].reference} if adbs else reason)
    return LookupResult(dossier, on, poursuite_balance(dossier, on))
