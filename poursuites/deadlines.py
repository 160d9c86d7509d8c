"""The end of a deadline of the LP: art. 31 moves it past a weekend or a Geneva public holiday, and
art. 63 extends one that then falls in the féries (art. 56 ch. 2: seven days before and after Easter
and Christmas, 15 to 31 July) to the third working day after them. The féries stop no deadline from
running; only its end moves."""

from datetime import date, timedelta

from dateutil.easter import easter

from ocp_portal.dates import is_working_day, next_working_day

FERIES_DAYS = 7  # before and after Easter and Christmas (art. 56 ch. 2 LP)
WORKING_DAYS_AFTER_FERIES = 3  # art. 63 LP


def feries_around(day: date) -> tuple[date, date] | None:
    """The féries (first and last day) that `day` falls in, if any."""
    days, year = timedelta(days=FERIES_DAYS), day.year
    periods = (
        (date(year - 1, 12, 25) - days, date(year - 1, 12, 25) + days),  # ends on 1 January
        (easter(year) - days, easter(year) + days),
        (date(year, 7, 15), date(year, 7, 31)),
        (date(year, 12, 25) - days, date(year, 12, 25) + days),
    )
    return next(((first, last) for first, last in periods if first <= day <= last), None)


def lp_end(day: date) -> date:
    """Where a deadline of the LP that would end on `day` really ends (art. 31 and 63 LP): in the
    féries, or moved into them past a weekend or holiday, it runs to their third working day after."""
    moved = next_working_day(day)
    feries = feries_around(day) or feries_around(moved)
    if feries is None:
        return moved
    end, counted = feries[1], 0
    while counted < WORKING_DAYS_AFTER_FERIES:
        end += timedelta(days=1)
        counted += is_working_day(end)
    return end


def lp_deadline(start: date, days: int) -> date:
    """Last day of a deadline of `days` days of the LP running from the day after `start`."""
    return lp_end(start + timedelta(days=days))
