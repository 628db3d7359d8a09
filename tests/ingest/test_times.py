"""Chinese time expressions → normalized dates (`ingest.times`)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from ingest.times import TimeExpr, find_times, infer_page_date, parse_time

B = dt.date
SHARED = Path(__file__).resolve().parents[2].parent / "shared"

# (text, base, expected): expected is the FIRST expression found, as (date, end_date, part_of_day, clock),
# with past=True (news reports the past).
GOLDEN: list[tuple[str, dt.date | None, tuple[str | None, str | None, str | None, str | None]]] = [
    # full dates, OCR spacing, full-width and Chinese digits
    (
        "2021 年 12 月 31 日上午，我市电动工具行业培训班开班",
        B(2022, 1, 2),
        ("2021-12-31", None, "morning", None),
    ),
    ("２０２１年１２月３１日", B(2022, 1, 2), ("2021-12-31", None, None, None)),
    ("二〇二二年一月一日", None, ("2022-01-01", None, None, None)),
    ("二○二二年一月一日", None, ("2022-01-01", None, None, None)),
    ("一九九三年一月十四日签订", None, ("1993-01-14", None, None, None)),
    ("2019-05-27 09:36:46", None, ("2019-05-27", None, "morning", "09:36:46")),
    ("2019/04/19", None, ("2019-04-19", None, None, None)),
    ("湖南长沙“4·29”特别重大居民自建房倒塌事故", B(2023, 5, 21), ("2023-04-29", None, None, None)),
    # a date without a year is never later than base
    ("12月31日", B(2022, 1, 2), ("2021-12-31", None, None, None)),
    ("十二月三十一日", B(2022, 3, 8), ("2021-12-31", None, None, None)),
    ("26日上午在京召开", B(2022, 9, 26), ("2022-09-26", None, "morning", None)),
    ("30日", B(2022, 10, 2), ("2022-09-30", None, None, None)),
    ("三十一日", B(2022, 3, 8), ("2022-01-31", None, None, None)),
    ("当地时间19日", B(2022, 3, 8), ("2022-02-19", None, None, None)),
    ("当地时间19日", B(2022, 3, 20), ("2022-03-19", None, None, None)),
    ("9月", B(2022, 3, 8), ("2021-09", None, None, None)),
    ("2022年9月完成全部适航审定", B(2022, 9, 30), ("2022-09", None, None, None)),
    # ranges
    ("1月2日至3日", B(2024, 1, 3), ("2024-01-02", "2024-01-03", None, None)),
    ("1月2日至1月5日", B(2024, 1, 8), ("2024-01-02", "2024-01-05", None, None)),
    ("10月31日至11月2日", B(2022, 11, 5), ("2022-10-31", "2022-11-02", None, None)),
    ("12月30日至1月2日", B(2022, 1, 3), ("2021-12-30", "2022-01-02", None, None)),
    ("2021年12月30日—2022年1月2日", B(2022, 1, 5), ("2021-12-30", "2022-01-02", None, None)),
    ("5日到7日", B(2022, 3, 8), ("2022-03-05", "2022-03-07", None, None)),
    ("2019年4月12-19日", None, ("2019-04-12", "2019-04-19", None, None)),
    ("2018年1－9月份", None, ("2018-01", "2018-09", None, None)),
    ("2021—2025年", None, ("2021", "2025", None, None)),
    ("1999.08-2002.02", None, ("1999-08", "2002-02", None, None)),
    ("3月27日晚上10点至3月28日凌晨2点", B(2014, 3, 29), ("2014-03-27", "2014-03-28", "evening", "22:00")),
    ("10日上午9时至11时", B(2022, 3, 10), ("2022-03-10", None, "morning", "09:00")),
    # relative days, months, years, weeks
    ("今天", B(2022, 3, 8), ("2022-03-08", None, None, None)),
    ("昨天下午", B(2022, 3, 8), ("2022-03-07", None, "afternoon", None)),
    ("前天", B(2022, 3, 1), ("2022-02-27", None, None, None)),
    ("明天", B(2022, 3, 8), ("2022-03-09", None, None, None)),
    ("昨晚8时35分", B(2022, 3, 8), ("2022-03-07", None, "evening", "20:35")),
    ("本月", B(2022, 3, 8), ("2022-03", None, None, None)),
    ("上个月15号", B(2022, 1, 8), ("2021-12-15", None, None, None)),
    ("今年", B(2022, 3, 8), ("2022", None, None, None)),
    ("去年11月", B(2022, 3, 8), ("2021-11", None, None, None)),
    ("今明两年", B(2023, 6, 1), ("2023", "2024", None, None)),
    ("上周", B(2022, 3, 8), ("2022-02-28", "2022-03-06", None, None)),
    ("上周五", B(2022, 3, 8), ("2022-03-04", None, None, None)),
    ("周日凌晨", B(2002, 10, 13), ("2002-10-13", None, "night", None)),
    ("周六晚上", B(2002, 10, 13), ("2002-10-12", None, "evening", None)),
    # years, coarse sub-periods, deadlines
    ("2022年", None, ("2022", None, None, None)),
    ("2022年底", None, ("2022", None, None, None)),
    ("计划到2023年，实现", None, ("2023", None, None, None)),
    ("2022年度中国政府友谊奖", None, ("2022", None, None, None)),
    ("1月下旬，全国蔬菜在田面积", B(2024, 2, 6), ("2024-01", None, None, None)),
    ("98年4月", B(2021, 6, 14), ("1998-04", None, None, None)),
    # clocks and parts of the day
    ("下午3时", B(2022, 3, 8), ("2022-03-08", None, "afternoon", "15:00")),
    ("14时30分", B(2022, 3, 8), ("2022-03-08", None, "afternoon", "14:30")),
    ("上午10点", B(2022, 3, 8), ("2022-03-08", None, "morning", "10:00")),
    ("凌晨六时四十分左右", B(2008, 3, 27), ("2008-03-27", None, "night", "06:40")),
    ("深夜11点", B(2008, 3, 27), ("2008-03-27", None, "night", "23:00")),
    ("中午2点10分", B(2006, 8, 5), ("2006-08-05", None, "noon", "14:10")),
    ("二十六日晚七时许", B(2007, 11, 27), ("2007-11-26", None, "evening", "19:00")),
    ("1月30日零时15分", B(2014, 1, 30), ("2014-01-30", None, "night", "00:15")),
    # an impossible day keeps its month
    ("2月30日", B(2022, 3, 8), ("2022-02", None, None, None)),
]

# Announced dates: past=False lets them fall after base.
FUTURE = [
    ("决定会议于10月31日至11月2日在京召开", B(2022, 9, 26), ("2022-10-31", "2022-11-02")),
    ("将于1月5日召开", B(2022, 12, 20), ("2023-01-05", None)),
    ("将于30日召开", B(2022, 3, 14), ("2022-03-30", None)),
    ("明年1月6日至8日召开", B(2024, 12, 20), ("2025-01-06", "2025-01-08")),
]

# Vague words: base's month, vague=True.
VAGUE = [
    ("近日，多国政党政要", B(2022, 10, 21), "2022-10"),
    ("日前，中共中央决定", B(2022, 10, 28), "2022-10"),
    ("连日来，学习贯彻", B(2022, 11, 3), "2022-11"),
    ("近期出台的两项政策", B(2022, 9, 28), "2022-09"),
    ("前不久，阮富仲总书记", B(2022, 11, 12), "2022-11"),
]

# Counts, durations, names and serial numbers that are not times.
NOT_TIMES = [
    "光明日报社",
    "日本日立制作所",
    "目前日惹的电力",
    "地铁1号线",
    "国发〔2022〕3号文件",
    "提出3点意见",
    "一日三餐",
    "3日内完成",
    "连续三日",
    "每周一例会",
    "近3年",
    "24小时",
    "上世纪80年代",
    "本次年会",
    "每晚9点档",
    "第一时间",
]


def _first(text: str, base: dt.date | None, past: bool = True) -> TimeExpr:
    found = find_times(text, base, past=past)
    assert found, f"no time found in {text!r}"
    return found[0]


@pytest.mark.parametrize(("text", "base", "expected"), GOLDEN, ids=[g[0] for g in GOLDEN])
def test_golden_first_expression(
    text: str, base: dt.date | None, expected: tuple[str | None, str | None, str | None, str | None]
) -> None:
    t = _first(text, base)
    assert (t.date, t.end_date, t.part_of_day, t.clock) == expected
    assert text[t.start : t.end] == t.text


@pytest.mark.parametrize(("text", "base", "expected"), FUTURE, ids=[f[0] for f in FUTURE])
def test_announced_dates_pass_base_when_past_is_false(
    text: str, base: dt.date, expected: tuple[str, str | None]
) -> None:
    assert (_first(text, base, past=False).date, _first(text, base, past=False).end_date) == expected


def test_announced_meeting_stays_in_the_past_by_default() -> None:
    t = _first("决定会议于10月31日至11月2日在京召开", B(2022, 9, 26))
    assert (t.date, t.end_date) == ("2021-10-31", "2021-11-02")


@pytest.mark.parametrize(("text", "base", "expected"), VAGUE, ids=[v[0] for v in VAGUE])
def test_vague_words_give_the_base_month(text: str, base: dt.date, expected: str) -> None:
    t = _first(text, base)
    assert (t.date, t.precision, t.vague) == (expected, "month", True)


@pytest.mark.parametrize("text", NOT_TIMES)
def test_not_a_time(text: str) -> None:
    assert find_times(text, B(2022, 3, 8)) == []


def test_last_week_is_vague() -> None:
    t = _first("上周，习近平主席同卡", B(2023, 10, 25))
    assert (t.date, t.end_date, t.precision, t.vague) == ("2023-10-16", "2023-10-22", "day", True)


def test_precision_follows_the_date_written() -> None:
    assert [t.precision for t in find_times("2022年9月30日；2022年9月；2022年", None)] == [
        "day",
        "month",
        "year",
    ]


def test_clock_precision() -> None:
    times = find_times("下午3时，14时30分，16时08分48秒", B(2022, 3, 8))
    assert [(t.clock, t.clock_precision) for t in times] == [
        ("15:00", "hour"),
        ("14:30", "minute"),
        ("16:08:48", "second"),
    ]


def test_same_day_words_refer_to_the_previous_expression() -> None:
    text = "26日上午，会议开幕。当天下午，分组讨论。次日上午闭幕。"
    assert [(t.date, t.part_of_day) for t in find_times(text, B(2022, 9, 30))] == [
        ("2022-09-26", "morning"),
        ("2022-09-26", "afternoon"),
        ("2022-09-27", "morning"),
    ]


def test_without_base_a_day_takes_the_previous_month() -> None:
    text = "2008年5月12日14时28分，四川汶川发生地震。截至十三日九时，已造成重大伤亡。"
    assert [t.date for t in find_times(text, None)] == ["2008-05-12", "2008-05-13"]


def test_without_base_relative_words_stay_unanchored() -> None:
    t = _first("昨日上午9时许", None)
    assert (t.date, t.precision, t.part_of_day) == (None, None, "morning")


def test_several_expressions_in_order() -> None:
    text = "政协主席会议26日上午在京召开。会议决定10月31日至11月2日召开常委会会议，确保到2023年完成。"
    found = find_times(text, B(2022, 9, 26), past=False)
    assert [t.text for t in found] == ["26日上午", "10月31日至11月2日", "2023年"]
    assert [t.date for t in found] == ["2022-09-26", "2022-10-31", "2023"]


def test_parse_time_reads_a_whole_expression() -> None:
    t = parse_time("2017年8月15日至2018年3月29日", B(2021, 6, 14))
    assert t is not None and (t.date, t.end_date) == ("2017-08-15", "2018-03-29")


def test_parse_time_is_lenient_with_bare_years_and_clocks() -> None:
    year = parse_time("2018", B(2021, 6, 14))
    clock = parse_time("十一点", B(2021, 6, 14))
    assert year is not None and (year.date, year.precision) == ("2018", "year")
    assert clock is not None and (clock.date, clock.clock) == ("2021-06-14", "11:00")


def test_parse_time_without_a_time() -> None:
    assert parse_time("会议强调", B(2021, 6, 14)) is None


def test_page_date_of_the_seed_page() -> None:
    """The seed page cites 2021 年 12 月 31 日 and, at its top, 1月1日: it is the page of 2022-01-01."""
    text = (SHARED / "seed" / "000_ac27911529864ab2.txt").read_text(encoding="utf-8")
    page = infer_page_date(text)
    assert page == B(2022, 1, 1)
    assert [t.date for t in find_times(text, page)][:2] == ["2022-01-01", "2021-12-31"]


def test_page_date_is_the_latest_full_date() -> None:
    assert infer_page_date("2021年3月5日，会议召开。2021年3月7日，调研。3月1日起施行。") == B(2021, 3, 7)
    assert infer_page_date("近日，会议召开。") is None


def test_corpus_expressions_are_well_formed() -> None:
    """On real news: spans point at the text, dates match their precision, ranges run forward, and a date
    written without a year or a future word is not after the publication date."""
    shapes = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}
    with (SHARED / "corpus" / "official_news.jsonl").open(encoding="utf-8") as lines:
        articles = [json.loads(line) for _, line in zip(range(300), lines, strict=False)]
    count = 0
    for article in articles:
        text, base = article["text"], dt.date.fromisoformat(article["date"])
        for t in find_times(text, base):
            count += 1
            assert text[t.start : t.end] == t.text
            assert t.date is not None and t.precision is not None
            assert re.fullmatch(shapes[t.precision], t.date), t
            if t.end_date is not None:
                assert t.end_date >= t.date, t
            if not re.search(r"[年明后下次翌]", t.text):
                assert t.date[:7] <= base.isoformat()[:7] and t.date[:10] <= base.isoformat(), t
    assert count > 500


def test_public_time_cases_meet_the_target(tmp_path: Path) -> None:
    """The extraction-quality target: ≥ 95% exact on the news subset of the JioNLP time-parser cases, scored by
    `bench/time_eval.py` itself (measured 95.8%, 113 of 118; the script says which cases are left out and why)."""
    import importlib.util

    bench = Path(__file__).resolve().parents[2] / "bench" / "time_eval.py"
    spec = importlib.util.spec_from_file_location("time_eval", bench)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.evaluate(tmp_path / "failures.txt") >= 95.0
