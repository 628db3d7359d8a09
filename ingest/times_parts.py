"""From token matches to the written parts of each time expression, before any calendar is consulted.

Tokens (`ingest.times_lexicon.TOKEN_RE`) that stand next to each other, each finer than the one before
(year → month → day → weekday → part of day → clock), form one expression: `2021 年 12 月 31 日上午`.
`scan_parts` returns one `Parts` per expression with what was written (numbers, offsets, words); turning
them into dates is `ingest.times`'s job.

Example:
    >>> [(p.month, p.day, p.pod) for p in scan_parts("26日上午，12月31日")]
    [(None, 26, 'morning'), (12, 31, None)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.times_lexicon import (
    ANA_DAY,
    ANA_MONTH,
    ANA_YEAR,
    DURATION_AFTER_RE,
    FOLD,
    GAP_RE,
    PART_OF_DAY,
    REL_DAY,
    REL_MONTH,
    REL_SPAN,
    REL_WEEK,
    REL_YEAR,
    TOKEN_RE,
    WEEKDAYS,
    cn_number,
)

YEAR, MONTH, DAY, WEEKDAY, POD, CLOCK = range(6)  # levels, coarse to fine
ALONE = 99  # a token that never joins others (近日, 上周, 今明两年)


@dataclass
class Clock:
    hour: int
    minute: int = 0
    second: int = 0
    precision: str = "hour"  # hour | minute | second
    loose: bool = False  # a bare `3点`: only trusted next to a date or a part of the day


@dataclass
class Parts:
    """What one expression wrote down. `*_off` count from the publication date, `*_ana` from the date
    of the previous expression in the text (当天, 次日, 同月); `*_end` close a range written in one token."""

    start: int
    end: int
    lo: int = ALONE  # coarsest level present
    hi: int = ALONE  # finest level present
    year: int | None = None
    two_digit_year: bool = False
    year_off: int | None = None
    year_ana: int | None = None
    year_end: int | None = None
    month: int | None = None
    month_off: int | None = None
    month_ana: int | None = None
    month_end: int | None = None
    day: int | None = None
    day_off: int | None = None
    day_ana: int | None = None
    day_end: int | None = None
    day_unit: str = ""
    day_cn: bool = False
    weekday: int | None = None
    week_off: int | None = None
    week: bool = False  # a whole week: 上周
    span: tuple[str, int, int] | None = None  # 今明两年 → ("year", 0, 1)
    vague: bool = False
    pod: str | None = None
    pod_word: str = ""
    clock: Clock | None = None
    coarse: str | None = None  # "year" for 2022年底, "month" for 10月下旬

    @property
    def has_year(self) -> bool:
        return self.year is not None or self.year_off is not None or self.year_ana is not None

    @property
    def has_month(self) -> bool:
        return self.month is not None or self.month_off is not None or self.month_ana is not None

    @property
    def has_day(self) -> bool:
        return self.day is not None or self.day_off is not None or self.day_ana is not None

    @property
    def is_date(self) -> bool:
        """Says something about the calendar day, not only the hour."""
        return self.lo <= WEEKDAY or self.week or self.span is not None


# --- small pure helpers -----------------------------------------------------------------------------------


def _num(value: str | None) -> int | None:
    return None if value is None else cn_number(value)


def _levels(m: re.Match[str]) -> tuple[int, int]:
    kind = m.lastgroup
    if kind == "nd":
        return YEAR, CLOCK if m["nd_h"] else DAY
    if kind in ("y8", "ysp"):
        return YEAR, DAY
    if kind in ("ym", "yr", "year"):
        return YEAR, (MONTH if kind == "ym" else YEAR)
    if kind == "md":
        return MONTH, CLOCK if m["md_h"] else DAY
    if kind in ("mdot", "mr", "month"):
        return MONTH, DAY if (kind == "mdot" or m["mdn"]) else MONTH
    if kind == "dr":
        return DAY, DAY
    if kind == "day":
        if m["dspan"]:
            return ALONE, ALONE
        word = m["drel"] or m["dana"]
        has_pod = word is not None and (REL_DAY.get(word) or ANA_DAY[word])[1] is not None
        return DAY, POD if has_pod else DAY
    if kind == "weekday":
        return WEEKDAY, WEEKDAY
    if kind == "pod":
        return POD, POD
    if kind == "clock":
        return CLOCK, CLOCK
    return ALONE, ALONE  # week, vague


def _clock(m: re.Match[str]) -> Clock:
    if m["kh"] is not None:
        precision = "second" if m["ks"] else "minute"
        return Clock(int(m["kh"]), int(m["km"]), int(m["ks"] or 0), precision)
    hour = cn_number(m["ch"])
    if m["cmin"] is not None or m["cmin2"] is not None:
        minute = cn_number(m["cmin"] or m["cmin2"])
        second = _num(m["csec"])
        return Clock(hour, minute, second or 0, "second" if second is not None else "minute")
    if m["chalf"]:
        return Clock(hour, 30, 0, "minute")
    if m["cq"]:
        return Clock(hour, 15 * cn_number(m["cq"]), 0, "minute")
    written_out = m["czhong"] or m["csuf"]
    loose = not written_out and (m["cu"] == "点" or not m["ch"].replace(" ", "").isdigit())
    return Clock(hour, precision="hour", loose=loose)


def _apply(p: Parts, m: re.Match[str]) -> None:
    """Record what token `m` wrote into `p`."""
    kind = m.lastgroup
    if kind == "nd":
        p.year, p.month, p.day = int(m["nd_y"].replace(" ", "")), int(m["nd_m"]), int(m["nd_d"])
        if m["nd_h"]:
            precision = "second" if m["nd_s"] else "minute"
            p.clock = Clock(int(m["nd_h"]), int(m["nd_mi"]), int(m["nd_s"] or 0), precision)
    elif kind == "y8":
        digits = m["y8"]
        p.year, p.month, p.day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    elif kind == "ysp":
        p.year, p.month, p.day = int(m["ysp_y"]), int(m["ysp_m"]), int(m["ysp_d"])
    elif kind == "ym":
        p.year, p.month = int(m["ym_y"]), int(m["ym_m"])
        p.year_end = _num(m["ym_y2"])
        p.month_end = _num(m["ym_m2"]) if m["ym_m2"] else (12 if m["ym_y2"] else None)
    elif kind == "md":
        p.month, p.day = int(m["md_m"]), int(m["md_d"])
        if m["md_h"]:
            p.clock = Clock(int(m["md_h"]), int(m["md_mi"]), 0, "minute")
    elif kind == "mdot":
        p.month, p.day = int(m["mdot_m"]), int(m["mdot_d"])
    elif kind == "yr":
        p.year, p.year_end = cn_number(m["yr1"]), cn_number(m["yr2"])
    elif kind == "year":
        _apply_year(p, m)
    elif kind == "mr":
        p.month, p.month_end = cn_number(m["mr1"]), cn_number(m["mr2"])
    elif kind == "month":
        _apply_month(p, m)
    elif kind == "dr":
        p.day, p.day_end, p.day_cn = cn_number(m["dr1"]), cn_number(m["dr2"]), not m["dr1"][0].isdigit()
    elif kind == "day":
        _apply_day(p, m)
    elif kind == "weekday":
        p.weekday = WEEKDAYS[m["wd"]]
        p.week_off = REL_WEEK[m["wdrel"]] if m["wdrel"] else None
    elif kind == "week":
        p.week, p.week_off, p.vague = True, REL_WEEK[m["wkrel"]], True
    elif kind == "vague":
        p.vague = True
    elif kind == "pod":
        p.pod, p.pod_word = PART_OF_DAY[m["pod"]], m["pod"]
    elif kind == "clock":
        p.clock = _clock(m)


def _apply_year(p: Parts, m: re.Match[str]) -> None:
    if m["y4"]:
        p.year = cn_number(m["y4"])
    elif m["y2"]:
        p.year, p.two_digit_year = cn_number(m["y2"]), True
    elif m["yrel"]:
        p.year_off = REL_YEAR[m["yrel"]]
    elif m["yana"]:
        p.year_ana = ANA_YEAR[m["yana"]]
    else:  # bare 年底 / 年初: this year
        p.year_off = 0
    if m["ysuf"] and m["ysuf"] not in ("度", "内"):
        p.coarse = "year"


def _apply_month(p: Parts, m: re.Match[str]) -> None:
    if m["mo"]:
        p.month = cn_number(m["mo"])
    elif m["mrel"]:
        p.month_off = REL_MONTH[m["mrel"]]
    elif m["mana"]:
        p.month_ana = ANA_MONTH[m["mana"]]
    else:  # bare 月底 / 月初: this month
        p.month_off = 0
    if m["msuf"]:
        p.coarse = p.coarse or "month"
    if m["mdn"]:
        p.day, p.day_cn = cn_number(m["mdn"]), not m["mdn"][0].isdigit()


def _apply_day(p: Parts, m: re.Match[str]) -> None:
    if m["dd"]:
        p.day, p.day_unit, p.day_cn = cn_number(m["dd"]), m["dunit"], not m["dd"][0].isdigit()
    elif m["dspan"]:
        p.span = REL_SPAN[m["dspan"]]
    else:
        word = m["drel"] or m["dana"]
        offset, pod = REL_DAY[word] if m["drel"] else ANA_DAY[word]
        if m["drel"]:
            p.day_off = offset
        else:
            p.day_ana = offset
        p.pod = pod


def _valid(p: Parts) -> bool:
    """Numbers a calendar can hold (a 2月30日 is kept: the month is still sure)."""
    months = [x for x in (p.month, p.month_end) if x is not None]
    days = [x for x in (p.day, p.day_end) if x is not None]
    if any(not 1 <= x <= 12 for x in months) or any(not 1 <= x <= 31 for x in days):
        return False
    if p.clock is not None and not (
        0 <= p.clock.hour <= 24 and p.clock.minute <= 59 and p.clock.second <= 59
    ):
        return False
    return True


def _plausible(p: Parts, text: str, *, loose: bool) -> bool:
    """Drop what is more likely a count, a duration or a serial number than a time (strict mode)."""
    if not _valid(p):
        return False
    if loose:
        return True
    timed = p.pod is not None or p.clock is not None
    if p.day is not None and not p.has_month and not p.has_year:
        if p.day_unit == "号" and not timed:  # 1号线, 3号文件, 二十号地村
            return False
        if DURATION_AFTER_RE.match(text, p.end):  # 3日内, 5日前, 10日以来
            return False
        if p.day_cn and p.day == 1 and not timed:  # 一日三餐
            return False
    if p.lo == CLOCK and p.clock is not None and p.clock.loose:  # 提出3点意见
        return False
    return True


# --- main entry point -------------------------------------------------------------------------------------


def scan_parts(text: str, *, loose: bool = False) -> list[Parts]:
    """Every time expression of `text` as written parts, in order. `loose` keeps bare `3点` clock readings
    (for a string already known to be a time expression)."""
    folded = text.translate(FOLD)
    out: list[Parts] = []
    current: Parts | None = None
    for m in TOKEN_RE.finditer(folded):
        lo, hi = _levels(m)
        joins = (
            current is not None
            and lo != ALONE
            and current.hi != ALONE
            and lo > current.hi
            and not (lo == DAY and current.hi == YEAR)  # 2023年1号洪水: no day without its month
            and GAP_RE.fullmatch(folded, current.end, m.start()) is not None
        )
        if not joins:
            if current is not None:
                out.append(current)
            current = Parts(m.start(), m.end(), lo, hi)
        assert current is not None
        _apply(current, m)
        current.end, current.hi = m.end(), hi
    if current is not None:
        out.append(current)
    return [p for p in out if _plausible(p, folded, loose=loose)]
