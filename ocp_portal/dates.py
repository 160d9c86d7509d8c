"""Legal deadlines: local calendar dates, moved to the next working day (art. 31 LP)."""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=32)
def _geneva_holidays(year: int):
    return holidays.Switzerland(subdiv="GE", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _geneva_holidays(day.year)


def next_working_day(day: date) -> date:
    """The day itself when it is a working day, else the next one."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def deadline(start: date, days: int) -> date:
    """Last day of a deadline of `days` days running from the day after `start` (art. 31 LP)."""
    return next_working_day(start + timedelta(days=days))


def today() -> date:
    """Today in Geneva (Europe/Zurich), not in UTC."""
    return timezone.localdate()
