"""Is the debtor's domicile in the canton of Geneva, where this office may serve the poursuite?

The for of the poursuite is the debtor's domicile or seat (art. 46 LP); the online form only
makes réquisitions for the Office cantonal des poursuites de Genève.
"""

# NPA of the canton: 1200-1259, and the few of 1260-1299 that are not in Vaud.
GENEVA_POSTAL_CODES = frozenset(range(1200, 1260)) | {1281, 1283, 1284, 1285, 1286, 1287, 1288, 1290, 1293, 1294, 1298}
# Where a creditor makes a réquisition for any other office of Switzerland.
FEDERAL_PORTAL_URL = "https://www.portaildespoursuites.ch/"
# The federal forms for the creditor's requests, « Réquisition de poursuite » among them, published by the
# Service de haute surveillance LP of the Office fédéral de la justice (art. 3 al. 1bis Oform): for the
# kinds of poursuite the online form does not make.
FEDERAL_FORMS_URL = "https://www.bj.admin.ch/bj/fr/home/wirtschaft/schkg/formulare.html"


def is_in_geneva(*, country: str, postal_code: str) -> bool:
    code = postal_code.strip()
    return country.upper() == "CH" and code.isdigit() and int(code) in GENEVA_POSTAL_CODES
