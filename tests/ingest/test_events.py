"""Events: a date in the clause that says how the reporter learned the news is not the event's, and finding
those clauses stays linear in a long clause."""

from __future__ import annotations

import datetime as dt
import time

from ingest.entities import find_entities
from ingest.events import find_events
from ingest.times import find_times

BASE = dt.date(2024, 3, 10)


def _events(text: str) -> list:
    events, _scheduled = find_events(text, BASE, find_entities(text), find_times(text, BASE))
    return events


def test_the_date_the_reporter_learned_the_news_is_not_the_events() -> None:
    events = _events("记者3月1日从市委获悉，3月5日上午，南溪市委召开常委会会议。林建国主持会议。")
    assert [(e.type, e.date) for e in events] == [("meeting", "2024-03-05")]


def test_without_a_source_clause_the_first_date_dates_the_event() -> None:
    events = _events("记者3月1日从市委了解，3月5日上午，南溪市委召开常委会会议。林建国主持会议。")
    assert [(e.type, e.date) for e in events] == [("meeting", "2024-03-01")]


def test_a_long_clause_without_punctuation_is_read_in_linear_time() -> None:
    text = "南溪市委召开常委会会议" * 5_000  # 55,000 characters, one clause, no source word in it
    start = time.process_time()
    _events(text)
    assert time.process_time() - start < 10  # rescanning the clause from every character took minutes
