"""Chinese time expressions → normalized dates, against an article's publication date.

`find_times` reads every time expression of a text (`2021 年 12 月 31 日上午`, `26日上午`, `1月2日至3日`,
`昨天下午3时`, `上周`, `近日`, `到2023年`) and gives each its date at the coarsest sure precision:
`"YYYY-MM-DD"`, `"YYYY-MM"` or `"YYYY"`, plus the last day of a range, the part of the day and the clock.

Rules (../shared/design/EVAL.md): a date written without a year is never later than the publication date
`base` when `past=True` (news reports the past); `past=False` lets announced dates fall after it. Vague words
(近日, 日前, 连日来, 近期, 前不久) give base's month with `vague=True`; the caller may coarsen further.
`当天`/`次日`/`同月` and a bare `9时57分` refer to the previous date in the text that is not after base
(else to base). Without base, a yearless date takes its year (and month) from the previous date.
An impossible day (`2月30日`) keeps its month, with precision "month".

Example:
    >>> import datetime as dt
    >>> [t.date for t in find_times("26日上午，会议决定于10月31日至11月2日召开", dt.date(2022, 9, 26))]
    ['2022-09-26', '2021-10-31']
    >>> parse_time("10月31日至11月2日", dt.date(2022, 9, 26), past=False).end_date
    '2022-11-02'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ingest.times_calendar import (
    YMD,
    full_year,
    later_than,
    place_day,
    place_month,
    place_month_day,
    place_weekday,
    shift_month,
    valid_day,
    week_monday,
)
from ingest.times_lexicon import FOLD, LATE_NIGHT, LOOSE_YEAR_RE, PM_PARTS, RANGE_GAP_RE, cn_number
from ingest.times_parts import CLOCK, POD, Parts, scan_parts

PAGE_DATE_LOOKAHEAD_DAYS = 7  # infer_page_date: a yearless date this soon after the latest full date wins


@dataclass
class TimeExpr:
    """One time expression found in a text, normalized."""

    text: str
    start: int  # span in the input text: text == input[start:end]
    end: int
    date: str | None  # "YYYY-MM-DD" | "YYYY-MM" | "YYYY" (coarsest sure precision); None if unanchored
    end_date: str | None  # last day/month/year of a range, else None
    precision: str | None  # "day" | "month" | "year"
    part_of_day: str | None  # morning | noon | afternoon | evening | night
    clock: str | None = None  # "14:30" ("14:30:05" when seconds are written)
    vague: bool = False  # 近日, 日前, 连日来, 近期, 前不久, 上周: somewhere in date..end_date
    clock_precision: str | None = None  # hour (下午3时) | minute (14时30分) | second


@dataclass
class _Point:
    """A resolved point: its date at some precision (day None → month precision, month None → year)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day is not None else "month" if self.month is not None else "year"

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def ymd(self) -> YMD:
        return (self.year, self.month or 1, self.day)

    @staticmethod
    def of(day: dt.date) -> _Point:
        return _Point(day.year, day.month, day.day)


@dataclass
class _Context:
    """The previous expression's date, for 当天 / 次日 / 同月 / 当年 and for dates on pages without base.
    Dates after the publication date (laws taking effect, announced meetings) are not remembered: what a
    report's 当天 or bare 9时57分 refers to has happened."""

    base: dt.date | None = None
    day: dt.date | None = None
    month: tuple[int, int] | None = None
    year: int | None = None

    def remember(self, point: _Point) -> None:
        if self.base is not None and later_than(
            point.ymd(), (self.base.year, self.base.month, self.base.day)
        ):
            return
        self.year = point.year
        if point.month is not None:
            self.month = (point.year, point.month)
            self.day = dt.date(point.year, point.month, point.day) if point.day is not None else None


# --- small pure helpers -----------------------------------------------------------------------------------


def _ymd_point(ymd: YMD) -> _Point:
    return _Point(ymd[0], ymd[1], ymd[2])


def _year_of(p: Parts, base: dt.date | None, ctx: _Context) -> int | None:
    if p.year is not None:
        return full_year(p.year, base) if p.two_digit_year else p.year
    if p.year_off is not None:
        return base.year + p.year_off if base else None
    if p.year_ana is not None:
        anchor = ctx.year if ctx.year is not None else (base.year if base else None)
        return anchor + p.year_ana if anchor is not None else None
    return None


def _month_of(p: Parts, base: dt.date | None, ctx: _Context) -> tuple[int, int] | None:
    """(year, month) of a relative or anaphoric month; None when it is not relative or has no anchor."""
    if p.month_off is not None:
        return shift_month(base.year, base.month, p.month_off) if base else None
    if p.month_ana is not None:
        anchor = ctx.month or ((base.year, base.month) if base else None)
        return shift_month(*anchor, p.month_ana) if anchor else None
    return None


def _relative_day(p: Parts, base: dt.date | None, ctx: _Context) -> dt.date | None:
    if p.day_off is not None:
        return base + dt.timedelta(days=p.day_off) if base else None
    anchor = ctx.day or base
    return anchor + dt.timedelta(days=p.day_ana or 0) if anchor else None


def _written_point(p: Parts, base: dt.date | None, past: bool, ctx: _Context) -> _Point | None:
    """The start of what `p` wrote, placed in the calendar."""
    if p.day_off is not None or p.day_ana is not None:
        day = _relative_day(p, base, ctx)
        return _Point.of(day) if day else None
    if p.weekday is not None and p.day is None:  # 6月1日周六: the written day wins over the weekday
        if base is None:
            return None
        return _Point.of(place_weekday(p.weekday, base, p.week_off, past=past))
    year = _year_of(p, base, ctx)
    relative_month = _month_of(p, base, ctx)
    if relative_month is not None:
        return _Point(relative_month[0], relative_month[1], p.day)
    if p.has_month and p.month is None:
        return None  # a relative month without base
    if p.month is not None:
        if year is not None:
            return _Point(year, p.month, p.day)
        if base is not None:
            if p.day is not None:
                return _ymd_point(place_month_day(p.month, p.day, base, past=past))
            return _Point(*place_month(p.month, base, past=past))
        return _Point(ctx.year, p.month, p.day) if ctx.year is not None else None
    if p.day is not None:
        if base is not None:
            return _ymd_point(place_day(p.day, base, past=past))
        return _Point(*ctx.month, p.day) if ctx.month else None
    if year is not None:
        return _Point(year)
    if p.pod is not None or p.clock is not None:  # 下午3时 on its own: the day spoken of, else base
        day = ctx.day or base
        return _Point.of(day) if day else None
    return None


def _checked(point: _Point) -> _Point:
    """An impossible day (2月30日) keeps its sure month."""
    if (
        point.day is not None
        and point.month is not None
        and not valid_day(point.year, point.month, point.day)
    ):
        return _Point(point.year, point.month)
    return point


def _range_end(p: Parts, start: _Point) -> _Point | None:
    """The end of a range written inside one token: 2日至3日, 1-9月, 2021—2025年, 1999.08-2002.02."""
    if p.day_end is not None and start.month is not None:
        end = _Point(start.year, start.month, p.day_end)
        if p.day is not None and p.day_end < p.day:
            end = _Point(*shift_month(start.year, start.month, 1), p.day_end)
        return _checked(end)
    if p.month_end is not None:
        year = p.year_end if p.year_end is not None else start.year
        if p.year_end is None and start.month is not None and p.month_end < start.month:
            year += 1
        return _Point(year, p.month_end)
    if p.year_end is not None:
        return _Point(p.year_end)
    return None


def _coarsen(point: _Point, coarse: str | None) -> _Point:
    if coarse == "year":
        return _Point(point.year)
    if coarse == "month" and point.month is not None:
        return _Point(point.year, point.month)
    return point


def _hour_of_day(hour: int, pod: str | None, pod_word: str) -> int:
    """24-hour clock: 下午3时 → 15, 中午1点 → 13, 深夜11点 → 23, 凌晨6时 → 6."""
    afternoon = pod in PM_PARTS or pod == "noon" and hour < 6
    late_night = pod_word in LATE_NIGHT and 6 <= hour < 12
    return hour + 12 if hour < 12 and (afternoon or late_night) else hour


def _pod_of_hour(hour: int) -> str | None:
    """The part of the day a 24-hour clock falls in (14时30分 → afternoon)."""
    if hour >= 24:
        return None
    if hour < 6:
        return "night"
    if hour < 12:
        return "morning"
    if hour == 12:
        return "noon"
    return "afternoon" if hour < 18 else "evening"


def _clock_of(p: Parts, point: _Point) -> tuple[_Point, str | None, str | None, str | None]:
    """(point, part of day, clock, clock precision): 下午3时 → 15:00; 晚上12点 → 00:00 the next day."""
    pod, clock = p.pod, p.clock
    if clock is None:
        return point, pod, None, None
    hour = _hour_of_day(clock.hour, pod, p.pod_word)
    if hour == 12 and pod in ("evening", "night") and point.day is not None and clock.minute == 0:
        next_day = dt.date(point.year, point.month or 1, point.day) + dt.timedelta(days=1)
        point, hour = _Point.of(next_day), 0
    text = f"{hour:02d}:{clock.minute:02d}" + (f":{clock.second:02d}" if clock.precision == "second" else "")
    return point, pod or _pod_of_hour(hour), text, clock.precision


def _expr(text: str, p: Parts, start: _Point | None, end: _Point | None, base: dt.date | None) -> TimeExpr:
    """Build the public record; `start` None means the expression could not be anchored."""
    span = text[p.start : p.end]
    if p.vague and not p.week:
        date = f"{base.year:04d}-{base.month:02d}" if base else None
        return TimeExpr(span, p.start, p.end, date, None, "month" if base else None, None, vague=True)
    if start is None:
        return TimeExpr(span, p.start, p.end, None, None, None, p.pod, vague=p.vague)
    start, pod, clock, clock_precision = _clock_of(p, start)
    end_iso = end.iso() if end is not None and end != start else None
    return TimeExpr(
        span, p.start, p.end, start.iso(), end_iso, start.precision, pod, clock, p.vague, clock_precision
    )


def _resolve(
    p: Parts, base: dt.date | None, past: bool, ctx: _Context
) -> tuple[_Point | None, _Point | None]:
    """(start, end) of one expression; end None unless it is a range."""
    if p.week:
        if base is None:
            return None, None
        monday = week_monday(base, p.week_off or 0)
        return _Point.of(monday), _Point.of(monday + dt.timedelta(days=6))
    if p.span is not None:
        if base is None:
            return None, None
        unit, first, last = p.span
        if unit == "year":
            return _Point(base.year + first), _Point(base.year + last)
        return _Point.of(base + dt.timedelta(days=first)), _Point.of(base + dt.timedelta(days=last))
    start = _written_point(p, base, past, ctx)
    if start is None:
        return None, None
    start = _checked(start)
    end = _range_end(p, start)
    return _coarsen(start, p.coarse), (_coarsen(end, p.coarse) if end else None)


def _inherit(right: Parts, left: _Point) -> tuple[Parts, str | None]:
    """Give the right end of a range what it left out (`1月2日至3日`: month and year of the left end)."""
    if right.has_year or right.day_off is not None or right.day_ana is not None or right.weekday is not None:
        return right, None
    if right.month_off is not None or right.month_ana is not None:
        return right, None
    if right.month is not None:
        return replace(right, year=left.year, two_digit_year=False), "year"
    if right.day is not None and left.month is not None:
        return replace(right, year=left.year, month=left.month, two_digit_year=False), "month"
    return right, None


def _join_range(
    text: str, left: Parts, right: Parts, base: dt.date | None, past: bool, ctx: _Context
) -> tuple[TimeExpr, _Point] | None:
    """`10月31日至11月2日`, `2021年12月30日—2022年1月2日`: one expression and its start, or None if the
    two do not make a range."""
    start, start_end = _resolve(left, base, past, ctx)
    if start is None or start_end is not None:
        return None
    filled, inherited = _inherit(right, start)
    end, end_end = _resolve(filled, base, past, ctx)
    if end is None:
        return None
    end = end_end or end
    if inherited and later_than(start.ymd(), end.ymd()):  # 12月30日至1月2日: the end is next year
        if inherited == "year":
            end = _Point(end.year + 1, end.month, end.day)
        elif end.month is not None:
            end = _Point(*shift_month(end.year, end.month, 1), end.day)
        end = _checked(end)
    if later_than(start.ymd(), end.ymd()):
        return None
    return _expr(text, replace(left, end=right.end), start, end, base), start


def _loose_year(text: str, base: dt.date | None) -> TimeExpr | None:
    """A string that is nothing but a year: `2018`, `24年`, `三三年` (parse_time only)."""
    m = LOOSE_YEAR_RE.match(text.translate(FOLD))
    if m is None:
        return None
    year = int(m["y4"].replace(" ", "")) if m["y4"] else full_year(cn_number(m["y2"]), base)
    start, end = m.start("y4" if m["y4"] else "y2"), len(text.rstrip())
    return TimeExpr(text[start:end], start, end, f"{year:04d}", None, "year", None)


# --- main entry point -------------------------------------------------------------------------------------


def _find(text: str, base: dt.date | None, past: bool, loose: bool) -> list[tuple[TimeExpr, Parts]]:
    """The expressions of `text` with the parts they were read from (infer_page_date needs both)."""
    folded = text.translate(FOLD)
    parts = scan_parts(text, loose=loose)
    found: list[tuple[TimeExpr, Parts]] = []
    ctx = _Context(base)
    i = 0
    while i < len(parts):
        p = parts[i]
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        if nxt is not None and RANGE_GAP_RE.fullmatch(folded, p.end, nxt.start):
            if p.is_date and nxt.is_date and not (p.vague or nxt.vague):
                joined = _join_range(text, p, nxt, base, past, ctx)
                if joined is not None:
                    found.append((joined[0], p))
                    ctx.remember(joined[1])
                    i += 2
                    continue
            if nxt.lo >= POD and p.clock is not None:  # 9时至11时: one span, dated by its start
                p = replace(p, end=nxt.end)
                i += 1
        start, end = _resolve(p, base, past, ctx)
        found.append((_expr(text, p, start, end, base), p))
        if start is not None and not p.vague and p.lo < CLOCK:
            ctx.remember(start)
        i += 1
    return found


def find_times(text: str, base: dt.date | None, *, past: bool = True) -> list[TimeExpr]:
    """Every time expression in `text`, in order, normalized against the publication date `base`.

    `base` None: dates without a year take it from the previous expression, else stay unanchored
    (`date` None). `past=False` lets yearless dates fall after base (announced meetings, deadlines).
    """
    return [expr for expr, _ in _find(text, base, past, loose=False)]


def parse_time(expr: str, base: dt.date | None, *, past: bool = True) -> TimeExpr | None:
    """The first time expression in `expr`, read leniently (the string is known to be a time: a bare `2018`
    is a year, a bare `十一点` a clock). None when there is none."""
    found = _find(expr, base, past, loose=True)
    if found:
        return found[0][0]
    return _loose_year(expr, base)


def infer_page_date(text: str) -> dt.date | None:
    """The publication date of a page without metadata: its latest explicit full date (with a 4-digit
    year), moved forward to a yearless date written just after it (a January page citing
    `2021年12月31日` and `1月1日` is of 2022-01-01). None when the page has no full date."""
    found = _find(text, None, True, loose=False)
    explicit: list[dt.date] = []
    for expr, p in found:
        if p.year is not None and not p.two_digit_year and expr.precision == "day" and expr.date:
            explicit.append(dt.date.fromisoformat(expr.date))
            if expr.end_date and len(expr.end_date) == 10:
                explicit.append(dt.date.fromisoformat(expr.end_date))
    if not explicit:
        return None
    page = max(explicit)
    for _, p in found:
        if p.month is not None and p.day is not None and not p.has_year and p.day_end is None:
            year = page.year if (p.month, p.day) >= (page.month, page.day) else page.year + 1
            if valid_day(year, p.month, p.day):
                candidate = dt.date(year, p.month, p.day)
                if 0 < (candidate - page).days <= PAGE_DATE_LOOKAHEAD_DAYS:
                    page = max(page, candidate)
    return page
