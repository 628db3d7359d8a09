"""Property tests: any text given to the extractor, as an article or as a page, comes back without an
exception, and every span in its records points inside the record's text (a mention's spans quote its name).

Two kinds of input: arbitrary Unicode (every category hypothesis draws, surrogates excluded), and "article
mixes" glued from fragments of news language (dates good and impossible, titles, names, bodies, event cues,
punctuation, line breaks, stray control and replacement characters), so that the extractors find
something to report and their spans get exercised. All fragments are the project's own invented text.

Organization spans quote their name too (a candidate shortened by cleaning is placed where the name stands).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.pipeline import extract_text
from ingest.records import Event, Record, Span

FRAGMENTS = [
    # dates, valid and not
    "2024年3月5日",
    "3月5日上午",
    "2月30日",
    "13月1日",
    "2023年2月29日",
    "昨天下午",
    "近日",
    "当地时间19日",
    "1月2日至3日",
    "到2025年",
    "12月31日晚",
    # titles and names
    "市委书记",
    "市委副书记、代市长",
    "省社科院研究员",
    "副市长",
    "林建国",
    "周晓梅",
    "胡立新",
    "赵玉兰",
    "张某",
    "记者 陈晓",
    "习近平总书记",
    # bodies and places
    "南溪市委",
    "南溪市人民政府",
    "市委理论学习中心组",
    "招商银行南溪分行",
    "南溪",
    "国务院",
    "市委",
    # event cues and roles
    "召开常委会会议",
    "主持会议并讲话",
    "举行集体学习",
    "培训班开班",
    "调研",
    "出席",
    "会见",
    "签约",
    "作出重要指示",
    "印发",
    "发生火灾",
    "作辅导报告",
    "参加",
    # goals and targets
    "覆盖率超过85%",
    "实现全覆盖",
    "制造业数字化转型",
    # punctuation, layout and noise
    "。",
    "，",
    "、",
    "：",
    "“",
    "”",
    "（",
    "）",
    "《",
    "》",
    "\n",
    "\n\n",
    " ",
    "\t",
    "\ufffd",
    "\x07",
    "\u3000",
    "……",
    "——",
    "【",
    "】",
    "&amp;",
    "<p>",
]

mixes = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=4), max_size=60).map("".join)
any_text = st.text(max_size=300)
dates = st.none() | st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- what is checked -------------------------------------------------------------------------------
def _spans(rec: Record) -> Iterator[tuple[str, Span | None]]:
    """Every (what, span) of a record except mentions (checked apart)."""
    events: list[Event] = [*rec.events, *rec.scheduled]
    for ev in events:
        yield f"event {ev.label!r}", ev.span
        for p in ev.participants:
            yield f"participant {p.name!r}", p.span
        for o in ev.organizations:
            yield f"organization {o.name!r}", o.span
        for g in ev.goals:
            yield f"goal {g.text!r}", g.span
    for g in rec.goals:
        yield f"goal {g.text!r}", g.span


def check_records(records: list[Record]) -> None:
    """Every span inside its record's text; person and place mentions quote their name."""
    for rec in records:
        n = len(rec.text)
        for what, span in _spans(rec):
            if span is not None:
                start, end = span
                assert 0 <= start <= end <= n, f"{rec.id}: {what} span {span} outside text of {n} chars"
        for m in rec.mentions:
            for start, end in m.spans:
                assert 0 <= start <= end <= n, f"{rec.id}: mention {m.name!r} span outside the text"
                if m.kind != "organization":  # see test_organization_spans_quote_the_name
                    assert rec.text[start:end] == m.name, (
                        f"{m.kind} {m.name!r} quotes {rec.text[start:end]!r}"
                    )
        rec.to_json()  # every record can be written out


def check_organization_quotes(records: list[Record]) -> None:
    for rec in records:
        quoted = [(m.name, s) for m in rec.mentions if m.kind == "organization" for s in m.spans]
        quoted += [(o.name, o.span) for ev in rec.events for o in ev.organizations if o.span]
        for name, (start, end) in quoted:
            assert rec.text[start:end] == name, f"organization {name!r} quotes {rec.text[start:end]!r}"


@pytest.fixture(autouse=True)
def _rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHIJI_NO_NER", "1")  # the rules, quickly; the CRF has its own tests


# --- the properties --------------------------------------------------------------------------------
@SETTINGS
@given(text=any_text, date=dates, is_page=st.booleans())
def test_arbitrary_unicode_never_raises_and_spans_stay_inside(
    text: str, date: dt.date | None, is_page: bool
) -> None:
    check_records(extract_text("prop", text, date, is_page=is_page))


@SETTINGS
@given(text=mixes, date=dates, is_page=st.booleans())
def test_article_mixes_never_raise_and_spans_stay_inside(
    text: str, date: dt.date | None, is_page: bool
) -> None:
    check_records(extract_text("mix", text, date, is_page=is_page))


@SETTINGS
@given(articles=st.lists(mixes, min_size=2, max_size=5), date=dates)
def test_pages_of_several_articles_keep_their_spans(articles: list[str], date: dt.date | None) -> None:
    page = "\n".join(f"南溪要闻{k}\n{body}" for k, body in enumerate(articles))
    check_records(extract_text("page", page, date, is_page=True))


@SETTINGS
@example(text="2024年3月5日省社科院研究员", date=None, is_page=False)
@given(text=mixes, date=dates, is_page=st.booleans())
def test_organization_spans_quote_the_name(text: str, date: dt.date | None, is_page: bool) -> None:
    check_organization_quotes(extract_text("org", text, date, is_page=is_page))
