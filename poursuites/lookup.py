"""The public balance lookup: find a poursuite or ADB by number and key letter, and say what
is payable on the planned date. It never exposes who the parties are."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext_lazy as _

from ocp_portal.money import chf
from paiements.qrbill import MAX_AMOUNT as QR_BILL_MAX_AMOUNT

from .balance import Balance, adb_balance, poursuite_balance
from .constants import ADBState, PoursuiteStatus
from .models import ActeDefautBiens, Claim, FeeLine, PaymentLine, Poursuite, PoursuiteEvent
from .numbers import is_valid

NOT_PAYABLE_REASONS = {
    PoursuiteStatus.RETIREE: _("Cette poursuite a été retirée par le créancier : aucun montant n'est à payer."),
    PoursuiteStatus.ANNULEE: _("Cette poursuite a été annulée : aucun montant n'est à payer."),
    PoursuiteStatus.ADB_DELIVRE: _(
        "Cette poursuite s'est terminée par un acte de défaut de biens : "
        "consultez le solde de l'acte de défaut de biens n° %(adb)s."
    ),
}
STATUS_LABELS = dict(PoursuiteStatus.choices)


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

    @property
    def fits_a_qr_bill(self) -> bool:
        return self.is_payable and self.balance.total <= QR_BILL_MAX_AMOUNT

    @property
    def status_label(self) -> str:
        """The poursuite's status in words; not get_status_display(), which translates every choice
        to hash it, at each call (80 us, on the hot path)."""
        return STATUS_LABELS.get(self.dossier.status, self.dossier.status)


# The public lookup is the hot path (see `make bench`): the dossier and every line its balance
# needs come back in one round trip instead of one query and four prefetches.
DOSSIER_SQL = """
WITH p AS (SELECT id, number, kind, status, claim_amount, notification_date
           FROM poursuites_poursuite WHERE number = %(n)s),
     a AS (SELECT id, number, state, amount, issued_on, poursuite_id FROM poursuites_actedefautbiens
           WHERE number = %(n)s OR poursuite_id = (SELECT id FROM p))
SELECT 'P', id, number, kind, status, claim_amount, NULL, notification_date FROM p
UNION ALL SELECT 'C', poursuite_id, position, NULL, NULL, amount, interest_rate, interest_from
          FROM poursuites_claim WHERE poursuite_id = (SELECT id FROM p)
UNION ALL SELECT 'F', poursuite_id, NULL, NULL, NULL, amount, NULL, date
          FROM poursuites_feeline WHERE poursuite_id = (SELECT id FROM p)
UNION ALL SELECT 'Y', poursuite_id, NULL, NULL, NULL, amount, NULL, date
          FROM poursuites_paymentline WHERE poursuite_id = (SELECT id FROM p)
UNION ALL SELECT 'A', id, number, NULL, state, amount, poursuite_id, issued_on FROM a
UNION ALL SELECT 'Z', adb_id, NULL, NULL, NULL, amount, NULL, date
          FROM poursuites_paymentline WHERE adb_id = (SELECT id FROM a WHERE number = %(n)s)
UNION ALL SELECT 'E', poursuite_id, id, type, NULL, amount, CASE WHEN late THEN 1 ELSE 0 END, date
          FROM poursuites_poursuiteevent
          WHERE poursuite_id = COALESCE((SELECT id FROM p), (SELECT poursuite_id FROM a WHERE number = %(n)s))
"""


def _decimal(value):  # SQLite hands NUMERIC columns back as int or float
    return value if value is None or isinstance(value, Decimal) else Decimal(str(value))


def _date(value):  # and dates as text
    return date.fromisoformat(value) if isinstance(value, str) else value


def find_dossier(number: int, letter: str) -> Poursuite | ActeDefautBiens | None:
    """The poursuite or ADB with this number, its lines prefetched (only what the balance and
    the lookup page read: the parties are not loaded). An ADB comes with its poursuite reduced to
    the steps of its procedure (`adb.poursuite.events`), for the diagram of the procedure."""
    if not is_valid(number, letter):
        return None
    with connection.cursor() as cursor:
        cursor.execute(DOSSIER_SQL, {"n": number})
        rows = cursor.fetchall()
    poursuite, lines = None, {"C": [], "F": [], "Y": [], "A": [], "Z": [], "E": []}
    for tag, pk, num, kind, status, amount, rate, day in rows:
        amount, day = (None if amount is None else chf(amount)), _date(day)  # an event may have no amount
        if tag == "P":
            poursuite = Poursuite(
                id=pk, number=num, kind=kind, status=status, claim_amount=amount, notification_date=day
            )
        elif tag == "C":
            lines[tag].append(
                Claim(poursuite_id=pk, position=num, amount=amount, interest_rate=_decimal(rate), interest_from=day)
            )
        elif tag == "F":
            lines[tag].append(FeeLine(poursuite_id=pk, amount=amount, date=day))
        elif tag == "A":  # the column of interest rates carries the ADB's poursuite
            adb = ActeDefautBiens(id=pk, number=num, state=status, amount=amount, issued_on=day)
            adb.poursuite_id = int(rate)
            lines[tag].append(adb)
        elif tag == "E":  # the column of interest rates carries `late`
            lines[tag].append(
                PoursuiteEvent(id=num, poursuite_id=pk, type=kind, amount=amount, late=bool(rate), date=day)
            )
        else:
            lines[tag].append(
                PaymentLine(
                    poursuite_id=pk if tag == "Y" else None, adb_id=pk if tag == "Z" else None, amount=amount, date=day
                )
            )
    events = sorted(lines["E"], key=lambda event: (event.date, event.id))
    if poursuite is not None:
        poursuite._prefetched_objects_cache = {
            "claims": sorted(lines["C"], key=lambda claim: claim.position),
            "fees": lines["F"],
            "payments": lines["Y"],
            "actes_defaut_biens": sorted(lines["A"], key=lambda adb: -adb.number),
            "events": events,
        }
        return poursuite
    adb = next((adb for adb in lines["A"] if adb.number == number), None)
    if adb is not None:
        adb._prefetched_objects_cache = {"payments": lines["Z"]}
        adb.poursuite = Poursuite(id=adb.poursuite_id)
        adb.poursuite._prefetched_objects_cache = {"events": events}
    return adb


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
