"""Measure `ingest.times` on JioNLP's time-parser cases and its speed on the news corpus.

    .venv/bin/python bench/time_eval.py [--failures out/time_eval_failures.txt] [--no-speed]

Data: ../shared/eval/time/jionlp_time_parser_cases.jsonl (427 cases from JioNLP's test suite, Apache-2.0),
each with a text, a base time and JioNLP's expected `[start, end]` interval.

Which cases are scored. A news article dates an event by a calendar point or span: a day, a month, a
year, a range of those, a relative day (昨天), week or weekday (上周, 周三), a clock time on a day. Left
out, by rule and in this order (the script prints how many each rule removes; the file lists every one):
 1. duration, recurring: JioNLP types time_delta (3天) and time_period (每周一); not points in time.
 2. future-mode: block 2 of the file, which JioNLP runs with its future-preferring option (`3月8号` on
    2021-09-01 → 2022-03-08). dashiji has no such mode: past=True for reports, and past=False keeps the
    base's year/month unless that is far in the past.
 3. lunar/holiday/season: 农历, 闰月, 廿, 除夕, festivals, solar terms, 春夏秋冬, and in block 1 a month
    followed by a Chinese day without 日 (`二月十五`, read as lunar by JioNLP; block 4 turns that off and
    stays in). They need lunar and holiday tables; news dates events by the solar calendar and names
    festivals as periods (春节期间), not as event dates.
 4. instant/open bound: a bound is JioNLP's base instant (现在, 至今, 以来, 年底前) or ±inf (以前, 以后);
    TimeExpr carries dates, not instants or open ends.
 5. offset from base: counted durations before/after base (三年前, 20天后, 未来7天, 近三个月, 前两天,
    第三天); the span follows JioNLP's blur conventions, and "三年前" gives no date an event should carry.
 6. week numbering: 第N周, 第N个星期日; conventions differ (ISO or first Monday), not news dating.
 7. century/decade: 18世纪, 80年代.
 8. sub-period: 季度, 上半年, 上旬, 年初, 月底, 前五个月, 首月. dashiji coarsens these on purpose to the
    enclosing month or year (EVAL.md: the coarsest sure precision); JioNLP gives sub-period windows.
 9. part-of-day window: a part of the day with no clock (9日上午 → 07:00..11:59 in JioNLP); dashiji
    reports the day plus part_of_day="morning", not an hour window.
10. clock-bounded span: span bounds that are clock times (9:30~11:30, 下午3点至8点); TimeExpr has one
    clock and no end clock (events are dated to the day).
11. no base: the case gives no base time but needs one (JioNLP used the wall clock).
Everything else is scored, failures included (a bare `2018`, `9月10号，11号，12号`, `35:37`...).

Mapping: block 1 and 4 cases run with past=False, which like JioNLP keeps the base's year/month for a
yearless date. Our record becomes an interval: a day → 00:00:00..23:59:59, a month or year → its first
and last day; a clock → that hour/minute/second; `end_date` closes a range. Exact match = both bounds equal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.times import TimeExpr, find_times, parse_time  # noqa: E402
from ingest.times_calendar import days_in_month  # noqa: E402

SHARED = REPO.parent / "shared"
CASES = SHARED / "eval" / "time" / "jionlp_time_parser_cases.jsonl"
CORPUS = SHARED / "corpus" / "official_news.jsonl"
CST = dt.timezone(dt.timedelta(hours=8))

_NUM = "0-9一二三四五六七八九十两几半多百千万仨"
RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "lunar/holiday/season",
        re.compile(
            r"农历|阴历|闰|腊月|正月|廿|卅|除夕|大年|节|元旦|春节|国庆|端午|中秋|七夕|元宵|冬至|大寒|小寒|芒种"
            r"|暑假|寒假|[春夏秋冬]|^十一$"
        ),
    ),
    (
        "offset from base",
        re.compile(
            rf"(?<![0-9])(?![0-9]{{4}})[{_NUM}]+[个多半]*(?:小时|钟头|分钟|分|秒钟|秒|刻钟|天|日|周|星期|礼拜|年|月|季度|工作日|交易日)"
            r"[半多]?钟?(?:以前|以后|之前|之后|以来|以内|之内|前|后|内|里)$"
            rf"|^(?:未来|过去|今后|最近|近|再过|过)[的]?[{_NUM}]|^前[{_NUM}]+个?(?:天|日|周|年|钟头|分钟|星期)"
            rf"|第[{_NUM}]+(?:天|年)"
        ),
    ),
    ("week numbering", re.compile(rf"第[{_NUM}]+个?(?:周|星期|礼拜)")),
    ("century/decade", re.compile(r"世纪|年代")),
    (
        "sub-period",
        re.compile(
            rf"季度|Q[1-4]|半年|旬|伊始|[初底末]|首月|第[{_NUM}]+个月|[前后][{_NUM}]+个?月|最后|前[{_NUM}]+天"
        ),
    ),
    (
        "part-of-day window",
        re.compile(
            r"^(?!.*[点时:：]).*(?:上午|下午|早上|晚上|中午|凌晨|白天|午后|黎明|半夜|午夜|夜间|傍晚|清晨)"
        ),
    ),
]
LUNAR_MONTH_DAY = re.compile(r"月[一二三四五六七八九十]+(?![一二三四五六七八九十日号])")
EXPLICIT_YEAR = re.compile(r"(?:1[5-9]|20)[0-9]{2}|[0-9〇零一二三四五六七八九]{2}年")


# --- small pure helpers -----------------------------------------------------------------------------------


def base_of(raw: Any) -> dt.datetime | None:
    """JioNLP's base time (timestamp, dict of fields, list of fields or None) as a CST datetime."""
    if raw is None:
        return None
    if isinstance(raw, (int, float)):
        return dt.datetime.fromtimestamp(raw, CST).replace(tzinfo=None)
    if isinstance(raw, dict) and "__datetime__" in raw:
        return dt.datetime.fromisoformat(raw["__datetime__"])
    keys = ("year", "month", "day", "hour", "minute", "second")
    fields: list[int] = [raw.get(k) or 0 for k in keys] if isinstance(raw, dict) else list(raw) + [0] * 6
    y, mo, d, h, mi, s = fields[:6]
    return dt.datetime(y, mo or 1, d or 1, h, mi, s)


def category(case: dict[str, Any], base: dt.datetime | None) -> str | None:
    """Why a case is left out (None: it is scored)."""
    expected, text = case["expected"], case["text"]
    if expected["type"] == "time_delta":
        return "duration"
    if expected["type"] == "time_period":
        return "recurring"
    if case["block"] == 2:
        return "future-mode"
    bounds = expected["time"]
    base_text = base.strftime("%Y-%m-%d %H:%M:%S") if base else None
    if case["block"] == 1 and LUNAR_MONTH_DAY.search(text):
        return "lunar/holiday/season"
    for name, rule in RULES[:1]:
        if rule.search(text):
            return name
    if any(b in ("inf", "-inf") or b == base_text for b in bounds):
        return "instant/open bound"
    for name, rule in RULES[1:]:
        if rule.search(text):
            return name
    if expected["type"] == "time_span" and (bounds[0][11:] != "00:00:00" or bounds[1][11:] != "23:59:59"):
        return "clock-bounded span"
    if base is None and not EXPLICIT_YEAR.search(text):
        return "no base"
    return None


def _period(iso: str) -> tuple[dt.date, dt.date]:
    """First and last day of "YYYY", "YYYY-MM" or "YYYY-MM-DD"."""
    parts = [int(x) for x in iso.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 1), dt.date(parts[0], parts[1], days_in_month(*parts))
    day = dt.date(*parts)
    return day, day


def interval(t: TimeExpr | None) -> list[str] | None:
    """Our record as JioNLP's `[start, end]` strings."""
    if t is None or t.date is None:
        return None
    first, _ = _period(t.date)
    _, last = _period(t.end_date or t.date)
    start_time, end_time = "00:00:00", "23:59:59"
    if t.clock and t.clock < "24":
        hms = (t.clock + ":00")[:8]
        start_time = hms
        if not t.end_date:
            end_time = {"hour": hms[:2] + ":59:59", "minute": hms[:5] + ":59", "second": hms}[
                t.clock_precision or "minute"
            ]
    return [f"{first} {start_time}", f"{last} {end_time}"]


# --- main entry point -------------------------------------------------------------------------------------


def evaluate(failures_path: Path) -> float:
    """Score the subset, write failures and exclusions to `failures_path`, return exact-match %."""
    cases = [json.loads(line) for line in CASES.open(encoding="utf-8")]
    excluded: Counter[str] = Counter()
    lines_fail: list[str] = []
    lines_excl: list[str] = []
    scored = exact = 0
    for i, case in enumerate(cases):
        base = base_of(case["time_base"])
        why = category(case, base)
        if why:
            excluded[why] += 1
            lines_excl.append(f"{i}\t{why}\t{case['text']}")
            continue
        scored += 1
        got = parse_time(case["text"], base.date() if base else None, past=False)
        mine = interval(got)
        if mine == case["expected"]["time"]:
            exact += 1
        else:
            lines_fail.append(
                f"{i}\t{case['text']}\tbase={base}\texpected={case['expected']['time']}\tgot={mine}"
                f"\t{got.text if got else None!r}"
            )
    share = 100.0 * exact / scored if scored else 0.0
    print(f"cases: {len(cases)}  scored subset: {scored}  exact: {exact} ({share:.1f}%)")
    print("left out: " + ", ".join(f"{k} {v}" for k, v in excluded.most_common()))
    failures_path.parent.mkdir(parents=True, exist_ok=True)
    failures_path.write_text(
        f"# failures ({len(lines_fail)})\n"
        + "\n".join(lines_fail)
        + f"\n\n# left out ({len(lines_excl)})\n"
        + "\n".join(lines_excl)
        + "\n",
        encoding="utf-8",
    )
    print(f"failures and left-out cases written to {failures_path}")
    return share


def speed() -> None:
    """find_times throughput on the official news corpus (each text against its publication date)."""
    rows = [json.loads(line) for line in CORPUS.open(encoding="utf-8")]
    items = [(r["text"], dt.date.fromisoformat(r["date"]) if r["date"] else None) for r in rows]
    chars = sum(len(text) for text, _ in items)
    t0 = time.perf_counter()
    found = sum(len(find_times(text, base)) for text, base in items)
    seconds = time.perf_counter() - t0
    print(
        f"speed: {len(items)} articles, {chars} chars, {found} expressions in {seconds:.2f}s "
        f"= {chars / seconds:,.0f} chars/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", type=Path, default=REPO / "out" / "time_eval_failures.txt")
    parser.add_argument("--no-speed", action="store_true", help="skip the corpus speed run")
    args = parser.parse_args()
    evaluate(args.failures)
    if not args.no_speed:
        speed()


if __name__ == "__main__":
    main()
