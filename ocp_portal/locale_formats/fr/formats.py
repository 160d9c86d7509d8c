"""How Django itself writes and reads dates and numbers for `fr` and `fr-ch`: as the portal does
(ocp_portal.formats), `30.11.2026` and `1234.50`, instead of Django's French `30 novembre 2026` and
`1234,50`. Amounts with their currency and thousands go through `format_chf` (`CHF 1'234.50`)."""

DATE_FORMAT = "d.m.Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d.m.Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# Typed dates are Swiss; ISO stays accepted, since <input type="date"> submits it.
DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # 30.11.2026
    "%d.%m.%y",  # 30.11.26
    "%Y-%m-%d",  # 2026-11-30
    "%d/%m/%Y",  # 30/11/2026
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S.%f",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",  # <input type="datetime-local">
    "%d.%m.%Y",
    "%Y-%m-%d",
]

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = "'"
NUMBER_GROUPING = 3
