"""Calendar arithmetic for `ingest.times`: placing a date written without its year (or month) in time.

News reports the past, so by default (`past=True`) a date written without a year is the latest such date not
after the publication date `base`. Announcements (`past=False`) keep the base's year or month unless that
would put the date far in the past (over half a year for a month and day, over half a month for a day alone).

Example:
    >>> import datetime as dt
    >>> place_month_day(12, 31, dt.date(2022, 1, 2), past=True)
    (2021, 12, 31)
    >>> place_day(30, dt.date(2022, 10, 2), past=True)
    (2022, 9, 30)
"""

from __future__ import annotations

import calendar
import datetime as dt

FORWARD_SLACK_DAYS = 183  # past=False: a month-day more than this before base is next year's
FORWARD_SLACK_DAY_ONLY = 15  # past=False: a bare day more than this before base is next month's
CENTURY_LOOKAHEAD = 10  # two-digit years up to base year + 10 are 20xx, later ones 19xx

YMD = tuple[int, int, int | None]  # a day that may be invalid: (year, month, day or None when invalid)


def days_in_month(year: int, month: int) -> int:
    """Number of days of a month."""
    return calendar.monthrange(year, month)[1]


def shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    """The month `by` months after (before, if negative) `year`-`month`."""
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def valid_day(year: int, month: int, day: int) -> bool:
    """True when the day exists (no 2月30日)."""
    return 1 <= month <= 12 and 1 <= day <= days_in_month(year, month)


def full_year(two_digits: int, base: dt.date | None) -> int:
    """`98年` → 1998, `15年` → 2015: the century that keeps the year at most a decade after base."""
    reference = (base or dt.date.today()).year
    year = 2000 + two_digits
    return year if year <= reference + CENTURY_LOOKAHEAD else year - 100


def place_month_day(month: int, day: int, base: dt.date, *, past: bool) -> YMD:
    """The year of a date written as month and day, against the publication date."""
    year = base.year
    if past:
        if (month, day) > (base.month, base.day):
            year -= 1
    elif valid_day(year, month, day) and (base - dt.date(year, month, day)).days > FORWARD_SLACK_DAYS:
        year += 1
    return (year, month, day if valid_day(year, month, day) else None)


def place_day(day: int, base: dt.date, *, past: bool) -> YMD:
    """The month of a date written as a day alone (`30日`, `当地时间19日`)."""
    year, month = base.year, base.month
    if past:
        if day > base.day:
            year, month = shift_month(year, month, -1)
        for _ in range(2):  # 31日 early in a month after a 30-day month: step back until the day exists
            if valid_day(year, month, day):
                break
            year, month = shift_month(year, month, -1)
    elif valid_day(year, month, day) and (base - dt.date(year, month, day)).days > FORWARD_SLACK_DAY_ONLY:
        year, month = shift_month(year, month, 1)
    return (year, month, day if valid_day(year, month, day) else None)


def place_month(month: int, base: dt.date, *, past: bool) -> tuple[int, int]:
    """The year of a month written without one (`3月`)."""
    year = base.year
    if past and month > base.month:
        year -= 1
    elif not past and (base.month - month) > 6:
        year += 1
    return year, month


def week_monday(base: dt.date, weeks: int = 0) -> dt.date:
    """The Monday of base's week (weeks run Monday to Sunday), moved by `weeks` weeks."""
    return base - dt.timedelta(days=base.weekday()) + dt.timedelta(weeks=weeks)


def place_weekday(weekday: int, base: dt.date, week_offset: int | None, *, past: bool) -> dt.date:
    """`上周三` (week_offset -1), `周五` (None: the nearest one, not after base when past)."""
    if week_offset is not None:
        return week_monday(base, week_offset) + dt.timedelta(days=weekday)
    delta = weekday - base.weekday()
    if past:
        return base + dt.timedelta(days=delta if delta <= 0 else delta - 7)
    return base + dt.timedelta(days=delta if delta >= 0 else delta + 7)


def later_than(a: YMD, b: YMD) -> bool:
    """Compare two (year, month, day-or-None) triples, a missing day counting as the month's first."""
    return (a[0], a[1], a[2] or 1) > (b[0], b[1], b[2] or 1)
