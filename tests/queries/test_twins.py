"""The networkx twins on a small graph built from hand-made records, and their Cypher on a live Neo4j.

Three invented articles about 永康 (the people exist only here):
  q-001  2021-12-31 training 数字化改造培训班开班: 章旭升 speaker (市委书记), 李浩锋 attendee (市长),
         王明 attendee (副市长); organized by 市经信局; aims at 数字化改造, sets a goal for 2023
  q-002  2022-03-04 meeting 市委常委会会议 organized by 市委: 章旭升 host, 王明 attendee;
         2022-03-01..03 inspection 古山镇调研: 李浩锋 inspector, 王明 participant
  q-003  2023-06 study session 数字化改造宣讲: 章旭升 lecturer as 金华市委副书记 (a second 章旭升 node,
         keyed by 金华), with 市委 and 市委理论学习中心组 taking part; aims at 数字化改造

The parity test runs every query on both stores when NEO4J_URI is set (it wipes that database).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from graph.build import build_facts
from graph.model import edge_id, stable_id
from graph.store.networkx_store import NetworkxStore
from ingest.records import Event, Goal, OrgRole, Participant, PostRef, Record
from queries import load_queries, run_query
from queries.registry import bind_params, cypher_params, get_query, normalize_rows, twin_kwargs
from queries.twins_provenance import evidence_sentence

NOW = datetime(2024, 1, 1, tzinfo=UTC)
SECRETARY = PostRef("市委书记", "市委", "书记")
MAYOR = PostRef("市长", "市政府", "市长")
VICE_MAYOR = PostRef("副市长", "市政府", "副市长")

TEXT_A = (
    "2021年12月31日上午，我市数字化改造培训班开班。市委书记章旭升作开班动员，市长李浩锋、副市长王明出席。"
    "到2023年，实现规上企业数字化改造覆盖率超90%。"
)
TEXT_B = (
    "3月4日，市委召开常委会会议，市委书记章旭升主持。副市长王明出席。\n"
    "3月1日至3日，市长李浩锋和副市长王明到古山镇调研。"
)
TEXT_C = "本报讯\n　　6月，金华市委副书记章旭升在永康宣讲数字化改造。市委理论学习中心组参加学习。"


def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return (start, start + len(needle))


def _records() -> list[Record]:
    text = "实现规上企业数字化改造覆盖率超90%"
    goal = Goal(text, "2023", "数字化改造", "覆盖率", ">90%", _at(TEXT_A, text))
    training = Event(
        type="training",
        date="2021-12-31",
        precision="day",
        label="数字化改造培训班开班",
        location="永康",
        span=(0, TEXT_A.index("。") + 1),
        targets=["数字化改造"],
        goals=[goal],
        participants=[
            Participant("章旭升", "speaker", "市委书记", [SECRETARY], _at(TEXT_A, "章旭升")),
            Participant("李浩锋", "attendee", "市长", [MAYOR], _at(TEXT_A, "李浩锋")),
            Participant("王明", "attendee", "副市长", [VICE_MAYOR], _at(TEXT_A, "王明")),
        ],
        organizations=[OrgRole("市经信局", "organizer", None)],
    )
    meeting = Event(
        type="meeting",
        date="2022-03-04",
        label="市委常委会会议",
        span=(0, TEXT_B.index("\n")),
        participants=[
            Participant("章旭升", "host", "市委书记", [SECRETARY], _at(TEXT_B, "章旭升")),
            Participant("王明", "attendee", "副市长", [VICE_MAYOR], _at(TEXT_B, "王明")),
        ],
        organizations=[OrgRole("市委", "organizer", _at(TEXT_B, "市委"))],
    )
    inspection = Event(
        type="inspection",
        date="2022-03-01",
        end_date="2022-03-03",
        label="古山镇调研",
        location="古山镇",
        span=(TEXT_B.index("\n") + 1, len(TEXT_B)),
        participants=[
            Participant("李浩锋", "inspector", "市长", [MAYOR], _at(TEXT_B, "李浩锋")),
            Participant("王明", "participant", "副市长", [VICE_MAYOR], _at(TEXT_B, "王明", 1)),
        ],
    )
    lecture = Event(
        type="study_session",
        date="2023-06",
        precision="month",
        label="数字化改造宣讲",
        location="永康",
        span=_at(TEXT_C, "6月，金华市委副书记章旭升在永康宣讲数字化改造。"),
        targets=["数字化改造"],
        participants=[
            Participant(
                "章旭升",
                "lecturer",
                "金华市委副书记",
                [PostRef("金华市委副书记", "金华市委", "副书记")],
                _at(TEXT_C, "章旭升"),
            )
        ],
        organizations=[
            OrgRole("市委理论学习中心组", "participant", _at(TEXT_C, "市委理论学习中心组")),
            OrgRole("市委", "participant", _at(TEXT_C, "市委", 1)),
        ],
    )
    return [
        Record(
            id="q-001", text=TEXT_A, date="2022-01-01", title="培训班开班", locale="永康", events=[training]
        ),
        Record(
            id="q-002",
            text=TEXT_B,
            date="2022-03-05",
            title="常委会会议",
            locale="永康",
            events=[meeting, inspection],
        ),
        Record(id="q-003", text=TEXT_C, date="2023-06-10", title="宣讲", locale="永康", events=[lecture]),
    ]


# ids, derived the way graph.build derives them (see graph.model.stable_id and graph.resolve.person_key)
ZHANG = stable_id("Person", "章旭升", "永康市")
ZHANG_JH = stable_id("Person", "章旭升", "金华市")
LI = stable_id("Person", "李浩锋", "永康市")
WANG = stable_id("Person", "王明", "永康市")
TRAINING = stable_id("Event", "q-001", "0", "training", "2021-12-31")
MEETING = stable_id("Event", "q-002", "0", "meeting", "2022-03-04")
INSPECTION = stable_id("Event", "q-002", "1", "inspection", "2022-03-01")
LECTURE = stable_id("Event", "q-003", "0", "study_session", "2023-06")
ART_A, ART_B, ART_C = (stable_id("Article", r) for r in ("q-001", "q-002", "q-003"))
SHIWEI = stable_id("Organization", "永康市委")
GROUP = stable_id("Organization", "永康市委理论学习中心组")
SECRETARY_POST = stable_id("Post", "永康市委", "书记")
JH_POST = stable_id("Post", "金华市委", "副书记")
MAYOR_POST = stable_id("Post", "永康市政府", "市长")
VICE_POST = stable_id("Post", "永康市政府", "副市长")


def table(name: str, *rows: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Expected rows of a query, written as tuples in its declared column order."""
    columns = get_query(name).columns
    return [dict(zip(columns, row, strict=True)) for row in rows]


@pytest.fixture(scope="module")
def facts() -> list[Any]:
    return [build_facts(r, now=NOW) for r in _records()]


@pytest.fixture
def store(tmp_path: Path, facts: list[Any]) -> Iterator[NetworkxStore]:
    with NetworkxStore(tmp_path / "graph.dashiji") as s:
        s.put_articles(facts)
        yield s


class NoScanStore(NetworkxStore):
    """The embedded store with its kind scan disabled: a twin that calls `nodes()` fails."""

    def nodes(self, kind: str | None = None) -> Iterator[dict[str, Any]]:
        raise AssertionError(f"scanned the {kind or 'whole'} graph")


def test_the_ids_the_tests_use_are_in_the_graph(store: NetworkxStore) -> None:
    people = [ZHANG, ZHANG_JH, LI, WANG]
    others = [TRAINING, MEETING, INSPECTION, LECTURE, SHIWEI, GROUP, SECRETARY_POST, JH_POST, MAYOR_POST]
    assert [i for i in people + others + [VICE_POST] if store.node(i) is None] == []


# --- person-centred -----------------------------------------------------------------------------------
def test_person_timeline_sees_both_namesakes_in_date_order(store: NetworkxStore) -> None:
    assert run_query(store, "person_timeline", {"name": "章旭升"}) == table(
        "person_timeline",
        ("2021-12-31", None, "training", "数字化改造培训班开班", "speaker", "市委书记", "永康市", TRAINING),
        ("2022-03-04", None, "meeting", "市委常委会会议", "host", "市委书记", None, MEETING),
        ("2023-06", None, "study_session", "数字化改造宣讲", "lecturer", "金华市委副书记", "永康市", LECTURE),
    )


@pytest.mark.parametrize(
    ("params", "events"),
    [
        ({"from": "2022", "to": "2022-03"}, [MEETING]),
        ({"to": "2022-03-03"}, [TRAINING]),
        ({"from": "2023-06-15"}, [LECTURE]),  # a month-precision event covers the whole month
        ({"from": "2023-07"}, []),
    ],
)
def test_person_timeline_filters_on_event_start_and_end(
    store: NetworkxStore, params: dict[str, str], events: list[str]
) -> None:
    rows = run_query(store, "person_timeline", {"name": "章旭升", **params})
    assert [r["event_id"] for r in rows] == events


def test_co_participants_count_shared_events_most_first(store: NetworkxStore) -> None:
    assert run_query(store, "co_participants", {"name": "李浩锋"}) == table(
        "co_participants",
        ("王明", 2, "2021-12-31", "2022-03-01", WANG),
        ("章旭升", 1, "2021-12-31", "2021-12-31", ZHANG),
    )
    assert run_query(store, "co_participants", {"name": "李浩锋", "from": "2022"}) == table(
        "co_participants",
        ("王明", 1, "2022-03-01", "2022-03-01", WANG),
    )


def test_most_active_ranks_by_events_then_name_and_honours_limit(store: NetworkxStore) -> None:
    rows = run_query(store, "most_active", {})
    assert [(r["name"], r["events"], r["person_id"]) for r in rows] == [
        ("王明", 3, WANG),
        ("李浩锋", 2, LI),
        ("章旭升", 2, ZHANG),
        ("章旭升", 1, ZHANG_JH),
    ]
    assert [r["person_id"] for r in run_query(store, "most_active", {"limit": "2"})] == [WANG, LI]
    meetings = run_query(store, "most_active", {"type": "meeting", "from": "2022-03"})
    assert [(r["name"], r["events"]) for r in meetings] == [("王明", 1), ("章旭升", 1)]


def test_person_posts_over_time(store: NetworkxStore) -> None:
    assert run_query(store, "person_posts", {"name": "王明"}) == table(
        "person_posts",
        ("永康市副市长", "永康市政府", "副市长", "2021-12-31", "2022-03-04", VICE_POST),
    )
    rows = run_query(store, "person_posts", {"name": "章旭升"})
    assert [(r["post"], r["first_seen"], r["last_seen"]) for r in rows] == [
        ("永康市委书记", "2021-12-31", "2022-03-04"),
        ("金华市委副书记", "2023-06-01", "2023-06-01"),
    ]


def test_post_holders_by_substring_and_by_organization_and_rank(store: NetworkxStore) -> None:
    rows = run_query(store, "post_holders", {"post": "书记"})
    assert [(r["post"], r["name"], r["person_id"], r["post_id"]) for r in rows] == [
        ("永康市委书记", "章旭升", ZHANG, SECRETARY_POST),
        ("金华市委副书记", "章旭升", ZHANG_JH, JH_POST),
    ]
    assert run_query(store, "post_holders", {"organization": "永康市政府", "rank": "市长"}) == table(
        "post_holders",
        ("永康市市长", "永康市政府", "市长", "李浩锋", "2021-12-31", "2022-03-01", LI, MAYOR_POST),
    )
    assert run_query(store, "post_holders", {"organization": "市委", "post": "副"}) == []


def test_org_people_lists_each_holder_once_with_posts(store: NetworkxStore) -> None:
    assert run_query(store, "org_people", {"name": "永康市政府"}) == table(
        "org_people",
        ("李浩锋", ["永康市市长"], "2021-12-31", "2022-03-01", LI),
        ("王明", ["永康市副市长"], "2021-12-31", "2022-03-04", WANG),
    )


# --- event-centred ------------------------------------------------------------------------------------
def test_event_attendees_by_id_lists_people_then_organizations(store: NetworkxStore) -> None:
    rows = run_query(store, "event_attendees", {"event_id": LECTURE})
    assert [(r["kind"], r["name"], r["role"], r["title"], r["participant_id"]) for r in rows] == [
        ("Person", "章旭升", "lecturer", "金华市委副书记", ZHANG_JH),
        ("Organization", "永康市委", "participant", None, SHIWEI),
        ("Organization", "永康市委理论学习中心组", "participant", None, GROUP),
    ]
    assert {(r["event_id"], r["date"], r["label"]) for r in rows} == {(LECTURE, "2023-06", "数字化改造宣讲")}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"label": "会议"}, [("王明", "attendee"), ("章旭升", "host"), ("永康市委", "organizer")]),
        ({"label": "调研", "date": "2022-03-02"}, [("李浩锋", "inspector"), ("王明", "participant")]),
        ({"label": "调研", "date": "2022-03"}, [("李浩锋", "inspector"), ("王明", "participant")]),
        ({"label": "调研", "date": "2022-03-04"}, []),
        ({"event_id": "evt:nothing"}, []),
    ],
)
def test_event_attendees_by_label_and_date(
    store: NetworkxStore, params: dict[str, str], expected: list[tuple[str, str]]
) -> None:
    assert [(r["name"], r["role"]) for r in run_query(store, "event_attendees", params)] == expected


def test_org_events_by_alias_both_relations(store: NetworkxStore) -> None:
    assert run_query(store, "org_events", {"name": "市委"}) == table(
        "org_events",
        ("2022-03-04", None, "meeting", "市委常委会会议", "ORGANIZED", None, None, "永康市委", MEETING),
        (
            "2023-06",
            None,
            "study_session",
            "数字化改造宣讲",
            "PARTICIPATED_IN",
            "participant",
            "永康市",
            "永康市委",
            LECTURE,
        ),
    )
    assert (
        run_query(store, "org_events", {"name": "市委", "to": "2022"})
        == run_query(store, "org_events", {"name": "永康市委", "to": "2022-12-31"})[:1]
    )


def test_events_by_type_in_a_range_with_people_counts(store: NetworkxStore) -> None:
    rows = run_query(store, "events_by_type", {})
    assert [(r["date"], r["end_date"], r["type"], r["people"], r["event_id"]) for r in rows] == [
        ("2021-12-31", None, "training", 3, TRAINING),
        ("2022-03-01", "2022-03-03", "inspection", 2, INSPECTION),
        ("2022-03-04", None, "meeting", 2, MEETING),
        ("2023-06", None, "study_session", 1, LECTURE),
    ]
    ranged = run_query(store, "events_by_type", {"from": "2022-03-02", "to": "2022-03-04"})
    assert [r["event_id"] for r in ranged] == [INSPECTION, MEETING]
    assert [r["event_id"] for r in run_query(store, "events_by_type", {"type": "meeting"})] == [MEETING]


def test_date_ranges_find_events_that_started_before_the_range(store: NetworkxStore) -> None:
    # the inspection runs 2022-03-01..03, the study session all of 2023-06: an event overlapping the range
    # counts however early it started (the Cypher's seek on Event.start is bounded below by `_span`)
    late = run_query(store, "events_by_type", {"from": "2022-03-03", "to": "2022-03-03"})
    assert [r["event_id"] for r in late] == [INSPECTION]
    assert [r["event_id"] for r in run_query(store, "events_by_type", {"from": "2023-06-30"})] == [LECTURE]
    rows = run_query(store, "most_active", {"from": "2023-06-15", "to": "2023-06-20"})
    assert [(r["person_id"], r["events"]) for r in rows] == [(ZHANG_JH, 1)]


def test_place_events_by_alias(store: NetworkxStore) -> None:
    rows = run_query(store, "place_events", {"name": "永康"})
    assert [(r["date"], r["place"], r["event_id"]) for r in rows] == [
        ("2021-12-31", "永康市", TRAINING),
        ("2023-06", "永康市", LECTURE),
    ]
    assert [r["event_id"] for r in run_query(store, "place_events", {"name": "古山镇"})] == [INSPECTION]


def test_target_timeline_has_events_and_goals_with_deadlines(store: NetworkxStore) -> None:
    goal = stable_id("Goal", "永康市", "数字化改造", "2023", "实现规上企业数字化改造覆盖率超90%")
    assert run_query(store, "target_timeline", {"name": "数字化改造"}) == table(
        "target_timeline",
        ("2021-12-31", "event", "training", "数字化改造培训班开班", None, None, None, TRAINING),
        ("2021-12-31", "goal", None, "实现规上企业数字化改造覆盖率超90%", "2023", "覆盖率", ">90%", goal),
        ("2023-06", "event", "study_session", "数字化改造宣讲", None, None, None, LECTURE),
    )
    assert run_query(store, "target_timeline", {"name": "数字化改造", "limit": "2"}) == table(
        "target_timeline",
        ("2021-12-31", "event", "training", "数字化改造培训班开班", None, None, None, TRAINING),
        ("2021-12-31", "goal", None, "实现规上企业数字化改造覆盖率超90%", "2023", "覆盖率", ">90%", goal),
    )


# --- provenance ---------------------------------------------------------------------------------------
def test_provenance_of_a_participation_gives_the_sentence(store: NetworkxStore) -> None:
    start, end = _at(TEXT_B, "王明", 1)
    expected = [
        {
            "fact_id": edge_id("PARTICIPATED_IN", WANG, INSPECTION),
            "fact_kind": "PARTICIPATED_IN",
            "article_id": ART_B,
            "title": "常委会会议",
            "date": "2022-03-05",
            "start": start,
            "end": end,
            "sentence": "3月1日至3日，市长李浩锋和副市长王明到古山镇调研。",
        },
    ]
    assert run_query(store, "provenance", {"person": "王明", "event_id": INSPECTION}) == expected
    assert run_query(store, "provenance", {"id": expected[0]["fact_id"]}) == expected


def test_provenance_of_a_node_spans_every_article_and_trims_the_indent(store: NetworkxStore) -> None:
    rows = run_query(store, "provenance", {"id": ZHANG_JH})
    assert [(r["article_id"], r["date"], r["sentence"]) for r in rows] == [
        (ART_C, "2023-06-10", "6月，金华市委副书记章旭升在永康宣讲数字化改造。"),
    ]
    rows = run_query(store, "provenance", {"id": SHIWEI})
    assert {r["article_id"] for r in rows} == {ART_A, ART_B, ART_C}  # 市委书记 names 市委 in q-001 too
    texts = {ART_A: TEXT_A, ART_B: TEXT_B, ART_C: TEXT_C}
    for r in rows:
        assert texts[r["article_id"]][r["start"] : r["end"]] in r["sentence"]
        assert r["sentence"] in texts[r["article_id"]]
    assert run_query(store, "provenance", {"id": "per:0000000000000000"}) == []


@pytest.mark.parametrize(
    ("text", "span", "sentence"),
    [
        ("一。二三四！五", (2, 3), "二三四！"),
        ("一。二三四！五", (6, 7), "五"),
        ("前言\n　　正文一句。后", (4, 6), "正文一句。"),
        ("整句。", (0, 3), "整句。"),  # a span that ends on the stop keeps that sentence only
        ("甲。乙。丙", (0, 4), "甲。乙。"),  # a span across sentences keeps all of them
        ("无标点", (1, 2), "无标点"),
        ("x", (None, None), None),
    ],
)
def test_evidence_sentence(text: str, span: tuple[Any, Any], sentence: str | None) -> None:
    assert evidence_sentence(text, *span) == sentence


# --- shape and the index rule -------------------------------------------------------------------------
CASES: list[tuple[str, dict[str, str]]] = [
    ("person_timeline", {"name": "章旭升"}),
    ("person_timeline", {"name": "章旭升", "from": "2022", "to": "2022-03"}),
    ("event_attendees", {"event_id": LECTURE}),
    ("event_attendees", {"label": "调研", "date": "2022-03"}),
    ("co_participants", {"name": "李浩锋"}),
    ("org_events", {"name": "市委"}),
    ("events_by_type", {}),
    ("events_by_type", {"type": "meeting", "from": "2022-03-02"}),
    ("target_timeline", {"name": "数字化改造"}),
    ("target_timeline", {"name": "数字化改造", "limit": "1"}),
    ("events_by_type", {"from": "2022-03-03", "to": "2022-03-03"}),
    ("events_by_type", {"from": "2023-06-30"}),
    ("most_active", {"from": "2023-06-15", "to": "2023-06-20"}),
    ("post_holders", {"post": "书记"}),
    ("post_holders", {"organization": "永康市政府", "rank": "市长"}),
    ("person_posts", {"name": "章旭升"}),
    ("most_active", {"limit": "3"}),
    ("most_active", {"from": "2022-03", "type": "meeting"}),
    ("provenance", {"id": SHIWEI}),
    ("provenance", {"id": edge_id("PARTICIPATED_IN", WANG, INSPECTION)}),
    ("provenance", {"person": "章旭升", "event_id": MEETING}),
    ("org_people", {"name": "永康市政府"}),
    ("place_events", {"name": "永康"}),
]


def test_cases_cover_every_query() -> None:
    assert {name for name, _ in CASES} == set(load_queries())


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{i}" for i, (n, _p) in enumerate(CASES)])
def test_twins_return_declared_columns_already_in_declared_order(
    store: NetworkxStore, name: str, params: dict[str, str]
) -> None:
    query = get_query(name)
    bound = bind_params(query, params)
    assert query.twin is not None
    raw = query.twin(store, **twin_kwargs(bound))
    assert raw, "each case should find something"
    assert all(list(r) == list(query.columns) for r in raw)
    assert raw == normalize_rows(query, raw)


def _names_an_entity(name: str, params: dict[str, str]) -> bool:
    """Cases that must start from an index. The others may scan one kind: events in a range
    (events_by_type, most_active), events by label substring, posts by name substring."""
    if name in ("events_by_type", "most_active"):
        return False
    if name == "event_attendees":
        return "event_id" in params
    if name == "post_holders":
        return "organization" in params
    return True


PER_ENTITY = [(n, p) for n, p in CASES if _names_an_entity(n, p)]


@pytest.mark.parametrize(("name", "params"), PER_ENTITY, ids=[n for n, _p in PER_ENTITY])
def test_per_entity_twins_walk_from_the_index_without_scanning(
    tmp_path: Path, facts: list[Any], name: str, params: dict[str, str]
) -> None:
    with NetworkxStore(tmp_path / "graph.dashiji") as plain:
        plain.put_articles(facts)
        expected = run_query(plain, name, params)
    with NoScanStore(tmp_path / "graph.dashiji") as guarded:
        assert run_query(guarded, name, params) == expected


# --- parity with Neo4j --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def neo4j_store(facts: list[Any]) -> Iterator[Any]:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        reason = 'NEO4J_URI is unset: query parity NOT TESTED (eval "$(bash tests/neo4j/server.sh start)")'
        if os.environ.get("DASHIJI_REQUIRE_NEO4J") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from graph.store.neo4j_store import Neo4jStore

    s = Neo4jStore(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD"))
    s.wipe()
    s.put_articles(facts)
    yield s
    s.wipe()
    s.close()


EMPTY_CASES = [
    ("person_timeline", {"name": "无名氏"}),
    ("provenance", {"id": "nothing"}),
    ("event_attendees", {"label": "调研", "date": "2022-03-04"}),
    ("post_holders", {"organization": "市委", "post": "副"}),
]


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("name", "params"), CASES + EMPTY_CASES, ids=[f"{n}-{i}" for i, (n, _p) in enumerate(CASES + EMPTY_CASES)]
)
def test_cypher_and_twin_give_the_same_rows(
    store: NetworkxStore, neo4j_store: Any, name: str, params: dict[str, str]
) -> None:
    assert run_query(neo4j_store, name, params) == run_query(store, name, params)


INJECTIONS = [
    ("person_timeline", {"name": "章旭升' OR 1=1 //"}),
    ("event_attendees", {"label": "'}) DETACH DELETE e RETURN 1 AS x //"}),
    ("org_events", {"name": '市委" OR true //'}),
    ("provenance", {"id": "x}) MATCH (n) DETACH DELETE n //"}),
]


@pytest.mark.neo4j
@pytest.mark.parametrize(("name", "params"), INJECTIONS, ids=[n for n, _p in INJECTIONS])
def test_injected_text_is_only_ever_a_value(
    store: NetworkxStore, neo4j_store: Any, name: str, params: dict[str, str]
) -> None:
    before = neo4j_store.counts()
    assert run_query(neo4j_store, name, params) == run_query(store, name, params) == []
    assert neo4j_store.counts() == before


@pytest.mark.neo4j
def test_cypher_rows_come_back_in_declared_order(neo4j_store: Any) -> None:
    for name, params in CASES:
        query = get_query(name)
        raw = neo4j_store.cypher(query.cypher, cypher_params(query, bind_params(query, params)))
        assert [list(r) for r in raw] == [list(query.columns)] * len(raw), name
        sorted_raw = normalize_rows(query, raw)
        keys = [c for c, _desc in query.order]
        assert [[r[k] for k in keys] for r in raw] == [[r[k] for k in keys] for r in sorted_raw], name


# The queries a label scan used to start (bench/neo4j_scale.py): their plans must start from indexes.
SEEKING = [
    ("events_by_type", {"type": "meeting", "from": "2022-03", "to": "2022-03"}),
    ("most_active", {"from": "2022-03", "to": "2022-03"}),
    ("post_holders", {"organization": "永康市政府"}),
    ("post_holders", {"post": "书记"}),
    ("target_timeline", {"name": "数字化改造"}),
]
SCANS = ("AllNodesScan", "NodeByLabelScan", "RelationshipTypeScan", "NodeIndexScan", "RelationshipIndexScan")


@pytest.mark.neo4j
@pytest.mark.parametrize(("name", "params"), SEEKING, ids=[f"{n}-{i}" for i, (n, _p) in enumerate(SEEKING)])
def test_cypher_plans_start_from_index_seeks(neo4j_store: Any, name: str, params: dict[str, str]) -> None:
    import neo4j

    query = get_query(name)
    auth = (os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
    with (
        neo4j.GraphDatabase.driver(os.environ["NEO4J_URI"], auth=auth) as driver,
        driver.session() as session,
    ):
        root = (
            session.run("EXPLAIN " + query.cypher, cypher_params(query, bind_params(query, params)))
            .consume()
            .plan
        )

    def leaves(node: dict[str, Any]) -> list[str]:
        children = node.get("children") or []
        return [str(node["operatorType"]).split("@")[0]] if not children else sum(map(leaves, children), [])

    found = leaves(root)
    assert found and not [op for op in found if any(scan in op for scan in SCANS)], found


@pytest.mark.parametrize(
    ("start", "end", "span"),
    [
        ("2022-03-04", "2022-03-04", 0),
        ("2022-03-01", "2022-03-03", 2),  # 2 days: bit length 2, so the seek starts 3 days before `from`
        ("2023-06-01", "2023-06-30", 5),
        ("2024-01-01", "2024-12-31", 9),
        ("2022-03-04", None, 0),
        (None, None, -1),
        ("2022-3-4", "2022-03-05", 22),  # not a plain ISO day: no lower bound
        ("2022-03-05", "2022-03-01", 0),
    ],
)
def test_neo4j_events_store_the_bit_length_of_their_span(start: Any, end: Any, span: int) -> None:
    from graph.store.neo4j_store import _db_props

    view = {"id": "evt:x", "kind": "Event", "articles": ["a"], "start": start, "end": end}
    assert _db_props(view, {})["_span"] == span
    assert "_span" not in _db_props({"id": "per:x", "kind": "Person", "articles": ["a"]}, {})
